import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { inJson } from '../db/dialect.js';
import { loadClaims, type ClaimState, type ClaimStatus } from './claim-reads.js';
import type { EventContext } from './submit.js';

/** Which claims a list shows: every field narrows it. */
export interface ClaimFilter {
  memberId?: string | undefined;
  eventId?: string | undefined;
  /** Claims paid by this org path's subtree. */
  orgPath?: string | undefined;
  status?: ClaimStatus | undefined;
  /** Only claims older than this position (a previous page's last). */
  before?: { at: string; id: string } | undefined;
  limit: number;
}

/** A page of claims, newest first, and the position of its last when more follow. */
export async function claimPage(db: Db, filter: ClaimFilter): Promise<{ items: ClaimState[]; next: { at: string; id: string } | null }> {
  let query = db
    .selectFrom('claims as c')
    .leftJoin('claim_decisions as d', (j) => j.onRef('d.claim_id', '=', 'c.id').on('d.decision', 'in', ['approve', 'reject']))
    .leftJoin('claim_decisions as r', (j) => j.onRef('r.claim_id', '=', 'c.id').on('r.decision', '=', 'revoke'))
    .select(['c.id', 'c.created_at'])
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.memberId) query = query.where('c.member_id', '=', filter.memberId);
  if (filter.eventId) query = query.where('c.event_id', '=', filter.eventId);
  const orgPath = filter.orgPath;
  if (orgPath !== undefined) query = query.where('c.org_id', 'in', sql<string>`(SELECT id FROM orgs WHERE substr(path, 1, length(${orgPath})) = ${orgPath})`);
  if (filter.status) {
    const status = {
      pending: sql<boolean>`d.claim_id IS NULL AND r.claim_id IS NULL`,
      approved: sql<boolean>`d.decision = 'approve' AND r.claim_id IS NULL`,
      rejected: sql<boolean>`d.decision = 'reject'`,
      revoked: sql<boolean>`r.claim_id IS NOT NULL`,
    }[filter.status];
    query = query.where(status);
  }
  const before = filter.before;
  if (before) query = query.where(sql<boolean>`(c.created_at, c.id) < (${before.at}, ${before.id})`);
  const rows = await query.execute();
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return { items: await loadClaims(db, page.map((r) => r.id)), next: rows.length > filter.limit && last ? { at: last.created_at, id: last.id } : null };
}

/** Events named by claims, for scoping and pricing. */
export async function loadEvents(db: Db, ids: string[]): Promise<Map<string, EventContext>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('events')
    .select(['id', 'org_id', 'activity_code', 'starts_at'])
    .where('id', 'in', inJson(db, [...new Set(ids)]))
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}
