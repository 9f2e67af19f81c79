import type { Db } from '../db/types.js';
import { formatPoints } from '../ledger/amount.js';

/** One line of a statement: a posting with the balance it left. */
export interface EntryView {
  seq: number;
  transaction_id: string;
  kind: string;
  memo: string | null;
  created_at: string;
  amount: string;
  balance_after: string;
}

/**
 * A page of an account's statement, newest first. Keyset pagination on
 * (account_id, seq) — the cursor is the last seq shown — so a page costs the
 * same on the millionth entry as on the first; the running balance is the
 * stored `balance_after`, not a sum from the start.
 */
export async function statementPage(
  db: Db,
  accountId: string,
  page: { limit: number; beforeSeq?: number; from?: string; to?: string },
): Promise<{ items: EntryView[]; next_cursor: string | null }> {
  let query = db
    .selectFrom('postings as p')
    .innerJoin('transactions as t', 't.seq', 'p.seq')
    .select(['p.seq', 'p.tx_id', 't.kind', 't.memo', 'p.created_at', 'p.amount', 'p.balance_after'])
    .where('p.account_id', '=', accountId)
    .orderBy('p.seq', 'desc')
    .limit(page.limit + 1);
  if (page.beforeSeq !== undefined) query = query.where('p.seq', '<', page.beforeSeq);
  if (page.from) query = query.where('p.created_at', '>=', page.from);
  if (page.to) query = query.where('p.created_at', '<', page.to);
  const rows = await query.execute();
  const items = rows.slice(0, page.limit).map((r) => ({
    seq: r.seq,
    transaction_id: r.tx_id,
    kind: r.kind,
    memo: r.memo,
    created_at: r.created_at,
    amount: formatPoints(r.amount),
    balance_after: formatPoints(r.balance_after),
  }));
  const last = items.at(-1);
  return { items, next_cursor: rows.length > page.limit && last ? String(last.seq) : null };
}
