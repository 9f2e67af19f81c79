import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { Decimal } from 'decimal.js';
import { formatPoints, formatPointsExact } from '../ledger/amount.js';
import { memberNumberText } from '../members/member-number.js';

/** One finding, with the ids that show it. */
export interface Anomaly {
  kind: string;
  subject: string;
  /** Who or what the subject is, as people know it (a member's name and number, an org's or a shop's name); null when the subject says it. */
  subject_name: string | null;
  /** The finding in English. */
  detail: string;
  /** The figures and words of the finding, for the pages' sentence in their own language. */
  facts: Record<string, string>;
  evidence: string[];
}

type Finding = Omit<Anomaly, 'subject_name'>;

const DAY_MS = 86_400_000;

/**
 * Runs every detector over the ledger and its controls. Thresholds are
 * deliberately simple and documented: an organizer crediting over 3× the
 * median of its peers in 30 days; an org budget whose last-7-day pace would
 * exhaust it within 7 days; 10+ claims for one member in 24 hours; a
 * report_ref claimed by more than one member; refused self-approvals; a
 * revocation that left a worker below zero; a merchant refunding over 20% of
 * 5+ redemptions in 30 days; and a merchant's tills presenting 5+ failing
 * redeem codes in 24 hours, or being stopped by the redeem-code limit.
 */
export async function findAnomalies(db: Db, now: Date): Promise<Anomaly[]> {
  const month = new Date(now.getTime() - 30 * DAY_MS).toISOString();
  const week = new Date(now.getTime() - 7 * DAY_MS).toISOString();
  const found: Finding[] = [];

  const byOrganizer = (
    await sql<{ actor: string; points: string; ids: string }>`
      SELECT decided_by AS actor, CAST(sum(points_credited) AS TEXT) AS points, json_group_array(claim_id) AS ids
      FROM claim_decisions WHERE decision = 'approve' AND decided_by LIKE 'organizer:%' AND created_at >= ${month}
      GROUP BY decided_by`.execute(db)
  ).rows;
  if (byOrganizer.length >= 3) {
    // Sums as exact text, compared with decimal.js (a total may pass 2^53 hundredths).
    const sorted = byOrganizer.map((r) => new Decimal(r.points)).sort((a, b) => a.comparedTo(b));
    const median = sorted[Math.floor(sorted.length / 2)]!;
    for (const r of byOrganizer) {
      if (median.gt(0) && new Decimal(r.points).gt(median.times(3))) {
        const facts = { points: formatPointsExact(r.points), median: formatPointsExact(median.toFixed(0)) };
        found.push({ kind: 'organizer_above_peers', subject: r.actor, detail: `credited ${facts.points} in 30 days; peers' median ${facts.median}`, facts, evidence: (JSON.parse(r.ids) as string[]).slice(0, 50) });
      }
    }
  }

  const pace = (
    await sql<{ account_id: string; spent: string; remaining: number; ids: string }>`
      SELECT p.account_id, CAST(-sum(p.amount) AS TEXT) AS spent, a.posted - a.held AS remaining, json_group_array(p.tx_id) AS ids
      FROM postings p JOIN accounts a ON a.id = p.account_id JOIN transactions t ON t.seq = p.seq
      WHERE a.kind = 'budget' AND t.kind = 'claim_credit' AND p.created_at >= ${week}
      GROUP BY p.account_id, a.posted, a.held`.execute(db)
  ).rows;
  for (const r of pace) {
    if (new Decimal(r.spent).gt(0) && new Decimal(r.remaining).lt(r.spent)) {
      const facts = { points: formatPointsExact(r.spent), remaining: formatPoints(Number(r.remaining)) };
      found.push({ kind: 'budget_pace', subject: r.account_id, detail: `credited ${facts.points} in 7 days with ${facts.remaining} left: exhausted within a week at this pace`, facts, evidence: (JSON.parse(r.ids) as string[]).slice(0, 50) });
    }
  }

  const bursts = (
    await sql<{ member_id: string; n: number; ids: string }>`
      SELECT member_id, count(*) AS n, json_group_array(id) AS ids FROM claims
      WHERE created_at >= ${new Date(now.getTime() - DAY_MS).toISOString()}
      GROUP BY member_id HAVING count(*) >= 10`.execute(db)
  ).rows;
  for (const r of bursts) found.push({ kind: 'claims_burst', subject: r.member_id, detail: `${r.n} claims in 24 hours`, facts: { n: String(r.n) }, evidence: JSON.parse(r.ids) });

  const repeated = (
    await sql<{ report_ref: string; members: number; ids: string }>`
      SELECT report_ref, count(DISTINCT member_id) AS members, json_group_array(id) AS ids FROM claims
      WHERE report_ref IS NOT NULL GROUP BY report_ref HAVING count(DISTINCT member_id) > 1`.execute(db)
  ).rows;
  for (const r of repeated) found.push({ kind: 'repeated_report_ref', subject: r.report_ref, detail: `claimed by ${r.members} members`, facts: { n: String(r.members) }, evidence: JSON.parse(r.ids) });

  const refusals = (
    await sql<{ kind: string; actor: string; n: number; ids: string }>`
      SELECT kind, actor, count(*) AS n, json_group_array(coalesce(subject_id, id)) AS ids FROM control_refusals
      GROUP BY kind, actor`.execute(db)
  ).rows;
  for (const r of refusals) {
    found.push({ kind: r.kind === 'self_approval' ? 'self_approval_refused' : r.kind, subject: r.actor, detail: `${r.n} refused`, facts: { n: String(r.n) }, evidence: (JSON.parse(r.ids) as string[]).slice(0, 50) });
  }

  const negative = (
    await sql<{ account_id: string; tx_id: string; balance_after: number }>`
      SELECT p.account_id, p.tx_id, p.balance_after FROM postings p JOIN transactions t ON t.seq = p.seq
      WHERE t.kind = 'claim_revocation' AND p.amount < 0 AND p.balance_after < 0`.execute(db)
  ).rows;
  for (const r of negative) {
    const facts = { balance: formatPoints(r.balance_after) };
    found.push({ kind: 'revocation_left_negative', subject: r.account_id, detail: `balance ${facts.balance} after the revocation`, facts, evidence: [r.tx_id] });
  }

  const refundRates = (
    await sql<{ merchant_id: string; n: number; refunded: number; ids: string }>`
      SELECT r.merchant_id, count(*) AS n, count(f.redemption_id) AS refunded,
             json_group_array(CASE WHEN f.redemption_id IS NOT NULL THEN r.id END) AS ids
      FROM redemptions r LEFT JOIN refunds f ON f.redemption_id = r.id
      WHERE r.created_at >= ${month} GROUP BY r.merchant_id`.execute(db)
  ).rows;
  for (const r of refundRates) {
    if (Number(r.n) >= 5 && Number(r.refunded) * 5 > Number(r.n)) {
      found.push({ kind: 'merchant_refund_rate', subject: r.merchant_id, detail: `${r.refunded} of ${r.n} redemptions refunded in 30 days`, facts: { refunded: String(r.refunded), n: String(r.n) }, evidence: (JSON.parse(r.ids) as Array<string | null>).filter((x): x is string => !!x) });
    }
  }
  // Claims an admin recorded past the age limit (JIFEN_CLAIM_MAX_AGE_DAYS): every one, with its reason.
  const backfills = (
    await sql<{ id: string; submitted_by: string; member_id: string; occurred_at: string; created_at: string; backfill_reason: string }>`
      SELECT id, submitted_by, member_id, occurred_at, created_at, backfill_reason FROM claims
      WHERE backfill_reason IS NOT NULL ORDER BY created_at`.execute(db)
  ).rows;
  for (const r of backfills) {
    found.push({
      kind: 'backfilled_claim',
      subject: r.submitted_by,
      detail: `claim for ${r.member_id} of ${r.occurred_at.slice(0, 10)} recorded on ${r.created_at.slice(0, 10)} as a back-fill: ${r.backfill_reason}`,
      facts: { member: r.member_id, occurred: r.occurred_at.slice(0, 10), recorded: r.created_at.slice(0, 10), reason: r.backfill_reason },
      evidence: [r.id],
    });
  }
  found.push(...(await redeemCodeFailures(db, now)));
  return nameSubjects(db, found);
}

/**
 * The name each subject goes by: a member's name and number (by its id or
 * its account), an org's name (by its budget account), a shop's name.
 * Three queries, whatever the number of findings.
 */
async function nameSubjects(db: Db, found: readonly Finding[]): Promise<Anomaly[]> {
  const subjects = JSON.stringify([...new Set(found.map((f) => f.subject))]);
  const [members, orgs, merchants] = await Promise.all([
    sql<{ id: string; account_id: string; display_name: string | null; member_no: number }>`
      SELECT id, account_id, display_name, member_no FROM members
      WHERE id IN (SELECT value FROM json_each(${subjects})) OR account_id IN (SELECT value FROM json_each(${subjects}))`.execute(db),
    sql<{ account_id: string; name: string }>`
      SELECT a.id AS account_id, o.name FROM accounts a JOIN orgs o ON o.id = a.owner_id
      WHERE a.kind = 'budget' AND a.id IN (SELECT value FROM json_each(${subjects}))`.execute(db),
    sql<{ id: string; name: string }>`SELECT id, name FROM merchants WHERE id IN (SELECT value FROM json_each(${subjects}))`.execute(db),
  ]);
  const names = new Map<string, string>();
  for (const m of members.rows) {
    const name = `${m.display_name ?? ''} ${memberNumberText(m.member_no)}`.trim();
    names.set(m.id, name);
    names.set(m.account_id, name);
  }
  for (const o of orgs.rows) names.set(o.account_id, o.name);
  for (const m of merchants.rows) names.set(m.id, m.name);
  return found.map((f) => ({ ...f, subject_name: names.get(f.subject) ?? null }));
}

/** Failing redeem codes per merchant in 24 hours: guessing, or a till in trouble. */
async function redeemCodeFailures(db: Db, now: Date): Promise<Finding[]> {
  const rows = (
    await sql<{ merchant_id: string; failed: number; invalid: number; used: number; expired: number; limited: number; tills: string; ids: string }>`
      SELECT merchant_id,
             sum(reason <> 'rate_limited') AS failed, sum(reason = 'invalid') AS invalid, sum(reason = 'used') AS used,
             sum(reason = 'expired') AS expired, sum(reason = 'rate_limited') AS limited,
             json_group_array(DISTINCT actor) AS tills, json_group_array(id) AS ids
      FROM redeem_failures WHERE created_at >= ${new Date(now.getTime() - DAY_MS).toISOString()}
      GROUP BY merchant_id HAVING sum(reason <> 'rate_limited') >= 5 OR sum(reason = 'rate_limited') > 0`.execute(db)
  ).rows;
  return rows.map((r) => ({
    kind: 'redeem_code_failures',
    subject: r.merchant_id,
    detail:
      `${r.failed} failed redeem-code attempts in 24 hours (${r.invalid} unknown, ${r.used} already used, ${r.expired} expired); ` +
      `${r.limited} refused by the rate limit; tills: ${(JSON.parse(r.tills) as string[]).join(', ')}`,
    facts: { n: String(r.failed), invalid: String(r.invalid), used: String(r.used), expired: String(r.expired), limited: String(r.limited), tills: (JSON.parse(r.tills) as string[]).join('、') },
    evidence: (JSON.parse(r.ids) as string[]).slice(0, 50),
  }));
}
