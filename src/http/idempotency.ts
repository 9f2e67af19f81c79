import type { MiddlewareHandler } from 'hono';
import { badRequest } from '../errors.js';
import { findStored, replayOf, storeRefusal, type IdempotencyScope, type ReplayedAnswer } from '../db/write-runner.js';
import { sha256Hex, sha256HexOfBytes } from '../ledger/hash.js';
import { idempotencyScopeOf } from '../auth/caller.js';
import type { AppEnv } from './context.js';

/** What an Idempotency-Key may be: 1 to 255 visible ASCII characters. */
export const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
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
      throw badRequest('invalid_idempotency_key');
    }
    // The query is part of the request when there is one (an import's dry_run); a body that is not
    // JSON (a spreadsheet, maybe GB18030) is hashed as its bytes, which text would not tell apart.
    const query = new URL(c.req.url).search;
    const request = `${c.req.method} ${c.req.path}${query}`;
    const requestHash = /json/i.test(c.req.header('content-type') ?? 'json')
      ? sha256Hex(`${request}\n${await c.req.text()}`)
      : sha256Hex(`${request}\n${sha256HexOfBytes(new Uint8Array(await c.req.arrayBuffer()))}`);
    const scope: IdempotencyScope = { scope: idempotencyScopeOf(c.get('caller')), key, requestHash };
    const stored = await findStored(c.get('deps'), scope);
    if (stored) throw replayOf(stored, scope);
    c.set('idempotency', scope);
    await next();
    if (STORED_FAILURES.has(c.res.status) && c.res.headers.get(REPLAY_HEADER) === null) {
      const text = await c.res.clone().text();
      const winner = await storeRefusal(c.get('deps'), scope, c.res.status, text);
      if (winner && winner.body !== text) throw replayOf(winner, scope);
    }
  };
}

/** The response of a replay: the stored status and body, marked with the replay header. */
export function replayResponse(answer: ReplayedAnswer): Response {
  const contentType = answer.status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(answer.body, {
    status: answer.status,
    headers: { 'content-type': contentType, [REPLAY_HEADER]: 'true' },
  });
}
