import type { CompiledQuery } from 'kysely';
import type { ChainHead } from '../db/executor.js';
import type { Database, Db } from '../db/types.js';
import { refused } from '../errors.js';
import { newId } from '../ids.js';
import { appendTransaction, type RecordedTransaction } from './transactions.js';

/** A reservation of points on one account, destined for another. */
export type Hold = Database['holds'];

/** Compiles the reservation of a hold; the schema refuses it if the account cannot afford it. */
export function reserveHold(db: Db, spec: Omit<Hold, 'id'> & { id?: string }): { statements: CompiledQuery[]; hold: Hold } {
  if (!Number.isSafeInteger(spec.amount) || spec.amount <= 0) {
    throw refused('invalid_amount', 'A hold must reserve a positive amount');
  }
  const hold: Hold = { ...spec, id: spec.id ?? newId('hold') };
  return { statements: [db.insertInto('holds').values(hold).compile()], hold };
}

/**
 * Compiles the capture of `amount` (at most the hold's) into a transaction
 * moving it to the hold's destination. The resolution row goes in before the
 * postings so the released reservation is available to them; the rest of the
 * reservation is simply released.
 */
export function captureHold(
  db: Db,
  head: ChainHead,
  hold: Hold,
  capture: { amount: number; actor: string; created_at: string; memo?: string | null },
): { statements: CompiledQuery[]; transaction: RecordedTransaction; head: ChainHead } {
  if (!Number.isSafeInteger(capture.amount) || capture.amount <= 0) {
    throw refused('invalid_amount', 'A capture must take a positive amount');
  }
  // More than the hold reserved is refused by the schema (capture_exceeds_hold).
  const txId = newId('tx');
  const resolution = db
    .insertInto('hold_resolutions')
    .values({
      hold_id: hold.id,
      kind: 'capture',
      amount: capture.amount,
      tx_id: txId,
      actor: capture.actor,
      created_at: capture.created_at,
    })
    .compile();
  return appendTransaction(
    db,
    head,
    {
      id: txId,
      kind: 'hold_capture',
      actor: capture.actor,
      memo: capture.memo ?? null,
      ref_type: 'hold',
      ref_id: hold.id,
      created_at: capture.created_at,
      postings: [
        { account_id: hold.account_id, amount: -capture.amount },
        { account_id: hold.destination_account_id, amount: capture.amount },
      ],
    },
    [resolution],
  );
}

/** Compiles a void (`void`, before expiry) or an expiry (`expire`, at or after it). */
export function releaseHold(
  db: Db,
  holdId: string,
  kind: 'void' | 'expire',
  release: { actor: string; created_at: string },
): CompiledQuery[] {
  return [
    db
      .insertInto('hold_resolutions')
      .values({ hold_id: holdId, kind, amount: 0, tx_id: null, actor: release.actor, created_at: release.created_at })
      .compile(),
  ];
}
