import { sql } from 'kysely';
import type { Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { idCursor, pageOf } from '../db/page-cursor.js';
import { badRequest } from '../errors.js';
import { formatPoints } from '../ledger/amount.js';
import { listScopePath, withinPath } from '../orgs/orgs.js';
import { inJson } from '../db/dialect.js';

/** Which events a list shows: org subtree, and when they started (from inclusive, to exclusive). */
export interface EventSearch {
  org_id?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * Events by when they happened (their start), latest first: admins and auditors every one,
 * organizers those of their subtree (`org_id` narrows to a subtree in scope). Each with its org's
 * name, its roster (claims recorded for it) and the points credited to it now — approved claims
 * not revoked. The cursor is the page's last event.
 */
export async function eventPage(deps: AppDeps, caller: Caller, search: EventSearch) {
  const { db } = deps;
  const from = search.from === undefined ? undefined : new Date(search.from).toISOString();
  const to = search.to === undefined ? undefined : new Date(search.to).toISOString();
  if (from !== undefined && to !== undefined && from >= to) {
    throw badRequest('validation_failed', 'from must be before to', [{ path: 'query.from', message: 'must be before to' }]);
  }
  const scope = await listScopePath(db, caller, search.org_id);
  const afterId = idCursor(search.cursor);
  let query = db
    .selectFrom('events as e')
    .innerJoin('orgs as o', 'o.id', 'e.org_id')
    .selectAll('e')
    .select('o.name as org_name')
    .orderBy('e.starts_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(search.limit + 1);
  if (scope !== undefined) query = query.where(withinPath('o.path', scope));
  if (from !== undefined) query = query.where('e.starts_at', '>=', from);
  if (to !== undefined) query = query.where('e.starts_at', '<', to);
  if (afterId !== undefined) {
    // The cursor's event must be one this list could show: another subtree's ids are not positions in it.
    let anchor = db.selectFrom('events as e').innerJoin('orgs as o', 'o.id', 'e.org_id').select(['e.starts_at', 'e.id']).where('e.id', '=', afterId);
    if (scope !== undefined) anchor = anchor.where(withinPath('o.path', scope));
    const after = await anchor.executeTakeFirst();
    if (!after) throw badRequest('invalid_cursor');
    query = query.where(sql<boolean>`(e.starts_at, e.id) < (${after.starts_at}, ${after.id})`);
  }
  const { rows, next_cursor } = pageOf(await query.execute(), search.limit, (e) => e.id);
  const totals = await rosterTotals(deps, rows.map((e) => e.id));
  const items = rows.map((e) => {
    const t = totals.get(e.id);
    return {
      ...e,
      roster_size: t?.roster_size ?? 0,
      pending: t?.pending ?? 0,
      credited_claims: t?.credited_claims ?? 0,
      credited: formatPoints(t?.credited ?? 0),
    };
  });
  return { items, next_cursor };
}

/** Per event: claims recorded, still pending, credited and not revoked, and the points those carry (one query for a page). */
async function rosterTotals({ db }: AppDeps, eventIds: string[]) {
  if (eventIds.length === 0) return new Map<string, { roster_size: number; pending: number; credited_claims: number; credited: number }>();
  const { rows } = await sql<{ event_id: string; roster_size: number; pending: number; credited_claims: number; credited: number }>`
    SELECT c.event_id,
           count(*) AS roster_size,
           sum(CASE WHEN d.claim_id IS NULL AND r.claim_id IS NULL THEN 1 ELSE 0 END) AS pending,
           sum(CASE WHEN d.decision = 'approve' AND r.claim_id IS NULL THEN 1 ELSE 0 END) AS credited_claims,
           sum(CASE WHEN d.decision = 'approve' AND r.claim_id IS NULL THEN d.points_credited ELSE 0 END) AS credited
    FROM claims c
    LEFT JOIN claim_decisions d ON d.claim_id = c.id AND d.decision IN ('approve', 'reject')
    LEFT JOIN claim_decisions r ON r.claim_id = c.id AND r.decision = 'revoke'
    WHERE c.event_id IN ${inJson(db, eventIds)}
    GROUP BY c.event_id`.execute(db);
  // A roster is at most 1,000 claims of bounded points: the sums are safe integers.
  return new Map(rows.map((r) => [r.event_id, { roster_size: Number(r.roster_size), pending: Number(r.pending), credited_claims: Number(r.credited_claims), credited: Number(r.credited) }]));
}
