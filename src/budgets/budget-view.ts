import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { formatPoints } from '../ledger/amount.js';
import { orgBudgetAccount } from '../ledger/accounts.js';

const DAY_MS = 86_400_000;
/** The window the pace is measured over. */
export const PACE_DAYS = 30;

/**
 * An org's budget: what was allocated, credited to members, returned by
 * revocations and what remains; and its pace — points credited per day over
 * the last 30 days, and how many days the remainder lasts at that pace.
 */
export async function budgetView(db: Db, orgId: string, now: Date) {
  const account = orgBudgetAccount(orgId);
  const since = new Date(now.getTime() - PACE_DAYS * DAY_MS).toISOString();
  const { rows } = await sql<{ kind: string; total: number; recent: number }>`
    SELECT t.kind, sum(p.amount) AS total, sum(CASE WHEN p.created_at >= ${since} THEN p.amount ELSE 0 END) AS recent
    FROM postings p JOIN transactions t ON t.seq = p.seq
    WHERE p.account_id = ${account}
    GROUP BY t.kind`.execute(db);
  const by = (kind: string) => rows.find((r) => r.kind === kind) ?? { total: 0, recent: 0 };
  const balance = await db.selectFrom('accounts').select(['posted', 'held']).where('id', '=', account).executeTakeFirst();
  const remaining = (balance?.posted ?? 0) - (balance?.held ?? 0);
  const creditedRecent = -Number(by('claim_credit').recent) - Number(by('claim_revocation').recent);
  const perDay = Math.floor(Math.max(0, creditedRecent) / PACE_DAYS);
  return {
    org_id: orgId,
    account_id: account,
    allocated: formatPoints(Number(by('budget_allocation').total)),
    credited: formatPoints(-Number(by('claim_credit').total)),
    revoked: formatPoints(Number(by('claim_revocation').total)),
    remaining: formatPoints(remaining),
    pace: {
      window_days: PACE_DAYS,
      credited_in_window: formatPoints(Math.max(0, creditedRecent)),
      per_day: formatPoints(perDay),
      days_left: perDay > 0 ? Math.floor(remaining / perDay) : null,
    },
  };
}
