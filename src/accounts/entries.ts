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
  page: { limit: number; beforeSeq?: number; from?: string; to?: string; kind?: string },
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
  if (page.kind) query = query.where('t.kind', '=', page.kind);
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

/**
 * Posted balance of an account at an instant: the running balance of its
 * last posting at or before it (an indexed lookup, no sum from the start).
 */
export async function balanceAt(db: Db, accountId: string, at: string): Promise<{ posted: string; as_of_seq: number | null }> {
  const row = await db
    .selectFrom('postings')
    .select(['balance_after', 'seq'])
    .where('account_id', '=', accountId)
    .where('created_at', '<=', at)
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { posted: formatPoints(row?.balance_after ?? 0), as_of_seq: row?.seq ?? null };
}
