import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { inJson, jsonArrayAgg } from '../db/dialect.js';
import { Decimal } from 'decimal.js';
import { formatPoints, formatPointsExact, parsePoints } from '../ledger/amount.js';
import { memberNumberText } from '../members/member-number.js';
import { ANOMALY_THRESHOLDS as T } from './thresholds.js';

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
  /** The records behind the evidence ids, as people know them (ids no record was found for are left out). */
  records: EvidenceRecord[];
}

/** One record behind a finding: a claim, a ledger transaction, a redemption or a failed redeem code. */
export interface EvidenceRecord {
  id: string;
  type: 'claim' | 'transaction' | 'redemption' | 'redeem_failure';
  /** When it was recorded. */
  at: string;
  /** A claim's activity day (YYYY-MM-DD); null for the others. */
  occurred_on: string | null;
  /** The member's name and number, when one is concerned. */
  member: string | null;
  /** The points: a claim's, a redemption's, what a transaction moved. */
  points: string | null;
  /** A claim's status (pending, approved, rejected, revoked), a transaction's kind, "refunded", a redeem failure's reason. */
  kind: string | null;
  /** What it was, in Chinese and English: an activity's name, a reward's name, a memo, a shop's name. */
  what_zh: string | null;
  what_en: string | null;
}

type Finding = Omit<Anomaly, 'subject_name' | 'records'>;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The median: the middle value, or the mean of the middle two. */
export function medianOf(values: readonly Decimal[]): Decimal {
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : sorted[mid - 1]!.plus(sorted[mid]!).dividedBy(2);
}

/**
 * Runs every detector over the ledger and its controls, with the thresholds
 * of src/audit/thresholds.ts (where each is said in words).
 */
export async function findAnomalies(db: Db, now: Date): Promise<Anomaly[]> {
  const month = new Date(now.getTime() - T.PEER_WINDOW_DAYS * DAY_MS).toISOString();
  const week = new Date(now.getTime() - T.BUDGET_PACE_DAYS * DAY_MS).toISOString();
  const found: Finding[] = [];

  const byOrganizer = (
    await sql<{ actor: string; points: string; ids: string }>`
      SELECT decided_by AS actor, CAST(sum(points_credited) AS TEXT) AS points, ${jsonArrayAgg(db, sql`claim_id`)} AS ids
      FROM claim_decisions WHERE decision = 'approve' AND decided_by LIKE 'organizer:%' AND created_at >= ${month}
      GROUP BY decided_by`.execute(db)
  ).rows;
  // Each organizer against the median of the others (sums as exact text,
  // compared with decimal.js: a total may pass 2^53 hundredths).
  const floor = new Decimal(parsePoints(T.PEER_MIN_POINTS));
  for (const [i, r] of byOrganizer.entries()) {
    const peers = byOrganizer.filter((_, j) => j !== i).map((o) => new Decimal(o.points));
    if (peers.length < T.MIN_PEERS) break;
    const points = new Decimal(r.points);
    const median = medianOf(peers);
    if (points.gte(floor) && points.gt(median.times(T.PEER_MULTIPLE))) {
      const facts = { points: formatPointsExact(r.points), median: formatPointsExact(median.toFixed(0)), peers: String(peers.length) };
      found.push({ kind: 'organizer_above_peers', subject: r.actor, detail: `credited ${facts.points} in ${T.PEER_WINDOW_DAYS} days; the median of its ${facts.peers} peers ${facts.median}`, facts, evidence: (JSON.parse(r.ids) as string[]).slice(0, 50) });
    }
  }

  const pace = (
    await sql<{ account_id: string; spent: string; remaining: number; ids: string }>`
      SELECT p.account_id, CAST(-sum(p.amount) AS TEXT) AS spent, a.posted - a.held AS remaining, ${jsonArrayAgg(db, sql`p.tx_id`)} AS ids
      FROM postings p JOIN accounts a ON a.id = p.account_id JOIN transactions t ON t.seq = p.seq
      WHERE a.kind = 'budget' AND t.kind = 'claim_credit' AND p.created_at >= ${week}
      GROUP BY p.account_id, a.posted, a.held`.execute(db)
  ).rows;
  for (const r of pace) {
    if (new Decimal(r.spent).gt(0) && new Decimal(r.remaining).lt(r.spent)) {
      const facts = { points: formatPointsExact(r.spent), remaining: formatPoints(Number(r.remaining)) };
      found.push({ kind: 'budget_pace', subject: r.account_id, detail: `credited ${facts.points} in ${T.BUDGET_PACE_DAYS} days with ${facts.remaining} left: exhausted within ${T.BUDGET_PACE_DAYS} days at this pace`, facts, evidence: (JSON.parse(r.ids) as string[]).slice(0, 50) });
    }
  }

  const bursts = (
    await sql<{ member_id: string; n: number; ids: string }>`
      SELECT member_id, count(*) AS n, ${jsonArrayAgg(db, sql`id`)} AS ids FROM claims
      WHERE created_at >= ${new Date(now.getTime() - T.BURST_HOURS * HOUR_MS).toISOString()}
      GROUP BY member_id HAVING count(*) >= ${T.BURST_CLAIMS}`.execute(db)
  ).rows;
  for (const r of bursts) found.push({ kind: 'claims_burst', subject: r.member_id, detail: `${r.n} claims in ${T.BURST_HOURS} hours`, facts: { n: String(r.n) }, evidence: JSON.parse(r.ids) });

  const repeated = (
    await sql<{ report_ref: string; members: number; ids: string }>`
      SELECT report_ref, count(DISTINCT member_id) AS members, ${jsonArrayAgg(db, sql`id`)} AS ids FROM claims
      WHERE report_ref IS NOT NULL GROUP BY report_ref HAVING count(DISTINCT member_id) > 1`.execute(db)
  ).rows;
  for (const r of repeated) found.push({ kind: 'repeated_report_ref', subject: r.report_ref, detail: `claimed by ${r.members} members`, facts: { n: String(r.members) }, evidence: JSON.parse(r.ids) });

  const refusals = (
    await sql<{ kind: string; actor: string; n: number; ids: string }>`
      SELECT kind, actor, count(*) AS n, ${jsonArrayAgg(db, sql`coalesce(subject_id, id)`)} AS ids FROM control_refusals
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
             ${jsonArrayAgg(db, sql`CASE WHEN f.redemption_id IS NOT NULL THEN r.id END`)} AS ids
      FROM redemptions r LEFT JOIN refunds f ON f.redemption_id = r.id
      WHERE r.created_at >= ${new Date(now.getTime() - T.REFUND_WINDOW_DAYS * DAY_MS).toISOString()} GROUP BY r.merchant_id`.execute(db)
  ).rows;
  for (const r of refundRates) {
    if (Number(r.n) >= T.REFUND_MIN_REDEMPTIONS && Number(r.refunded) * 100 > Number(r.n) * T.REFUND_MAX_PERCENT) {
      found.push({ kind: 'merchant_refund_rate', subject: r.merchant_id, detail: `${r.refunded} of ${r.n} redemptions refunded in ${T.REFUND_WINDOW_DAYS} days`, facts: { refunded: String(r.refunded), n: String(r.n) }, evidence: (JSON.parse(r.ids) as Array<string | null>).filter((x): x is string => !!x) });
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
  const named = await nameSubjects(db, found);
  const records = await evidenceRecords(db, named.flatMap((f) => f.evidence));
  return named.map((f) => ({ ...f, records: f.evidence.flatMap((id) => records.get(id) ?? []) }));
}

/**
 * The name each subject goes by: a member's name and number (by its id or
 * its account), an org's name (by its budget account), a shop's name.
 * Three queries, whatever the number of findings.
 */
async function nameSubjects(db: Db, found: readonly Finding[]): Promise<Array<Omit<Anomaly, 'records'>>> {
  const subjects = new Set(found.map((f) => f.subject));
  const [members, orgs, merchants] = await Promise.all([
    sql<{ id: string; account_id: string; display_name: string | null; member_no: number }>`
      SELECT id, account_id, display_name, member_no FROM members
      WHERE id IN ${inJson(db, subjects)} OR account_id IN ${inJson(db, subjects)}`.execute(db),
    sql<{ account_id: string; name: string }>`
      SELECT a.id AS account_id, o.name FROM accounts a JOIN orgs o ON o.id = a.owner_id
      WHERE a.kind = 'budget' AND a.id IN ${inJson(db, subjects)}`.execute(db),
    sql<{ id: string; name: string }>`SELECT id, name FROM merchants WHERE id IN ${inJson(db, subjects)}`.execute(db),
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
             count(CASE WHEN reason <> 'rate_limited' THEN 1 END) AS failed,
             count(CASE WHEN reason = 'invalid' THEN 1 END) AS invalid,
             count(CASE WHEN reason = 'used' THEN 1 END) AS used,
             count(CASE WHEN reason = 'expired' THEN 1 END) AS expired,
             count(CASE WHEN reason = 'rate_limited' THEN 1 END) AS limited,
             ${jsonArrayAgg(db, sql`DISTINCT actor`)} AS tills, ${jsonArrayAgg(db, sql`id`)} AS ids
      FROM redeem_failures WHERE created_at >= ${new Date(now.getTime() - T.REDEEM_FAILURE_HOURS * HOUR_MS).toISOString()}
      GROUP BY merchant_id
      HAVING count(CASE WHEN reason <> 'rate_limited' THEN 1 END) >= ${T.REDEEM_FAILURES} OR count(CASE WHEN reason = 'rate_limited' THEN 1 END) > 0`.execute(db)
  ).rows;
  return rows.map((r) => ({
    kind: 'redeem_code_failures',
    subject: r.merchant_id,
    detail:
      `${r.failed} failed redeem-code attempts in ${T.REDEEM_FAILURE_HOURS} hours (${r.invalid} unknown, ${r.used} already used, ${r.expired} expired); ` +
      `${r.limited} refused by the rate limit; tills: ${(JSON.parse(r.tills) as string[]).join(', ')}`,
    facts: { n: String(r.failed), invalid: String(r.invalid), used: String(r.used), expired: String(r.expired), limited: String(r.limited), tills: (JSON.parse(r.tills) as string[]).join('、') },
    evidence: (JSON.parse(r.ids) as string[]).slice(0, 50),
  }));
}

/**
 * The records behind evidence ids, each as people know it: the member's name
 * and number, the points, the activity's or reward's name, when. Four
 * queries, whatever the number of ids; an id matches one kind of record.
 */
async function evidenceRecords(db: Db, evidence: readonly string[]): Promise<Map<string, EvidenceRecord>> {
  const ids = new Set(evidence);
  const memberName = (name: string | null, no: number | null) => (no === null ? null : `${name ?? ''} ${memberNumberText(no)}`.trim());
  // A claim's last decision: a revocation, which only follows an approval, else its one approval or rejection.
  const [claims, txs, redemptions, failures] = await Promise.all([
    sql<{ id: string; created_at: string; occurred_at: string; points: number; name_zh: string; name_en: string; display_name: string | null; member_no: number | null; decision: string | null }>`
      SELECT c.id, c.created_at, c.occurred_at, c.points, a.name_zh, a.name_en, m.display_name, m.member_no,
             (SELECT d.decision FROM claim_decisions d WHERE d.claim_id = c.id ORDER BY CASE d.decision WHEN 'revoke' THEN 1 ELSE 0 END DESC LIMIT 1) AS decision
      FROM claims c JOIN activity_types a ON a.code = c.activity_code AND a.version = c.activity_version JOIN members m ON m.id = c.member_id
      WHERE c.id IN ${inJson(db, ids)}`.execute(db),
    sql<{ id: string; kind: string; memo: string | null; created_at: string; moved: string; display_name: string | null; member_no: number | null }>`
      SELECT t.id, t.kind, t.memo, t.created_at,
             (SELECT CAST(sum(p.amount) AS TEXT) FROM postings p WHERE p.seq = t.seq AND p.amount > 0) AS moved,
             m.display_name, m.member_no
      FROM transactions t
      LEFT JOIN members m ON m.account_id = (SELECT p.account_id FROM postings p JOIN members x ON x.account_id = p.account_id WHERE p.seq = t.seq LIMIT 1)
      WHERE t.id IN ${inJson(db, ids)}`.execute(db),
    sql<{ id: string; created_at: string; points: number; quantity: number; reward: string; refunded: number; display_name: string | null; member_no: number | null }>`
      SELECT r.id, r.created_at, r.points, r.quantity, w.name AS reward, CASE WHEN f.redemption_id IS NULL THEN 0 ELSE 1 END AS refunded, m.display_name, m.member_no
      FROM redemptions r JOIN rewards w ON w.id = r.reward_id JOIN members m ON m.id = r.member_id LEFT JOIN refunds f ON f.redemption_id = r.id
      WHERE r.id IN ${inJson(db, ids)}`.execute(db),
    sql<{ id: string; created_at: string; reason: string; shop: string | null; display_name: string | null; member_no: number | null }>`
      SELECT f.id, f.created_at, f.reason, s.name AS shop, m.display_name, m.member_no
      FROM redeem_failures f LEFT JOIN merchants s ON s.id = f.merchant_id LEFT JOIN members m ON m.id = f.member_id
      WHERE f.id IN ${inJson(db, ids)}`.execute(db),
  ]);
  const found = new Map<string, EvidenceRecord>();
  const status: Record<string, string> = { approve: 'approved', reject: 'rejected', revoke: 'revoked' };
  for (const c of claims.rows) {
    found.set(c.id, { id: c.id, type: 'claim', at: c.created_at, occurred_on: c.occurred_at.slice(0, 10), member: memberName(c.display_name, c.member_no), points: formatPoints(Number(c.points)), kind: status[c.decision ?? ''] ?? 'pending', what_zh: c.name_zh, what_en: c.name_en });
  }
  for (const t of txs.rows) {
    found.set(t.id, { id: t.id, type: 'transaction', at: t.created_at, occurred_on: null, member: memberName(t.display_name, t.member_no), points: formatPointsExact(t.moved ?? '0'), kind: t.kind, what_zh: t.memo, what_en: t.memo });
  }
  for (const r of redemptions.rows) {
    const what = Number(r.quantity) > 1 ? `${r.reward} × ${r.quantity}` : r.reward;
    found.set(r.id, { id: r.id, type: 'redemption', at: r.created_at, occurred_on: null, member: memberName(r.display_name, r.member_no), points: formatPoints(Number(r.points)), kind: Number(r.refunded) ? 'refunded' : null, what_zh: what, what_en: what });
  }
  for (const f of failures.rows) {
    found.set(f.id, { id: f.id, type: 'redeem_failure', at: f.created_at, occurred_on: null, member: memberName(f.display_name, f.member_no), points: null, kind: f.reason, what_zh: f.shop, what_en: f.shop });
  }
  return found;
}
