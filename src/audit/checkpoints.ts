import type { AppDeps } from '../http/context.js';
import { newId } from '../ids.js';
import { GENESIS_HASH } from '../ledger/hash.js';

/** The JWS type of a checkpoint. */
export const CHECKPOINT_TYPE = 'jifen-checkpoint+jwt';

/**
 * Signs the chain head { seq, hash, issued_at } with the service key and
 * records it. The schema refuses a checkpoint whose hash is not the chain's
 * at that seq.
 */
export async function makeCheckpoint(deps: Pick<AppDeps, 'db' | 'executor' | 'signer' | 'clock'>, actor: string) {
  const head = await deps.db.selectFrom('transactions').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const payload = { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH, issued_at: deps.clock().toISOString() };
  const row = { id: newId('chk'), ...payload, jws: deps.signer.sign(payload, CHECKPOINT_TYPE), actor };
  await deps.executor.write(() => ({ statements: [deps.db.insertInto('checkpoints').values(row).compile()], result: null }));
  return checkpointView(row, deps.signer.kid);
}

/** A checkpoint as published. */
export function checkpointView(row: { seq: number; hash: string; issued_at: string; jws: string }, kid: string) {
  return { seq: row.seq, hash: row.hash, issued_at: row.issued_at, jws: row.jws, kid };
}

/** Signs a checkpoint when the head moved and the last one is older than the interval (scheduler). */
export async function checkpointIfDue(deps: Pick<AppDeps, 'db' | 'executor' | 'signer' | 'clock' | 'programme'>): Promise<boolean> {
  const last = await deps.db.selectFrom('checkpoints').select(['seq', 'issued_at']).orderBy('issued_at', 'desc').limit(1).executeTakeFirst();
  const head = await deps.db.selectFrom('transactions').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!head || (last && last.seq >= head.seq)) return false;
  const age = last ? deps.clock().getTime() - Date.parse(last.issued_at) : Infinity;
  if (age < deps.programme.checkpointIntervalMinutes * 60_000) return false;
  await makeCheckpoint(deps, 'system:scheduler');
  return true;
}
