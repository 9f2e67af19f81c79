import { sql } from 'kysely';
import type { Caller } from '../auth/caller.js';
import { callerKey } from '../auth/caller.js';
import type { Db } from '../db/types.js';
import { inJson, jsonRows } from '../db/dialect.js';
import { AppError, refuse } from '../errors.js';
import { claimRefusalTitle, refusalEntry, type RefusalCode } from '../refusals/index.js';
import { newId } from '../ids.js';
import type { ActivityTypeRow } from '../activities/activity-types.js';
import { campaignsOverlapping, chooseMultiplier } from '../activities/campaigns.js';
import { periodsOf, pricePoints } from './pricing.js';
import type { ClaimRow } from './claim-writes.js';
import type { Decider } from './plan-credits.js';
import { findMembersByRefs, type MemberRow } from '../members/members.js';
import { readMemberRef } from '../members/member-number.js';
import { autoApprovalKey, autoApprovedTotals, creditScopeRefusal, occurredAtRefusal, type BackfillRequest } from './claim-rules.js';

/** One claim as asked for (amounts already in hundredths). */
export interface ClaimRequest extends BackfillRequest {
  member_id?: string | undefined;
  activity_code?: string | undefined;
  units?: number | undefined;
  event_id?: string | undefined;
  report_ref?: string | undefined;
  occurred_at?: string | undefined;
  evidence_url?: string | undefined;
  evidence_id?: string | undefined;
}

/** An event the claims belong to (new in this request, or recorded before). */
export interface EventContext {
  id: string;
  org_id: string;
  activity_code: string;
  starts_at: string;
}

/** A participant or claim that could not be accepted, and why. */
export interface Refusal {
  index: number;
  member_id: string | null;
  status: number;
  code: string;
  detail: string;
}

/** Claims ready to insert, which of them the submitter may approve at once, and the refusals. */
export interface Submission {
  claims: ClaimRow[];
  autoApprove: ClaimRow[];
  refused: Refusal[];
  types: Map<string, ActivityTypeRow>;
  /** The paths of the orgs read to scope the claims, by id. */
  orgPaths: Map<string, string>;
  /** The members the claims are for, by id. */
  members: ReadonlyMap<string, MemberRow>;
}

/**
 * Validates, scopes, prices and de-duplicates claims: one query per kind of
 * thing looked up, whatever the number of claims. Refusals are returned, not
 * thrown, so the caller can apply its atomicity rule.
 */
export async function prepareSubmission(
  db: Db,
  caller: Caller,
  requests: readonly ClaimRequest[],
  context: { events: ReadonlyMap<string, EventContext>; now: Date; maxAgeDays: number; utcOffsetMinutes: number },
): Promise<Submission> {
  const now = context.now.toISOString();
  // Members are named by id or by member number; each claim is then about the member's id.
  const refs = requests.map((r) => (caller.role === 'worker' ? r.member_id ?? caller.member_id! : r.member_id ?? ''));
  const named = await findMembersByRefs(db, refs);
  const memberIds = refs.map((ref) => named.get(ref)?.id ?? ref);
  const members = new Map([...named.values()].map((m) => [m.id, m]));
  const codes = requests.map((r) => (r.event_id ? context.events.get(r.event_id)?.activity_code : undefined) ?? r.activity_code ?? '');
  const types = await currentTypes(db, codes);
  const orgIds = [...new Set([...members.values()].map((m) => m.home_org_id).concat([...context.events.values()].map((e) => e.org_id)))];
  const orgPaths = await orgPathsById(db, caller.org_id ? [...orgIds, caller.org_id] : orgIds);
  const scopePath = caller.role === 'organizer' ? orgPaths.get(caller.org_id!) : undefined;
  const times = requests.map((r) => (r.event_id ? context.events.get(r.event_id)?.starts_at : r.occurred_at) ?? now);
  const days = times.map((t) => periodsOf(t, context.utcOffsetMinutes).day.slice(2));
  // What the caller already approved on submission today for each member and activity counts against the threshold.
  // Only activities with a threshold keep totals; only organizers and admins approve on submission.
  const thresholded = caller.role === 'worker' ? [] : requests.map((_, i) => i).filter((i) => (types.get(codes[i]!)?.maker_checker_threshold ?? null) !== null);
  const autoApproved = await autoApprovedTotals(db, thresholded.map((i) => ({ decided_sub: caller.sub, member_id: memberIds[i]!, activity_code: codes[i]!, day: days[i]! })));
  // An event may be recorded with no roster yet: no times, so the window is just now.
  const campaigns = await campaignsOverlapping(db, times.reduce((a, b) => (a < b ? a : b), times[0] ?? now), times.reduce((a, b) => (a > b ? a : b), times[0] ?? now));
  const existing = await openDuplicates(db, requests.map((r, i) => ({ member_id: memberIds[i]!, event_id: r.event_id ?? null, report_ref: r.report_ref ?? null })));

  const refused: Refusal[] = [];
  const claims: ClaimRow[] = [];
  const autoApprove: ClaimRow[] = [];
  const seen = new Set<string>();
  const versions = new Map<string, ActivityTypeRow>();
  requests.forEach((request, index) => {
    const memberId = memberIds[index]!;
    const refuse = (code: RefusalCode, detail = refusalEntry(code).detail) =>
      refused.push({ index, member_id: memberId || null, status: refusalEntry(code).status, code, detail });
    if (caller.role === 'worker' && memberId !== caller.member_id) return refuse('forbidden', 'Workers report only for themselves');
    const member = members.get(memberId);
    if (!member && readMemberRef(memberId).kind === 'mistyped') return refuse('member_number_mistyped', `${memberId}: ${refusalEntry('member_number_mistyped').detail}`);
    if (!member) return refuse('unknown_member', `Member ${memberId || '(none given)'} was not found`);
    if (member.status !== 'active') return refuse('member_deactivated');
    const event = request.event_id ? context.events.get(request.event_id) : undefined;
    if (request.event_id && !event) return refuse('unknown_event', `Event ${request.event_id} was not found`);
    if (event && request.activity_code && request.activity_code !== event.activity_code) {
      return refuse('activity_mismatch', `Event ${event.id} is for ${event.activity_code}`);
    }
    const type = types.get(codes[index]!);
    if (!type) return refuse('unknown_activity', `Activity type ${codes[index] || '(none given)'} was not found`);
    const orgId = event?.org_id ?? member.home_org_id;
    const orgPath = orgPaths.get(orgId) ?? '';
    const refuseWith = (error: AppError) => refused.push({ index, member_id: memberId || null, status: error.status, code: error.code, detail: error.detail ?? error.title });
    // Organizers act in their subtree: the claim's org (the event's) and the member's home org.
    const outOfScope = creditScopeRefusal(caller, scopePath, { member_id: memberId, home_path: orgPaths.get(member.home_org_id), org_id: orgId, org_path: orgPaths.get(orgId) });
    if (outOfScope) return refuseWith(outOfScope);
    const occurredAt = event?.starts_at ?? request.occurred_at;
    if (!occurredAt) return refuse('occurred_at_required');
    const badTime = occurredAtRefusal(caller, occurredAt, request, { now: context.now, maxAgeDays: context.maxAgeDays });
    if (badTime) return refuseWith(badTime);
    if (type.unit === 'hour' && request.units === undefined) return refuse('units_required', `${type.code} is counted in hours: give units`);
    // Also a guard in the schema; checked here so one claim of a batch is refused alone.
    if (caller.role === 'worker' && type.requires_evidence && !request.evidence_url && !request.evidence_id) {
      return refuse('evidence_required', `${type.code} needs evidence: an evidence_url or an evidence_id`);
    }
    const keys = [event ? `e:${memberId}:${event.id}` : null, request.report_ref ? `r:${memberId}:${request.report_ref}` : null].filter(Boolean) as string[];
    if (keys.some((k) => seen.has(k) || existing.has(k))) {
      return refuse('duplicate_claim', `Member ${memberId} already has a claim for this ${event ? 'event' : 'report'}`);
    }
    keys.forEach((k) => seen.add(k));

    const units = request.units ?? 100;
    const { multiplier, campaign_id } = chooseMultiplier(campaigns, { activity_code: type.code, org_path: orgPath, occurred_at: new Date(occurredAt).toISOString() });
    let points: number;
    try {
      points = pricePoints(units, type.points_per_unit, multiplier);
    } catch (error) {
      if (error instanceof AppError) return refuseWith(error);
      throw error;
    }
    const claim: ClaimRow = {
      id: newId('clm'),
      member_id: memberId,
      org_id: orgId,
      activity_code: type.code,
      activity_version: type.version,
      event_id: event?.id ?? null,
      report_ref: request.report_ref ?? null,
      units,
      occurred_at: new Date(occurredAt).toISOString(),
      evidence_url: request.evidence_url ?? null,
      multiplier: multiplier.toString(),
      campaign_id,
      points,
      submitted_by: callerKey(caller),
      submitted_sub: caller.sub,
      submitted_role: caller.role as ClaimRow['submitted_role'],
      created_at: now,
      max_age_days: context.maxAgeDays,
      backfill_reason: request.backfill ? request.backfill_reason ?? null : null,
      programme_day: days[index]!,
      submitter_org_id: caller.role === 'organizer' ? caller.org_id ?? null : null,
      evidence_id: request.evidence_id ?? null,
    };
    claims.push(claim);
    versions.set(`${type.code}:${type.version}`, type);
    // The threshold bounds what this caller approves on submission for the member, activity and
    // day, not one claim: ten small claims are one large one (the schema sums them too).
    const dayKey = autoApprovalKey({ decided_sub: caller.sub, member_id: memberId, activity_code: type.code, day: claim.programme_day! });
    const approvedToday = (autoApproved.get(dayKey) ?? 0) + claim.points;
    const withinThreshold = type.maker_checker_threshold === null || approvedToday <= type.maker_checker_threshold;
    if ((caller.role === 'organizer' || caller.role === 'admin') && withinThreshold && memberId !== caller.member_id) {
      autoApprove.push(claim);
      autoApproved.set(dayKey, approvedToday);
    }
  });
  return { claims, autoApprove, refused, types: versions, orgPaths, members };
}

/** The decider recorded when the submitter approves on submission. */
export function submitterAsDecider(caller: Caller): Decider {
  return { by: callerKey(caller), sub: caller.sub, member_id: caller.member_id ?? null };
}

/** Turns refusals into the one error a request gets when it asked for all or nothing. */
export function refusalError(refused: readonly Refusal[], single: boolean): AppError {
  const first = refused[0]!;
  if (single) return new AppError(first.status, first.code, claimRefusalTitle(first.status), first.detail);
  return refuse('claims_refused', `${refused.length} of the claims were refused, so none was recorded (send "atomic": false to record the rest)`, {
    errors: refused.map((r) => ({ path: `claims.${r.index}`, message: `${r.code}: ${r.detail}` })),
  });
}

// The lookups of every claim are SQL text rather than Kysely's builder: they run on every credit, and building
// and compiling a query cost more than SQLite answering it.
async function orgPathsById(db: Db, ids: readonly string[]) {
  const { rows } = await sql<{ id: string; path: string }>`
    SELECT id, path FROM orgs WHERE id IN ${inJson(db, [...new Set(ids.filter(Boolean))])}`.execute(db);
  return new Map(rows.map((r) => [r.id, r.path]));
}

async function currentTypes(db: Db, codes: readonly string[]): Promise<Map<string, ActivityTypeRow>> {
  const rows = await sql<ActivityTypeRow>`
    SELECT t.* FROM activity_types t
    WHERE t.code IN ${inJson(db, new Set(codes.filter(Boolean)))}
      AND t.version = (SELECT max(version) FROM activity_types WHERE code = t.code)`.execute(db);
  return new Map(rows.rows.map((r) => [r.code, r]));
}

/** Keys of claims already pending or approved for the same member and event or report. */
async function openDuplicates(db: Db, wanted: ReadonlyArray<{ member_id: string; event_id: string | null; report_ref: string | null }>) {
  const keys = new Set<string>();
  const candidates = wanted.filter((w) => w.member_id && (w.event_id || w.report_ref));
  if (candidates.length === 0) return keys;
  const rows = await sql<{ member_id: string; event_id: string | null; report_ref: string | null }>`
    SELECT c.member_id, c.event_id, c.report_ref FROM claims c
    JOIN (SELECT j.value ->> 'member_id' AS m, j.value ->> 'event_id' AS e, j.value ->> 'report_ref' AS r
          FROM ${jsonRows(db, JSON.stringify(candidates), 'j')}) w
      ON c.member_id = w.m AND (c.event_id = w.e OR c.report_ref = w.r)
    WHERE NOT EXISTS (SELECT 1 FROM claim_decisions d WHERE d.claim_id = c.id AND d.decision IN ('reject', 'revoke'))`.execute(db);
  for (const r of rows.rows) {
    if (r.event_id) keys.add(`e:${r.member_id}:${r.event_id}`);
    if (r.report_ref) keys.add(`r:${r.member_id}:${r.report_ref}`);
  }
  return keys;
}
