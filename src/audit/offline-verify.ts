import type { JSONWebKeySet } from 'jose';
import { GENESIS_HASH } from '../ledger/hash.js';
import { checkCheckpointSignature, checkPins, checkpointName, type Pins, type PublishedCheckpoint } from './checkpoint-pins.js';
import type { ExportedTransaction } from './export.js';
import { HistoryChecker } from './history-check.js';

export type { Pins, PublishedCheckpoint } from './checkpoint-pins.js';

/** What no signature vouches for, in the words the verifier prints. */
export const CHAIN_ONLY_NOTE =
  'checked for internal consistency only; not yet covered by any signed checkpoint, a forger who recomputes the chain could have rewritten it';

export interface HistoryReport {
  ok: boolean;
  /** Transactions that passed every check (all of them when ok). */
  checked: number;
  /** The last seq of the history read. */
  head_seq: number;
  checkpoints_verified: number;
  latest_checkpoint_seq: number | null;
  /** seq 1..N: hashes to a signed checkpoint at N (when ok). */
  signed: { from_seq: number; to_seq: number } | null;
  /** seq N+1..head: followed by the chain alone (when ok). */
  chain_only: { from_seq: number; to_seq: number; note: string } | null;
  /** How many pinned keys and checkpoints the service was held to (when pins were given). */
  pinned?: { keys: number; checkpoints: number };
  first_bad_seq?: number;
  failure?: string;
}

/**
 * Checks, without trusting the operator, an exported history from seq 1 to
 * its end: every transaction follows (see HistoryChecker), every checkpoint's
 * signature verifies with the published keys — and with the pinned ones when
 * pins are given — and the history hashes to every checkpoint at its seq, so
 * an earlier checkpoint is a prefix of the latest. With pins, the service
 * must still publish the pinned keys and list the pinned checkpoints
 * unchanged. The report says which seqs a signature covers (1..N, N the
 * latest checkpoint) and which only the chain (N+1..head).
 */
export async function verifyHistory(input: {
  transactions: AsyncIterable<ExportedTransaction>;
  checkpoints: readonly PublishedCheckpoint[];
  jwks: JSONWebKeySet;
  pins?: Pins;
}): Promise<HistoryReport> {
  const { pins } = input;
  const base: HistoryReport = {
    ok: false,
    checked: 0,
    head_seq: 0,
    checkpoints_verified: 0,
    latest_checkpoint_seq: null,
    signed: null,
    chain_only: null,
    ...(pins ? { pinned: { keys: pins.jwks.keys.length, checkpoints: pins.checkpoints.length } } : {}),
  };
  const fail = (failure: string, seq?: number): HistoryReport => ({ ...base, failure, ...(seq !== undefined ? { first_bad_seq: seq } : {}) });

  const pinFault = pins ? await checkPins(input, pins) : null;
  if (pinFault) return fail(pinFault);
  const signed: PublishedCheckpoint[] = [];
  for (const cp of input.checkpoints) {
    const published = await checkCheckpointSignature(cp, input.jwks);
    if (published === 'unsigned') return fail(`${checkpointName(cp)} does not verify with the published keys`);
    if (published === 'misstated') return fail(`${checkpointName(cp)} says something other than what it signed`);
    if (pins && (await checkCheckpointSignature(cp, pins.jwks)) !== 'ok') return fail(`${checkpointName(cp)} does not verify with the pinned keys`);
    if (!Number.isSafeInteger(cp.seq) || cp.seq < 0 || (cp.seq === 0 && cp.hash !== GENESIS_HASH)) return fail(`${checkpointName(cp)} names no point of any chain`);
    signed.push(cp);
    base.checkpoints_verified = signed.length;
  }
  const byIssue = [...signed].sort((a, b) => a.issued_at.localeCompare(b.issued_at));
  for (let i = 1; i < byIssue.length; i++) {
    if (byIssue[i]!.seq < byIssue[i - 1]!.seq) return fail(`checkpoint issued ${byIssue[i]!.issued_at} goes back in the chain`);
  }
  const latest = signed.length > 0 ? signed.reduce((max, c) => Math.max(max, c.seq), 0) : null;
  base.latest_checkpoint_seq = latest;

  // The hashes the history must reach, by seq: pinned ones first, to name them.
  const due = new Map<number, Array<{ hash: string; pinned: boolean }>>();
  for (const [cp, pinned] of [...(pins?.checkpoints ?? []).map((c) => [c, true] as const), ...signed.map((c) => [c, false] as const)]) {
    if (cp.seq > 0) due.set(cp.seq, [...(due.get(cp.seq) ?? []), { hash: cp.hash, pinned }]);
  }
  const lastDue = [...due.keys()].reduce((max, seq) => Math.max(max, seq), 0);

  const chain = new HistoryChecker();
  for await (const tx of input.transactions) {
    const fault = chain.next(tx);
    base.checked = base.head_seq = chain.head;
    if (fault) return fail(fault.reason, fault.seq);
    for (const reached of due.get(tx.seq) ?? []) {
      if (reached.hash === tx.hash) continue;
      return fail(reached.pinned ? `the history no longer hashes to the pinned checkpoint at seq ${tx.seq}` : `history differs from the checkpoint signed at seq ${tx.seq}`, tx.seq);
    }
  }
  if (chain.head < lastDue) return fail(`history ends at seq ${chain.head}, before the checkpoint at ${lastDue}`, chain.head + 1);
  const covered = latest ?? 0;
  return {
    ...base,
    ok: true,
    signed: covered > 0 ? { from_seq: 1, to_seq: covered } : null,
    chain_only: chain.head > covered ? { from_seq: covered + 1, to_seq: chain.head, note: CHAIN_ONLY_NOTE } : null,
  };
}
