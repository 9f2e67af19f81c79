import { sql } from 'kysely';
import type { Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { pageOf, seqCursor } from '../db/page-cursor.js';
import { formatPoints } from '../ledger/amount.js';
import { listScopePath, withinPath } from '../orgs/orgs.js';

/**
 * Budget allocations (issuance → an org's budget), newest first: admins and auditors every
 * one, organizers those to orgs of their subtree (`org_id` narrows to a subtree in scope). Each
 * with the org's name, the amount, memo, who allocated it, and the reversal that undid it, if
 * one did. Keyset on seq, as the ledger's other lists: the cursor is the page's last seq.
 */
export async function allocationPage(deps: AppDeps, caller: Caller, input: { org_id?: string | undefined; limit: number; cursor?: string | undefined }) {
  const { db } = deps;
  const scope = await listScopePath(db, caller, input.org_id);
  const beforeSeq = seqCursor(input.cursor);
  let query = db
    .selectFrom('transactions as t')
    .innerJoin('orgs as o', 'o.id', 't.ref_id')
    .innerJoin('postings as p', (j) => j.onRef('p.seq', '=', 't.seq').on(sql<boolean>`p.account_id = 'org:' || t.ref_id || ':budget'`))
    .leftJoin('transactions as r', 'r.reverses_id', 't.id')
    .select(['t.seq', 't.id', 't.ref_id as org_id', 'o.name as org_name', 'p.amount', 't.memo', 't.actor', 't.created_at', 't.hash', 'r.id as reversed_by'])
    .where('t.kind', '=', 'budget_allocation')
    .where('t.ref_type', '=', 'org')
    .orderBy('t.seq', 'desc')
    .limit(input.limit + 1);
  if (scope !== undefined) query = query.where(withinPath('o.path', scope));
  if (beforeSeq !== undefined) query = query.where('t.seq', '<', beforeSeq);
  const { rows, next_cursor } = pageOf(await query.execute(), input.limit, (t) => String(t.seq));
  const items = rows.map((t) => ({
    transaction_id: t.id,
    seq: t.seq,
    org_id: t.org_id!,
    org_name: t.org_name,
    amount: formatPoints(t.amount),
    memo: t.memo,
    actor: t.actor,
    created_at: t.created_at,
    hash: t.hash,
    reversed_by: t.reversed_by ?? null,
  }));
  return { items, next_cursor };
}
