// What the crash test's clients sent and what they were told, per
// Idempotency-Key: the record the restarted service must agree with.

/** One keyed write, as sent. */
export interface WriteSpec {
  key: string;
  kind: 'allocation' | 'adjustment' | 'claim' | 'code' | 'redemption' | 'hold' | 'capture' | 'void' | 'setup';
  method: string;
  path: string;
  token: string;
  body?: unknown;
}

/** Its first answer, once one arrived. */
export interface Answered {
  status: number;
  text: string;
}

/** Answers the service stores per key (a retry must get them back byte for byte). */
export const STORED = (status: number) => (status >= 200 && status < 300) || status === 404 || status === 409 || status === 422;

export class Journal {
  readonly writes = new Map<string, { spec: WriteSpec; answer?: Answered; cycle: number; committedInFlight?: boolean }>();
  /** Writes in flight when the service was killed (no answer), retried after the restart. */
  inFlightAtKill = 0;
  /** Of those, how many had committed before the kill (the retry was a replay). */
  inFlightCommitted = 0;
  retriesChecked = 0;
  /** Writes first answered 503 (the database unavailable), answered for real on retry. */
  unavailableRetried = 0;
  /** Answers with status 503 that came with Retry-After, and without. */
  unavailable = { withRetryAfter: 0, without: 0 };

  constructor(readonly url: () => string) {}

  /** Sends a write; records its answer, or nothing if the service died first. */
  async send(spec: WriteSpec, cycle: number): Promise<Answered | undefined> {
    this.writes.set(spec.key, { spec, cycle });
    const answer = await request(this.url(), spec);
    if (answer) this.writes.get(spec.key)!.answer = answer;
    if (answer?.status === 503) this.unavailable[answer.retryAfter ? 'withRetryAfter' : 'without']++;
    return answer;
  }

  /**
   * After a restart: every write answered before, sent again with its key,
   * must get the same status and the same bytes, marked as a replay; every
   * write left without an answer gets one now (a replay if it had committed).
   * @returns problems found
   */
  async retry(cycles: (cycle: number) => boolean): Promise<string[]> {
    const problems: string[] = [];
    for (const entry of this.writes.values()) {
      if (!cycles(entry.cycle)) continue;
      const again = await request(this.url(), entry.spec, true);
      if (!again) {
        problems.push(`${entry.spec.key}: no answer after the restart`);
        continue;
      }
      this.retriesChecked++;
      // A 503 (the database unreachable, a restart under way) stored nothing: the retry is its first real answer.
      if (entry.answer && entry.answer.status >= 500) {
        this.unavailableRetried++;
        if (again.status >= 500) problems.push(`${entry.spec.key}: ${again.status} on retry ${again.text}`);
        entry.answer = { status: again.status, text: again.text };
        continue;
      }
      if (!entry.answer) {
        this.inFlightAtKill++;
        if (again.replayed) this.inFlightCommitted++;
        if (again.status >= 500) problems.push(`${entry.spec.key}: ${again.status} on retry ${again.text}`);
        entry.answer = { status: again.status, text: again.text };
        continue;
      }
      if (!STORED(entry.answer.status)) continue;
      if (again.status !== entry.answer.status || again.text !== entry.answer.text) {
        problems.push(`${entry.spec.key}: first ${entry.answer.status} ${entry.answer.text.slice(0, 200)} — on retry ${again.status} ${again.text.slice(0, 200)}`);
      } else if (!again.replayed) {
        problems.push(`${entry.spec.key}: the retry was executed again instead of replayed`);
      }
    }
    return problems;
  }

  /** Final answers of one kind of write that succeeded. */
  succeeded(kind: WriteSpec['kind']): Array<{ spec: WriteSpec; body: any }> {
    return [...this.writes.values()]
      .filter((w) => w.spec.kind === kind && w.answer && w.answer.status >= 200 && w.answer.status < 300)
      .map((w) => ({ spec: w.spec, body: JSON.parse(w.answer!.text) }));
  }
}

async function request(url: string, spec: WriteSpec, retry = false): Promise<(Answered & { replayed: boolean; retryAfter: boolean }) | undefined> {
  try {
    const res = await fetch(`${url}${spec.path}`, {
      method: spec.method,
      headers: {
        authorization: `Bearer ${spec.token}`,
        'idempotency-key': spec.key,
        ...(spec.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
      signal: AbortSignal.timeout(retry ? 30_000 : 15_000),
    });
    return { status: res.status, text: await res.text(), replayed: res.headers.get('idempotent-replayed') === 'true', retryAfter: res.headers.has('retry-after') };
  } catch {
    return undefined; // the connection died with the service: no answer
  }
}
