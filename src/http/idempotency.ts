import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { sql, type CompiledQuery } from 'kysely';
import { badRequest, conflict, unavailable } from '../errors.js';
import { IdempotencyKeyTaken, StaleRead } from '../db/errors.js';
import type { BatchBuilder } from '../db/executor.js';
import { sha256Hex } from '../ledger/hash.js';
import { idempotencyScopeOf } from '../auth/caller.js';
import type { AppDeps, AppEnv, IdempotencyScope } from './context.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** The methods of writes: the ones with a request body. */
export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Refusals that stay refusals for their key (a retry must not suddenly succeed). */
const STORED_FAILURES = new Set([404, 409, 422]);
export const REPLAY_HEADER = 'Idempotent-Replayed';

/**
 * `Idempotency-Key` for every write, scoped per caller. The same key and body
 * replay the first answer; another body is 409. A refused request's answer is
 * stored too. Runs after authorization (the scope is the caller).
 */
export function idempotency(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (!WRITE_METHODS.has(c.req.method) || key === undefined) {
      c.set('idempotency', undefined);
      return next();
    }
    if (!KEY_PATTERN.test(key)) {
      throw badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    const body = await c.req.text();
    const scope: IdempotencyScope = {
      scope: idempotencyScopeOf(c.get('caller')),
      key,
      requestHash: sha256Hex(`${c.req.method} ${c.req.path}\n${body}`),
    };
    const stored = await findStored(c.get('deps'), scope);
    if (stored) throw replay(stored, scope);
    c.set('idempotency', scope);
    await next();
    if (STORED_FAILURES.has(c.res.status) && c.res.headers.get(REPLAY_HEADER) === null) {
      const text = await c.res.clone().text();
      const row = { ...rowOf(scope, c.get('deps').clock()), status: c.res.status, body: text };
      await c.get('deps').executor.write(() => ({
        statements: [
          c.get('deps').db.insertInto('idempotency_keys').values(row).onConflict((oc) => oc.doNothing()).compile(),
        ],
        result: undefined,
      }));
      const winner = await findStored(c.get('deps'), scope);
      if (winner && winner.body !== text) throw replay(winner, scope);
    }
  };
}

interface StoredAnswer {
  request_hash: string;
  status: number;
  body: string;
}

async function findStored(deps: AppDeps, scope: IdempotencyScope): Promise<StoredAnswer | undefined> {
  // SQL text, not the builder: every keyed write looks.
  const { rows } = await sql<StoredAnswer>`
    SELECT request_hash, status, body FROM idempotency_keys WHERE scope = ${scope.scope} AND key = ${scope.key}`.execute(deps.db);
  return rows[0];
}

function replay(stored: StoredAnswer, scope: IdempotencyScope): Error {
  if (stored.request_hash !== scope.requestHash) {
    return conflict('idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
  }
  const contentType = stored.status >= 400 ? 'application/problem+json' : 'application/json';
  return new HTTPException(stored.status as 200, {
    res: new Response(stored.body, {
      status: stored.status,
      headers: { 'content-type': contentType, [REPLAY_HEADER]: 'true' },
    }),
  });
}

function rowOf(scope: IdempotencyScope, now: Date) {
  return { scope: scope.scope, key: scope.key, request_hash: scope.requestHash, created_at: now.toISOString() };
}

/**
 * Runs a write and returns the body to answer with. Under an idempotency key
 * the answer is stored by the same atomic batch as the write's effects, so a
 * concurrent duplicate either finds it or fails on the key and replays it.
 * @example const body = await commitWrite(c, (head) => creditBatch(head), 201, render)
 */
export async function commitWrite<T, B>(
  c: Context<AppEnv>,
  build: BatchBuilder<T>,
  status: number,
  render: (result: T) => B,
): Promise<B> {
  const scope = c.get('idempotency');
  const { db, executor, clock } = c.get('deps');
  try {
    return await executor.write((head) => {
      const batch = build(head);
      const body = render(batch.result);
      const statements: CompiledQuery[] = [...batch.statements];
      if (scope) {
        // First, so a concurrent duplicate fails on the key (and replays the
        // answer) before any guard of the write can refuse it as a repeat
        // (a spent code, a resolved hold).
        const row = rowOf(scope, clock());
        statements.unshift(
          sql`INSERT INTO idempotency_keys (scope, key, request_hash, status, body, created_at)
              VALUES (${row.scope}, ${row.key}, ${row.request_hash}, ${status}, ${JSON.stringify(body)}, ${row.created_at})`.compile(db),
        );
      }
      return { statements, result: body, ...(batch.head ? { head: batch.head } : {}) };
    });
  } catch (error) {
    if (error instanceof IdempotencyKeyTaken && scope) {
      const stored = await findStored(c.get('deps'), scope);
      if (stored) throw replay(stored, scope);
    }
    throw error;
  }
}

/**
 * Throws the stored answer when a concurrent request with the same key has
 * committed meanwhile: what looked like a refusal (the code it spent, the
 * hold it resolved) is the duplicate's own first answer.
 */
export async function replayIfStored(c: Context<AppEnv>): Promise<void> {
  const scope = c.get('idempotency');
  const stored = scope && (await findStored(c.get('deps'), scope));
  if (stored) throw replay(stored, scope);
}

/**
 * commitWrite for writes computed from reads that a schema guard re-checks
 * (cap totals): on StaleRead the reads are redone and the write rebuilt.
 */
export async function commitFresh<T, B>(
  c: Context<AppEnv>,
  prepare: () => Promise<BatchBuilder<T>>,
  status: number,
  render: (result: T) => B,
  attempts = 4,
): Promise<B> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await commitWrite(c, await prepare(), status, render);
    } catch (error) {
      if (!(error instanceof StaleRead)) throw error;
      if (attempt >= attempts) throw unavailable('busy', 'Concurrent credits to this member; retry shortly', 1);
    }
  }
}
