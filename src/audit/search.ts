import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { inJsonIntegers } from '../db/dialect.js';
import { merchantAccount, workerAccount } from '../ledger/accounts.js';
import { transactionView } from '../ledger/read.js';
import { describeTransactions } from './transaction-details.js';

export interface AuditFilters {
  kind?: string | undefined;
  actor?: string | undefined;
  orgPath?: string | undefined;
  merchantId?: string | undefined;
  memberId?: string | undefined;
  transactionId?: string | undefined;
  claimId?: string | undefined;
  redemptionId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  beforeSeq?: number | undefined;
  limit: number;
}

/**
 * Transactions newest first, filtered by kind, actor, time, and by whom they
 * touch: a member's account, a merchant's account, or any account of an org
 * subtree (its budgets, its members' and its merchants' accounts), and by the
 * record they belong to: a claim (its credit and revocation) or a redemption
 * (the redemption or pickup, and its refund). Keyset pagination on seq;
 * postings fetched for the page in one query, then named and linked
 * (transaction-details.ts).
 */
export async function searchTransactions(db: Db, f: AuditFilters) {
  let q = db.selectFrom('transactions as t').selectAll('t').orderBy('t.seq', 'desc').limit(f.limit + 1);
  if (f.kind) q = q.where('t.kind', '=', f.kind);
  if (f.actor) q = q.where('t.actor', '=', f.actor);
  if (f.from) q = q.where('t.created_at', '>=', f.from);
  if (f.to) q = q.where('t.created_at', '<', f.to);
  if (f.beforeSeq !== undefined) q = q.where('t.seq', '<', f.beforeSeq);
  const touches = (account: string) => sql<boolean>`EXISTS (SELECT 1 FROM postings p WHERE p.tx_id = t.id AND p.account_id = ${account})`;
  if (f.memberId) q = q.where(touches(workerAccount(f.memberId)));
  if (f.merchantId) q = q.where(touches(merchantAccount(f.merchantId)));
  if (f.transactionId) q = q.where('t.id', '=', f.transactionId);
  if (f.claimId) q = q.where('t.id', 'in', sql<string>`(SELECT tx_id FROM claim_decisions WHERE claim_id = ${f.claimId} AND tx_id IS NOT NULL)`);
  if (f.redemptionId) {
    q = q.where('t.id', 'in', sql<string>`(SELECT tx_id FROM redemptions WHERE id = ${f.redemptionId} UNION ALL SELECT tx_id FROM refunds WHERE redemption_id = ${f.redemptionId})`);
  }
  if (f.orgPath) {
    const path = f.orgPath;
    q = q.where(sql<boolean>`EXISTS (
      SELECT 1 FROM postings p JOIN accounts a ON a.id = p.account_id
      WHERE p.tx_id = t.id AND (
        (a.kind = 'budget' AND a.owner_id IN (SELECT id FROM orgs WHERE substr(path, 1, length(${path})) = ${path}))
        OR (a.kind = 'worker' AND a.owner_id IN (SELECT m.id FROM members m JOIN orgs o ON o.id = m.home_org_id WHERE substr(o.path, 1, length(${path})) = ${path}))
        OR (a.kind = 'merchant' AND a.owner_id IN (SELECT m.id FROM merchants m JOIN orgs o ON o.id = m.org_id WHERE substr(o.path, 1, length(${path})) = ${path}))
      ))`);
  }
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  const postings = page.length
    ? await db
        .selectFrom('postings')
        .select(['tx_id', 'account_id', 'amount'])
        .where('seq', 'in', inJsonIntegers(db, page.map((t) => t.seq)))
        .orderBy('account_id')
        .execute()
    : [];
  const items = await describeTransactions(db, page.map((t) => transactionView({ ...t, postings: postings.filter((p) => p.tx_id === t.id) })));
  const last = page.at(-1);
  return { items, next_cursor: rows.length > f.limit && last ? String(last.seq) : null };
}
