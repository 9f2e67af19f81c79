import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { formatPoints, formatPointsExact } from '../ledger/amount.js';
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
  // Sums as exact text: what flowed through a budget over its life may pass 2^53 hundredths.
  const { rows } = await sql<{ kind: string; total: string; recent: string }>`
    SELECT t.kind, CAST(sum(p.amount) AS TEXT) AS total,
           CAST(sum(CASE WHEN p.created_at >= ${since} THEN p.amount ELSE 0 END) AS TEXT) AS recent
    FROM postings p JOIN transactions t ON t.seq = p.seq
    WHERE p.account_id = ${account}
    GROUP BY t.kind`.execute(db);
  const by = (kind: string) => rows.find((r) => r.kind === kind) ?? { total: '0', recent: '0' };
  const balance = await db.selectFrom('accounts').select(['posted', 'held']).where('id', '=', account).executeTakeFirst();
  // One balance is bounded (MAX_BALANCE), so a safe integer.
  const remaining = (balance?.posted ?? 0) - (balance?.held ?? 0);
  const creditedRecent = Decimal.max(0, new Decimal(by('claim_credit').recent).plus(by('claim_revocation').recent).neg());
  const perDay = creditedRecent.div(PACE_DAYS).floor();
  return {
    org_id: orgId,
    account_id: account,
    allocated: formatPointsExact(by('budget_allocation').total),
    credited: formatPointsExact(new Decimal(by('claim_credit').total).neg().toFixed(0)),
    revoked: formatPointsExact(by('claim_revocation').total),
    remaining: formatPoints(remaining),
    pace: {
      window_days: PACE_DAYS,
      credited_in_window: formatPointsExact(creditedRecent.toFixed(0)),
      per_day: formatPointsExact(perDay.toFixed(0)),
      days_left: perDay.gt(0) ? new Decimal(remaining).div(perDay).floor().toNumber() : null,
    },
  };
}
