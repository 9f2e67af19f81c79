import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { formatPoints, formatPointsExact } from '../ledger/amount.js';
import { orgBudgetAccount } from '../ledger/accounts.js';
import { payingOrgs } from './paying-orgs.js';

const DAY_MS = 86_400_000;
/** The longest window the pace is measured over. */
export const PACE_DAYS = 30;

/**
 * The budget that pays for an org's claims — its own, or the nearest org's
 * above it that holds one (`payingOrgs`, the rule crediting uses) — with
 * what was allocated, credited to members, returned by revocations and what
 * remains; and its pace: points credited per day since the budget's first
 * credit, or over the last 30 days once it is older than that (a budget
 * first used today has a one-day window, not thirty), and how many days the
 * remainder lasts at that pace.
 */
export async function budgetView(db: Db, orgId: string, now: Date) {
  const payer = (await payingOrgs(db, [orgId])).get(orgId) ?? orgId;
  const account = orgBudgetAccount(payer);
  const payerRow = await db.selectFrom('orgs').select('name').where('id', '=', payer).executeTakeFirst();
  const first = await sql<{ at: string | null }>`
    SELECT min(p.created_at) AS at FROM postings p JOIN transactions t ON t.seq = p.seq
    WHERE p.account_id = ${account} AND t.kind = 'claim_credit'`.execute(db);
  const firstCredit = first.rows[0]?.at ?? null;
  const longest = new Date(now.getTime() - PACE_DAYS * DAY_MS).toISOString();
  const since = firstCredit === null ? null : firstCredit > longest ? firstCredit : longest;
  // Whole days the window spans, counting a started day: credited today is one day.
  const windowDays = since === null ? 0 : Math.min(PACE_DAYS, Math.max(1, Math.ceil((now.getTime() - Date.parse(since)) / DAY_MS)));
  // Sums as exact text: what flowed through a budget over its life may pass 2^53 hundredths.
  const { rows } = await sql<{ kind: string; total: string; recent: string }>`
    SELECT t.kind, CAST(sum(p.amount) AS TEXT) AS total,
           CAST(sum(CASE WHEN p.created_at >= ${since ?? now.toISOString()} THEN p.amount ELSE 0 END) AS TEXT) AS recent
    FROM postings p JOIN transactions t ON t.seq = p.seq
    WHERE p.account_id = ${account}
    GROUP BY t.kind`.execute(db);
  const by = (kind: string) => rows.find((r) => r.kind === kind) ?? { total: '0', recent: '0' };
  const balance = await db.selectFrom('accounts').select(['posted', 'held']).where('id', '=', account).executeTakeFirst();
  // One balance is bounded (MAX_BALANCE), so a safe integer.
  const remaining = (balance?.posted ?? 0) - (balance?.held ?? 0);
  const creditedRecent = since === null ? new Decimal(0) : Decimal.max(0, new Decimal(by('claim_credit').recent).plus(by('claim_revocation').recent).neg());
  const perDay = windowDays > 0 ? creditedRecent.div(windowDays).floor() : new Decimal(0);
  return {
    org_id: orgId,
    paying_org_id: payer,
    paying_org_name: payerRow?.name ?? '',
    account_id: account,
    allocated: formatPointsExact(by('budget_allocation').total),
    credited: formatPointsExact(new Decimal(by('claim_credit').total).neg().toFixed(0)),
    revoked: formatPointsExact(by('claim_revocation').total),
    remaining: formatPoints(remaining),
    pace: {
      since,
      window_days: windowDays,
      credited_in_window: formatPointsExact(creditedRecent.toFixed(0)),
      per_day: formatPointsExact(perDay.toFixed(0)),
      days_left: perDay.gt(0) ? new Decimal(remaining).div(perDay).floor().toNumber() : null,
    },
  };
}
