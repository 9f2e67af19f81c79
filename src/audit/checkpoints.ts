import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import { sql } from 'kysely';
import type { ChainHead } from '../db/executor.js';
import type { Db } from '../db/types.js';
import { CHAIN_HEAD_SQL, chainHeadOf } from '../ledger/chain-head.js';

/** The JWS type of a checkpoint. */
export const CHECKPOINT_TYPE = 'jifen-checkpoint+jwt';

/**
 * Signs the chain head { seq, hash, issued_at } with the service key and
 * records it. The schema refuses a checkpoint whose hash is not the chain's
 * at that seq; with `slot` (the scheduler), it is also recorded as the one
 * checkpoint of that interval slot, which the schema allows once.
 */
export async function makeCheckpoint(
  deps: Pick<AppDeps, 'db' | 'executor' | 'signer' | 'clock'>,
  actor: string,
  slot: (issuedAt: Date) => string | null = () => null,
) {
  const head = chainHeadOf((await sql.raw<ChainHead>(CHAIN_HEAD_SQL).execute(deps.db)).rows[0]);
  const now = deps.clock();
  const payload = { seq: head.seq, hash: head.hash, issued_at: now.toISOString() };
  const row = { id: newId('chk'), ...payload, jws: deps.signer.sign(payload, CHECKPOINT_TYPE), actor };
  const statements = [deps.db.insertInto('checkpoints').values(row).compile()];
  const scheduled = slot(now);
  if (scheduled) statements.push(deps.db.insertInto('scheduled_checkpoints').values({ slot: scheduled, checkpoint_id: row.id }).compile());
  await deps.executor.write(() => ({ statements, result: null }));
  return checkpointView(row, deps.signer.kid);
}

/** The newest checkpoint, if any. */
export function latestCheckpoint(db: Db) {
  return db.selectFrom('checkpoints').selectAll().orderBy('issued_at', 'desc').orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/** Every checkpoint, oldest first. */
export function allCheckpoints(db: Db) {
  return db.selectFrom('checkpoints').selectAll().orderBy('issued_at').orderBy('seq').execute();
}

/** A checkpoint as published. */
export function checkpointView(row: { seq: number; hash: string; issued_at: string; jws: string }, kid: string) {
  return { seq: row.seq, hash: row.hash, issued_at: row.issued_at, jws: row.jws, kid };
}

/** The start of the interval an instant falls in: the scheduler signs at most one checkpoint per slot. */
export function checkpointSlot(at: Date, intervalMinutes: number): string {
  const ms = intervalMinutes * 60_000;
  return new Date(Math.floor(at.getTime() / ms) * ms).toISOString();
}

/**
 * Signs a checkpoint when the head moved and the last one is older than the
 * interval (scheduler). Overlapping schedulers may both find it due; the
 * schema lets one of them sign it (one per slot, never for a head already
 * covered) and the other skips.
 */
export async function checkpointIfDue(deps: Pick<AppDeps, 'db' | 'executor' | 'signer' | 'clock' | 'programme'>): Promise<boolean> {
  const last = await deps.db.selectFrom('checkpoints').select(['seq', 'issued_at']).orderBy('issued_at', 'desc').limit(1).executeTakeFirst();
  const head = await deps.db.selectFrom('transactions').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!head || (last && last.seq >= head.seq)) return false;
  const age = last ? deps.clock().getTime() - Date.parse(last.issued_at) : Infinity;
  if (age < deps.programme.checkpointIntervalMinutes * 60_000) return false;
  try {
    await makeCheckpoint(deps, 'system:scheduler', (at) => checkpointSlot(at, deps.programme.checkpointIntervalMinutes));
  } catch (error) {
    if (error instanceof AppError && error.code === 'checkpoint_not_due') return false;
    throw error;
  }
  return true;
}
