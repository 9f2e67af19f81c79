import type { Db } from '../db/types.js';
import type { ActivityTypeRow } from '../activities/activity-types.js';
import { clipToCaps, periodsOf } from './pricing.js';
import { creditedTotals, totalKey } from './claim-reads.js';
import { creditKeys, type ClaimRow, type Credit } from './claim-writes.js';
import { payingOrgs } from '../budgets/paying-orgs.js';

/** Who decides, as recorded on the decision. */
export interface Decider {
  by: string;
  sub: string;
  member_id: string | null;
}

/**
 * Plans approvals: each claim is clipped by its activity version's daily and
 * monthly caps against what the member already earned (read now) plus what
 * earlier claims of the same batch credit. The schema's cap CHECK catches a
 * concurrent credit that read the same totals.
 */
export async function planCredits(
  db: Db,
  claims: readonly ClaimRow[],
  types: ReadonlyMap<string, ActivityTypeRow>,
  decision: { mode: 'auto' | 'manual'; decider: Decider; reason: string | null; now: string; utcOffsetMinutes: number },
  /** Org paths the caller already read (not read again). */
  orgPaths: ReadonlyMap<string, string> = new Map(),
): Promise<Credit[]> {
  const keys = claims.flatMap((c) => {
    const p = periodsOf(c.occurred_at, decision.utcOffsetMinutes);
    return [p.day, p.month].map((period) => ({ member_id: c.member_id, activity_code: c.activity_code, period }));
  });
  const used = await creditedTotals(db, keys);
  const payers = await payingOrgs(db, claims.map((c) => c.org_id), orgPaths);
  return claims.map((claim) => {
    const type = types.get(`${claim.activity_code}:${claim.activity_version}`);
    if (!type) throw new Error(`activity version ${claim.activity_code}:${claim.activity_version} not loaded`);
    const p = periodsOf(claim.occurred_at, decision.utcOffsetMinutes);
    const dayKey = totalKey({ ...claim, period: p.day });
    const monthKey = totalKey({ ...claim, period: p.month });
    const caps = { daily: type.daily_cap, monthly: type.monthly_cap };
    const outcome = clipToCaps(claim.points, caps, { day: used.get(dayKey) ?? 0, month: used.get(monthKey) ?? 0 });
    used.set(dayKey, (used.get(dayKey) ?? 0) + outcome.credited);
    used.set(monthKey, (used.get(monthKey) ?? 0) + outcome.credited);
    return {
      claim,
      caps,
      decision: {
        claim_id: claim.id,
        decision: 'approve' as const,
        mode: decision.mode,
        decided_by: decision.decider.by,
        decided_sub: decision.decider.sub,
        decided_member_id: decision.decider.member_id,
        reason: decision.reason,
        points_credited: outcome.credited,
        points_capped: outcome.capped,
        cap_reason: outcome.reason,
        ...creditKeys(claim),
        paid_by_org_id: payers.get(claim.org_id) ?? claim.org_id,
        created_at: decision.now,
      },
    };
  });
}

/** Loads the activity type versions the claims were priced with, keyed `code:version`. */
export async function loadVersions(db: Db, claims: ReadonlyArray<Pick<ClaimRow, 'activity_code' | 'activity_version'>>) {
  const wanted = [...new Set(claims.map((c) => `${c.activity_code}:${c.activity_version}`))];
  const map = new Map<string, ActivityTypeRow>();
  for (const key of wanted) {
    const [code, version] = key.split(':') as [string, string];
    const row = await db.selectFrom('activity_types').selectAll().where('code', '=', code).where('version', '=', Number(version)).executeTakeFirst();
    if (row) map.set(key, row);
  }
  return map;
}
