import { sql } from 'kysely';
import type { Caller } from '../auth/caller.js';
import { claimTooOld, guardRefusal } from '../db/errors.js';
import type { Db } from '../db/types.js';
import { jsonRows } from '../db/dialect.js';
import { AppError, badRequest, forbidden } from '../errors.js';

// The rules every path that records or credits a claim applies before the
// schema does (schema/0008_claim_hardening.sql): the same codes and words, so
// the caller hears one answer whichever refuses.

/** Clock skew allowed between the caller's "now" and ours. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/** An admin's back-fill of a claim older than the age limit, as asked for. */
export interface BackfillRequest {
  backfill?: boolean | undefined;
  backfill_reason?: string | undefined;
}

/**
 * Why a claim (or the event whose start it takes) cannot be for `occurredAt`:
 * in the future beyond the skew, or older than `maxAgeDays` unless an admin
 * back-fills it with a reason. Null when it can.
 */
export function occurredAtRefusal(
  caller: Caller,
  occurredAt: string,
  request: BackfillRequest,
  rules: { now: Date; maxAgeDays: number },
): AppError | null {
  // Also guards in the schema; checked here so one claim of a batch is refused alone ("atomic": false) with its days.
  const backfill = backfillRefusal(caller, request);
  if (backfill) return backfill;
  const at = Date.parse(occurredAt);
  if (at > rules.now.getTime() + FUTURE_TOLERANCE_MS) return guardRefusal('occurred_in_future');
  if (!request.backfill && at < rules.now.getTime() - rules.maxAgeDays * DAY_MS) return claimTooOld(rules.maxAgeDays);
  return null;
}

/** Refuses a back-fill asked by anyone but an admin, or without its reason. */
export function backfillRefusal(caller: Caller, request: BackfillRequest): AppError | null {
  if (!request.backfill) {
    return request.backfill_reason ? badRequest('backfill_reason_without_backfill') : null;
  }
  if (caller.role !== 'admin') return guardRefusal('backfill_admin_only');
  if (!request.backfill_reason) return badRequest('backfill_reason_required');
  return null;
}

/** Org paths that decide whether a caller may credit a member. */
export interface CreditScope {
  member_id: string;
  /** Path of the member's home org. */
  home_path: string | undefined;
  org_id: string;
  /** Path of the claim's org (the event's, else the member's home org). */
  org_path: string | undefined;
}

/**
 * The one scope rule of every path that credits a member: an organizer acts
 * only on members whose home org, and on claims whose org, lie in its own
 * org's subtree (`scopePath`). Admins act everywhere. Null when allowed.
 */
export function creditScopeRefusal(caller: Caller, scopePath: string | undefined, target: CreditScope): AppError | null {
  if (caller.role !== 'organizer') return null;
  // An organizer whose own org is unknown has an empty scope.
  const within = (path: string | undefined) => scopePath !== undefined && path !== undefined && path.startsWith(scopePath);
  if (!within(target.org_path)) return forbidden(`Org ${target.org_id} is outside your scope`);
  if (!within(target.home_path)) return forbidden(`Member ${target.member_id} belongs to an org outside your scope`);
  return null;
}

/** Reads the paths and applies creditScopeRefusal to one claim, throwing its refusal. */
export async function requireCreditScope(db: Db, caller: Caller, claim: { member_id: string; org_id: string }): Promise<void> {
  if (caller.role !== 'organizer') return;
  const { rows } = await sql<{ scope: string | null; home: string | null; org: string | null }>`
    SELECT (SELECT path FROM orgs WHERE id = ${caller.org_id ?? ''}) AS scope,
           (SELECT o.path FROM members m JOIN orgs o ON o.id = m.home_org_id WHERE m.id = ${claim.member_id}) AS home,
           (SELECT path FROM orgs WHERE id = ${claim.org_id}) AS org`.execute(db);
  const paths = rows[0];
  const refusal = creditScopeRefusal(caller, paths?.scope ?? undefined, {
    ...claim,
    home_path: paths?.home ?? undefined,
    org_path: paths?.org ?? undefined,
  });
  if (refusal) throw refusal;
}

/** The key of what one decider auto-approved for a member, activity and programme day. */
export const autoApprovalKey = (k: { decided_sub: string; member_id: string; activity_code: string; day: string }) =>
  `${k.decided_sub}|${k.member_id}|${k.activity_code}|${k.day}`;

/** Points each decider already auto-approved per member, activity and programme day (the schema sums them). */
export async function autoApprovedTotals(
  db: Db,
  keys: ReadonlyArray<{ decided_sub: string; member_id: string; activity_code: string; day: string }>,
): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  if (keys.length === 0) return totals;
  const { rows } = await sql<{ decided_sub: string; member_id: string; activity_code: string; day: string; points: number }>`
    SELECT t.decided_sub, t.member_id, t.activity_code, t.day, t.points FROM auto_approval_totals t
    JOIN (SELECT DISTINCT j.value ->> 'decided_sub' AS s, j.value ->> 'member_id' AS m, j.value ->> 'activity_code' AS c,
                 j.value ->> 'day' AS d FROM ${jsonRows(db, JSON.stringify(keys), 'j')}) k
      ON t.decided_sub = k.s AND t.member_id = k.m AND t.activity_code = k.c AND t.day = k.d`.execute(db);
  for (const r of rows) totals.set(autoApprovalKey(r), Number(r.points));
  return totals;
}
