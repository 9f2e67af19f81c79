import { sql, type CompiledQuery } from 'kysely';
import type { ChainHead } from '../db/executor.js';
import type { Database, Db } from '../db/types.js';
import { jsonRows } from '../db/dialect.js';
import { orgBudgetAccount, workerAccount } from '../ledger/accounts.js';
import { appendTransaction, type Posting, type RecordedTransaction } from '../ledger/transactions.js';
import { periodsOf } from './pricing.js';

export type ClaimRow = Database['claims'];
export type DecisionRow = Database['claim_decisions'];

/** An approval to record: the decision row and what it credits. */
export interface Credit {
  claim: ClaimRow;
  decision: Omit<DecisionRow, 'tx_id'>;
  caps: { daily: number | null; monthly: number | null };
}

// `->>` reads text on PostgreSQL, which stores no text in an integer column: hence the CASTs.

/** Compiles the insertion of many claims in one statement (D1 caps bound parameters at 100). */
export function insertClaims(db: Db, claims: readonly ClaimRow[]): CompiledQuery[] {
  if (claims.length === 0) return [];
  return [
    sql`INSERT INTO claims (id, member_id, org_id, activity_code, activity_version, event_id, report_ref, units,
          occurred_at, evidence_url, multiplier, campaign_id, points, submitted_by, submitted_sub, submitted_role, created_at,
          max_age_days, backfill_reason, programme_day, submitter_org_id, evidence_id)
        SELECT j.value ->> 'id', j.value ->> 'member_id', j.value ->> 'org_id', j.value ->> 'activity_code', CAST(j.value ->> 'activity_version' AS BIGINT),
               j.value ->> 'event_id', j.value ->> 'report_ref', CAST(j.value ->> 'units' AS BIGINT), j.value ->> 'occurred_at', j.value ->> 'evidence_url',
               j.value ->> 'multiplier', j.value ->> 'campaign_id', CAST(j.value ->> 'points' AS BIGINT), j.value ->> 'submitted_by', j.value ->> 'submitted_sub',
               j.value ->> 'submitted_role', j.value ->> 'created_at',
               CAST(j.value ->> 'max_age_days' AS BIGINT), j.value ->> 'backfill_reason', j.value ->> 'programme_day', j.value ->> 'submitter_org_id', j.value ->> 'evidence_id'
        FROM ${jsonRows(db, JSON.stringify(claims), 'j')}`.compile(db),
  ];
}

/** Compiles decision rows (many in one statement). */
export function insertDecisions(db: Db, decisions: readonly DecisionRow[]): CompiledQuery[] {
  if (decisions.length === 0) return [];
  return [
    sql`INSERT INTO claim_decisions (claim_id, decision, mode, decided_by, decided_sub, decided_member_id, reason,
          points_credited, points_capped, cap_reason, credit_key_event, credit_key_report, tx_id, paid_by_org_id, created_at)
        SELECT j.value ->> 'claim_id', j.value ->> 'decision', j.value ->> 'mode', j.value ->> 'decided_by', j.value ->> 'decided_sub',
               j.value ->> 'decided_member_id', j.value ->> 'reason', CAST(j.value ->> 'points_credited' AS BIGINT), CAST(j.value ->> 'points_capped' AS BIGINT),
               j.value ->> 'cap_reason', j.value ->> 'credit_key_event', j.value ->> 'credit_key_report', j.value ->> 'tx_id',
               j.value ->> 'paid_by_org_id', j.value ->> 'created_at'
        FROM ${jsonRows(db, JSON.stringify(decisions), 'j')}`.compile(db),
  ];
}

/**
 * Adds credited points to the members' day and month totals, each row
 * carrying the cap it was clipped against: the schema's CHECK refuses a
 * total above its cap, so two concurrent credits cannot both pass it.
 */
function addToTotals(db: Db, rows: ReadonlyArray<{ member_id: string; activity_code: string; period: string; points: number; cap: number | null }>): CompiledQuery[] {
  if (rows.length === 0) return [];
  return [
    sql`INSERT INTO earning_totals (member_id, activity_code, period, points, cap)
        SELECT j.value ->> 'member_id', j.value ->> 'activity_code', j.value ->> 'period', CAST(j.value ->> 'points' AS BIGINT), CAST(j.value ->> 'cap' AS BIGINT)
        FROM ${jsonRows(db, JSON.stringify(rows), 'j')} WHERE true
        ON CONFLICT (member_id, activity_code, period)
        DO UPDATE SET points = earning_totals.points + excluded.points, cap = excluded.cap`.compile(db),
  ];
}

/** The decision key columns that make the schema refuse a second credit for one event or report. */
export function creditKeys(claim: Pick<ClaimRow, 'member_id' | 'event_id' | 'report_ref'>) {
  return {
    credit_key_event: claim.event_id ? `${claim.member_id}:${claim.event_id}` : null,
    credit_key_report: claim.report_ref ? `${claim.member_id}:${claim.report_ref}` : null,
  };
}

/**
 * Compiles approvals: their decisions, one ledger transaction moving the
 * credited points from each paying org's budget to each worker (amounts
 * summed per account), and the cap totals. No transaction when nothing is
 * credited (every claim capped to zero).
 */
export function creditClaims(
  db: Db,
  head: ChainHead,
  credits: readonly Credit[],
  ledger: { actor: string; memo: string; ref_type: string; ref_id: string; created_at: string; utcOffsetMinutes: number },
): { statements: CompiledQuery[]; transaction: RecordedTransaction | null; head: ChainHead } {
  const sums = new Map<string, number>();
  const add = (account: string, amount: number) => sums.set(account, (sums.get(account) ?? 0) + amount);
  const totals = new Map<string, { member_id: string; activity_code: string; period: string; points: number; cap: number | null }>();
  for (const { claim, decision, caps } of credits) {
    if (decision.points_credited === 0) continue;
    add(orgBudgetAccount(decision.paid_by_org_id ?? claim.org_id), -decision.points_credited);
    add(workerAccount(claim.member_id), decision.points_credited);
    const periods = periodsOf(claim.occurred_at, ledger.utcOffsetMinutes);
    for (const [period, cap] of [[periods.day, caps.daily], [periods.month, caps.monthly]] as const) {
      const key = `${claim.member_id}|${claim.activity_code}|${period}`;
      const row = totals.get(key) ?? { member_id: claim.member_id, activity_code: claim.activity_code, period, points: 0, cap };
      row.points += decision.points_credited;
      totals.set(key, row);
    }
  }
  const postings: Posting[] = [...sums].filter(([, amount]) => amount !== 0).map(([account_id, amount]) => ({ account_id, amount }));
  let appended: ReturnType<typeof appendTransaction> | null = null;
  if (postings.length > 0) {
    appended = appendTransaction(db, head, { kind: 'claim_credit', postings, ...ledger });
  }
  const txId = appended?.transaction.id ?? null;
  const decisions = credits.map(({ decision }) => ({ ...decision, tx_id: decision.points_credited > 0 ? txId : null }));
  return {
    statements: [...(appended?.statements ?? []), ...insertDecisions(db, decisions), ...addToTotals(db, [...totals.values()])],
    transaction: appended?.transaction ?? null,
    head: appended?.head ?? head,
  };
}

/**
 * Compiles a revocation: the decision, a transaction returning the credited
 * points from the worker to the budget (allowed to take the worker below
 * zero), and the totals given back.
 */
export function revokeClaim(
  db: Db,
  head: ChainHead,
  claim: ClaimRow,
  credit: Pick<DecisionRow, 'points_credited' | 'paid_by_org_id'>,
  decision: Omit<DecisionRow, 'tx_id'>,
  options: { utcOffsetMinutes: number },
): { statements: CompiledQuery[]; transaction: RecordedTransaction | null; head: ChainHead } {
  const credited = credit.points_credited;
  if (credited === 0) return { statements: insertDecisions(db, [{ ...decision, tx_id: null }]), transaction: null, head };
  const appended = appendTransaction(db, head, {
    kind: 'claim_revocation',
    actor: decision.decided_by,
    memo: decision.reason,
    ref_type: 'claim',
    ref_id: claim.id,
    created_at: decision.created_at,
    postings: [
      { account_id: workerAccount(claim.member_id), amount: -credited },
      { account_id: orgBudgetAccount(credit.paid_by_org_id ?? claim.org_id), amount: credited },
    ],
  });
  const periods = periodsOf(claim.occurred_at, options.utcOffsetMinutes);
  const giveBack = sql`UPDATE earning_totals SET points = points - ${credited}
    WHERE member_id = ${claim.member_id} AND activity_code = ${claim.activity_code} AND period IN (${periods.day}, ${periods.month})`.compile(db);
  return {
    statements: [...appended.statements, ...insertDecisions(db, [{ ...decision, tx_id: appended.transaction.id }]), giveBack],
    transaction: appended.transaction,
    head: appended.head,
  };
}
