import type { Db } from '../db/types.js';
import { formatPoints } from './amount.js';
import type { RecordedTransaction } from './transactions.js';

/** The seq of the last transaction; 0 before the first. */
export async function lastSeq(db: Db): Promise<number> {
  const head = await db.selectFrom('transactions').select(({ fn }) => fn.max('seq').as('seq')).executeTakeFirst();
  return Number(head?.seq ?? 0);
}

/** Reads one transaction with its postings, by id. */
export async function findTransaction(db: Db, id: string): Promise<RecordedTransaction | undefined> {
  const tx = await db.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!tx) return undefined;
  const postings = await db
    .selectFrom('postings')
    .select(['account_id', 'amount'])
    .where('tx_id', '=', id)
    .orderBy('account_id')
    .execute();
  return { ...tx, postings };
}

/**
 * A transaction as the API shows it: amounts as decimal strings. With
 * `visible`, only the postings on accounts it admits are shown (a worker's or
 * a merchant's own leg of a shared transaction) and `other_postings` counts
 * those left out; the hash and prev_hash are the whole transaction's.
 */
export function transactionView(tx: RecordedTransaction, visible?: (accountId: string) => boolean) {
  const shown = visible ? tx.postings.filter((p) => visible(p.account_id)) : tx.postings;
  return {
    id: tx.id,
    seq: tx.seq,
    kind: tx.kind,
    actor: tx.actor,
    memo: tx.memo,
    ref_type: tx.ref_type,
    ref_id: tx.ref_id,
    reverses_id: tx.reverses_id,
    created_at: tx.created_at,
    prev_hash: tx.prev_hash,
    hash: tx.hash,
    postings: shown.map((p) => ({ account_id: p.account_id, amount: formatPoints(p.amount) })),
    ...(visible ? { other_postings: tx.postings.length - shown.length } : {}),
  };
}
