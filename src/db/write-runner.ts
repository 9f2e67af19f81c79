import { sql, type CompiledQuery, type RawBuilder } from 'kysely';
import { AppError, conflict, unavailable } from '../errors.js';
import { IdempotencyKeyTaken, StaleRead } from './errors.js';
import type { Batch, BatchBuilder } from './executor.js';
import type { AppDeps } from '../deps.js';
import type { Db } from './types.js';
import { isPostgres } from './dialect.js';

/** What an idempotent write needs to store its answer: the caller's scope, its key, the request's hash. */
export interface IdempotencyScope {
  scope: string;
  key: string;
  requestHash: string;
}

/** An answer stored under an idempotency key: what a retry gets again. */
export interface StoredAnswer {
  request_hash: string;
  status: number;
  body: string;
}

/**
 * Thrown when a request repeats one already answered under its key: the
 * HTTP layer answers with the stored status and body, marked as a replay.
 */
export class ReplayedAnswer extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`replay of a stored ${status} answer`);
    this.name = 'ReplayedAnswer';
  }
}

/** The answer stored under this scope and key, if any. */
export async function findStored(deps: AppDeps, scope: IdempotencyScope): Promise<StoredAnswer | undefined> {
  // SQL text, not the builder: every keyed write looks.
  const { rows } = await sql<StoredAnswer>`
    SELECT request_hash, status, body FROM idempotency_keys WHERE scope = ${scope.scope} AND key = ${scope.key}`.execute(deps.db);
  return rows[0];
}

/** The error a repeat gets: the stored answer, or 409 when the key came with another request. */
export function replayOf(stored: StoredAnswer, scope: IdempotencyScope): Error {
  if (stored.request_hash !== scope.requestHash) {
    return conflict('idempotency_key_reused');
  }
  return new ReplayedAnswer(stored.status, stored.body);
}

/** The row of idempotency_keys for this scope (without its answer). */
function idempotencyRow(scope: IdempotencyScope, now: Date) {
  return { scope: scope.scope, key: scope.key, request_hash: scope.requestHash, created_at: now.toISOString() };
}

/**
 * Stores a refusal's answer under its key (unless one is stored already) and
 * returns the answer stored: a concurrent duplicate's, if it came first.
 */
export async function storeRefusal(deps: AppDeps, scope: IdempotencyScope, status: number, body: string): Promise<StoredAnswer | undefined> {
  const row = { ...idempotencyRow(scope, deps.clock()), status, body };
  await deps.executor.write(() => ({
    statements: [deps.db.insertInto('idempotency_keys').values(row).onConflict((oc) => oc.doNothing()).compile()],
    result: undefined,
  }));
  return findStored(deps, scope);
}

/**
 * Runs a write and returns the body to answer with. Under an idempotency key
 * the answer is stored by the same atomic batch as the write's effects, so a
 * concurrent duplicate either finds it or fails on the key and replays it.
 * @example const body = await commitWrite(deps, idempotency, (head) => creditBatch(head), 201, render)
 */
export async function commitWrite<T, B>(
  deps: AppDeps,
  scope: IdempotencyScope | undefined,
  build: BatchBuilder<T>,
  status: number,
  render: (result: T) => B,
): Promise<B> {
  const { db, executor, clock } = deps;
  let fields: Batch<T>['answerFields'];
  try {
    const body = await executor.write((head) => {
      const batch = build(head);
      const body = render(batch.result);
      fields = batch.answerFields;
      const statements: CompiledQuery[] = [...batch.statements];
      if (scope) {
        const row = idempotencyRow(scope, clock());
        const stored = fields ? withFields(db, body, fields) : sql`${JSON.stringify(body)}`;
        const insert = sql`INSERT INTO idempotency_keys (scope, key, request_hash, status, body, created_at)
            VALUES (${row.scope}, ${row.key}, ${row.request_hash}, ${status}, ${stored}, ${row.created_at})`.compile(db);
        // First, so a concurrent duplicate fails on the key (and replays the
        // answer) before any guard of the write can refuse it as a repeat
        // (a spent code, a resolved hold). An answer completed from the rows
        // written goes last, after them; a duplicate refused by a guard then
        // finds the first answer stored (below).
        if (fields) statements.push(insert);
        else statements.unshift(insert);
      }
      return { statements, result: body, ...(batch.head ? { head: batch.head } : {}) };
    });
    if (!fields) return body;
    const { rows } = await sql<{ body: string }>`SELECT ${withFields(db, body, fields)} AS body`.execute(db);
    return JSON.parse(rows[0]!.body) as B;
  } catch (error) {
    if (error instanceof IdempotencyKeyTaken && scope) {
      const stored = await findStored(deps, scope);
      if (stored) throw replayOf(stored, scope);
    }
    if (fields && scope && error instanceof AppError) await replayIfStored(deps, scope);
    throw error;
  }
}

/** The JSON answer (an object) with each top-level field set from its SQL expression, as text. */
function withFields(db: Db, body: unknown, fields: Readonly<Record<string, RawBuilder<unknown>>>): RawBuilder<string> {
  if (isPostgres(db)) {
    // PostgreSQL's json has no setter and jsonb rewrites the text (spaces, key
    // order), while a replay must answer the first answer's bytes: each field
    // is written as a marker, then the marker replaced by the value's JSON.
    const marker = (name: string) => JSON.stringify(`\u0000jifen-field:${name}`);
    const marked: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const name of Object.keys(fields)) marked[name] = JSON.parse(marker(name));
    return Object.entries(fields).reduce<RawBuilder<string>>(
      (text, [name, value]) => sql<string>`replace(${text}, ${marker(name)}, CAST(to_json((${value})) AS TEXT))`,
      sql<string>`${JSON.stringify(marked)}`,
    );
  }
  const pairs = Object.entries(fields).map(([name, value]) => sql`${'$.' + name}, (${value})`);
  return sql<string>`json_set(${JSON.stringify(body)}, ${sql.join(pairs)})`;
}

/**
 * Throws the stored answer when a concurrent request with the same key has
 * committed meanwhile: what looked like a refusal (the code it spent, the
 * hold it resolved) is the duplicate's own first answer.
 */
export async function replayIfStored(deps: AppDeps, scope: IdempotencyScope | undefined): Promise<void> {
  const stored = scope && (await findStored(deps, scope));
  if (stored) throw replayOf(stored, scope);
}

/**
 * commitWrite for writes computed from reads that a schema guard re-checks
 * (cap totals): on StaleRead the reads are redone and the write rebuilt.
 */
export async function commitFresh<T, B>(
  deps: AppDeps,
  scope: IdempotencyScope | undefined,
  prepare: () => Promise<BatchBuilder<T>>,
  status: number,
  render: (result: T) => B,
  attempts = 4,
): Promise<B> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await commitWrite(deps, scope, await prepare(), status, render);
    } catch (error) {
      if (!(error instanceof StaleRead)) throw error;
      if (attempt >= attempts) throw unavailable('busy');
    }
  }
}
