import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { formatPoints } from '../ledger/amount.js';
import { startOfLocalYear, yearOf } from '../ledger/programme-time.js';
import type { ProgrammeRules } from '../config/schema.js';
import { levelOf, type HoursLevel } from './levels.js';

/**
 * Service hours (志愿服务时长), kept apart from points: the hours of every
 * approved claim whose activity counts in hours, less those revoked. They are
 * read from the claims and their decisions — both append-only — so nothing
 * can make them drift from what was credited: expiry, redemption and
 * settlement move points and never touch a claim; a revocation is a decision,
 * and takes the claim's hours back. A claim whose points a cap clipped still
 * counts its hours: the service was done and verified, the cap limits points.
 */

/** Where an entry of the record came from. */
export const HOURS_SOURCES = ['checked_in', 'recorded', 'back_filled'] as const;
export type HoursSource = (typeof HOURS_SOURCES)[number];

// The source of a claim's hours, stated once: back-filled when an admin
// recorded it past the age limit or an organizer set an attendee's hours
// (补录: a correction, or one who could not check in); checked in when the
// member checked in at the event with its code; else recorded by an
// organizer (or reported by the worker and approved by one).
const SOURCE = sql<HoursSource>`CASE
  WHEN c.backfill_reason IS NOT NULL
    OR EXISTS (SELECT 1 FROM attendance_corrections ac WHERE ac.event_id = c.event_id AND ac.member_id = c.member_id) THEN 'back_filled'
  WHEN EXISTS (SELECT 1 FROM attendance_check_ins ci WHERE ci.event_id = c.event_id AND ci.member_id = c.member_id) THEN 'checked_in'
  ELSE 'recorded' END`;

// The org that recorded a claim's hours, and so certifies them: the event's
// org for an event's attendee, else the org of the organizer who recorded the
// claim, else the claim's own org (the member's home org).
const RECORDING_ORG = sql<string>`CASE WHEN c.event_id IS NOT NULL THEN c.org_id ELSE coalesce(c.submitter_org_id, c.org_id) END`;

/** Which hours to count: those of service done in [from, to). */
export interface HoursRange {
  from?: string | undefined;
  to?: string | undefined;
}

interface HoursRow {
  activity_code: string;
  activity_name_zh: string;
  activity_name_en: string;
  org_id: string;
  org_name: string;
  source: HoursSource;
  units: number;
}

// The claims a member's record counts in a range: approved, of an activity
// counted in hours, not revoked, done in [from, to). Stated once: the record
// and the certificates drawn from it read the same claims. (CAST: PostgreSQL
// cannot tell the type of a parameter that is only tested for NULL.)
function countedClaims(memberId: string, range: HoursRange) {
  const from = range.from ?? null, to = range.to ?? null;
  return sql`FROM claims c
    JOIN activity_types t ON t.code = c.activity_code AND t.version = c.activity_version AND t.unit = 'hour'
    JOIN claim_decisions d ON d.claim_id = c.id AND d.decision = 'approve'
    JOIN orgs o ON o.id = ${RECORDING_ORG}
    WHERE c.member_id = ${memberId}
      AND (CAST(${from} AS TEXT) IS NULL OR c.occurred_at >= ${from})
      AND (CAST(${to} AS TEXT) IS NULL OR c.occurred_at < ${to})
      AND NOT EXISTS (SELECT 1 FROM claim_decisions r WHERE r.claim_id = c.id AND r.decision = 'revoke')`;
}

const ACTIVITY_NAMES = sql`(SELECT name_zh FROM activity_types WHERE code = c.activity_code ORDER BY version DESC LIMIT 1) AS activity_name_zh,
           (SELECT name_en FROM activity_types WHERE code = c.activity_code ORDER BY version DESC LIMIT 1) AS activity_name_en`;

/** The rows of a member's record in a range, grouped by activity, org and source (hundredths of an hour). */
async function hoursRows(db: Db, memberId: string, range: HoursRange): Promise<HoursRow[]> {
  const { rows } = await sql<HoursRow>`
    SELECT c.activity_code, ${ACTIVITY_NAMES},
           o.id AS org_id, o.name AS org_name, ${SOURCE} AS source, CAST(sum(c.units) AS INTEGER) AS units
    ${countedClaims(memberId, range)}
    GROUP BY c.activity_code, o.id, o.name, source
    ORDER BY c.activity_code, o.id, source`.execute(db);
  return rows.map((r) => ({ ...r, units: Number(r.units) }));
}

/** One claim the record counts, with the org that recorded it (hundredths of an hour): what a certificate is drawn from. */
export interface CountedClaim {
  claim_id: string;
  activity_code: string;
  activity_name_zh: string;
  activity_name_en: string;
  org_id: string;
  org_name: string;
  units: number;
}

/** Every claim a member's record counts in a range, each with its recording org. */
export async function countedClaimsOf(db: Db, memberId: string, range: HoursRange): Promise<CountedClaim[]> {
  const { rows } = await sql<CountedClaim>`
    SELECT c.id AS claim_id, c.activity_code, ${ACTIVITY_NAMES}, o.id AS org_id, o.name AS org_name, c.units
    ${countedClaims(memberId, range)}
    ORDER BY o.id, c.activity_code, c.id`.execute(db);
  return rows.map((r) => ({ ...r, units: Number(r.units) }));
}

/** Hundredths of an hour as the API writes hours: a decimal string ("12.50"). */
export const formatHours = formatPoints;

/** A member's service hours: totals by activity, org and source, and its level (from all its hours to date). */
export interface HoursView {
  member_id: string;
  from: string | null;
  to: string | null;
  total_hours: string;
  by_activity: Array<{ activity_code: string; name_zh: string; name_en: string; hours: string }>;
  by_org: Array<{ org_id: string; name: string; hours: string }>;
  by_source: Record<HoursSource, string>;
  /** Every hour to date in this programme year (whatever the range), as the worker page shows it. */
  this_year: { year: number; hours: string };
  level: HoursLevel;
}

function sumBy<K extends string>(rows: HoursRow[], key: (r: HoursRow) => K): Map<K, number> {
  const totals = new Map<K, number>();
  for (const r of rows) totals.set(key(r), (totals.get(key(r)) ?? 0) + r.units);
  return totals;
}

const total = (rows: HoursRow[]) => rows.reduce((n, r) => n + r.units, 0);

/**
 * A member's service-hours record for a range. The level counts every hour to
 * date, whatever the range, since a level is the member's and not a
 * period's; `this_year` the hours of the programme year `now` is in.
 */
export async function memberHours(
  db: Db,
  memberId: string,
  range: HoursRange,
  rules: Pick<ProgrammeRules, 'hoursLevels' | 'utcOffsetMinutes'>,
  now: Date,
): Promise<HoursView> {
  const rows = await hoursRows(db, memberId, range);
  const all = range.from || range.to ? await hoursRows(db, memberId, {}) : rows;
  const year = yearOf(now, rules.utcOffsetMinutes);
  const yearStart = startOfLocalYear(year, rules.utcOffsetMinutes);
  const thisYear = all.length ? await hoursRows(db, memberId, { from: yearStart }) : [];
  const activities = new Map(rows.map((r) => [r.activity_code, r]));
  const orgs = new Map(rows.map((r) => [r.org_id, r.org_name]));
  const bySource = sumBy(rows, (r) => r.source);
  return {
    member_id: memberId,
    from: range.from ?? null,
    to: range.to ?? null,
    total_hours: formatHours(total(rows)),
    by_activity: [...sumBy(rows, (r) => r.activity_code)].map(([code, units]) => ({
      activity_code: code,
      name_zh: activities.get(code)!.activity_name_zh,
      name_en: activities.get(code)!.activity_name_en,
      hours: formatHours(units),
    })),
    by_org: [...sumBy(rows, (r) => r.org_id)].map(([id, units]) => ({ org_id: id, name: orgs.get(id)!, hours: formatHours(units) })),
    by_source: Object.fromEntries(HOURS_SOURCES.map((s) => [s, formatHours(bySource.get(s) ?? 0)])) as Record<HoursSource, string>,
    this_year: { year, hours: formatHours(total(thisYear)) },
    level: levelOf(total(all), rules.hoursLevels),
  };
}
