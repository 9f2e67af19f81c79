import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import type { Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { formatPointsExact } from '../ledger/amount.js';

/** The [from, to) of the month or year containing `at`, in programme time. */
export { periodBounds } from '../ledger/programme-time.js';

/**
 * Members ranked by points credited for claims that happened in the period
 * (revoked claims do not count), among members whose home org is in the
 * subtree; members who opted out are left out. Ties share a rank (1, 1, 3)
 * and are listed by member id.
 */
export async function leaderboard(db: Db, orgPath: string, range: { from: string; to: string }, limit: number) {
  const { rows } = await sql<{ member_id: string; display_name: string | null; platform: string | null; points: string; claims: number }>`
    SELECT c.member_id, m.display_name, m.platform, CAST(sum(d.points_credited) AS TEXT) AS points, count(*) AS claims
    FROM claims c
    JOIN claim_decisions d ON d.claim_id = c.id AND d.decision = 'approve'
    JOIN members m ON m.id = c.member_id
    JOIN orgs o ON o.id = m.home_org_id
    WHERE c.occurred_at >= ${range.from} AND c.occurred_at < ${range.to}
      AND substr(o.path, 1, length(${orgPath})) = ${orgPath}
      AND NOT EXISTS (SELECT 1 FROM claim_decisions r WHERE r.claim_id = c.id AND r.decision = 'revoke')
      AND NOT EXISTS (SELECT 1 FROM member_preferences p WHERE p.member_id = c.member_id AND p.leaderboard_opt_out = 1)
    GROUP BY c.member_id, m.display_name, m.platform
    HAVING sum(d.points_credited) > 0
    ORDER BY sum(d.points_credited) DESC, c.member_id
    LIMIT ${limit}`.execute(db);
  let rank = 0;
  let previous: string | null = null;
  return rows.map((r, i) => {
    // Sums as exact text (a member's total may pass 2^53 hundredths): equal text, equal points.
    if (r.points !== previous) rank = i + 1;
    previous = r.points;
    return { rank, member_id: r.member_id, display_name: r.display_name, platform: r.platform, points: formatPointsExact(r.points), claims: Number(r.claims) };
  });
}

/** Compiles a member's choice about appearing on leaderboards (the latest choice wins). */
export function setLeaderboardPreference(db: Db, row: { member_id: string; leaderboard_opt_out: number; updated_at: string }) {
  return db
    .insertInto('member_preferences')
    .values(row)
    .onConflict((oc) => oc.column('member_id').doUpdateSet({ leaderboard_opt_out: row.leaderboard_opt_out, updated_at: row.updated_at }))
    .compile();
}

/** Records the calling worker's choice about appearing on leaderboards. */
export async function setLeaderboardOptOut(deps: AppDeps, caller: Caller, input: { leaderboard_opt_out: boolean }, idempotency: IdempotencyScope | undefined) {
  const row = { member_id: caller.member_id!, leaderboard_opt_out: input.leaderboard_opt_out ? 1 : 0, updated_at: deps.clock().toISOString() };
  const statement = setLeaderboardPreference(deps.db, row);
  return commitWrite(deps, idempotency, () => ({ statements: [statement], result: row }), 200, (r) => ({ leaderboard_opt_out: r.leaderboard_opt_out === 1, updated_at: r.updated_at }));
}

/** The calling worker's choice about leaderboards: listed unless it opted out (`updated_at` null when it never chose). */
export async function leaderboardPreferenceOf(db: Db, memberId: string) {
  const row = await db.selectFrom('member_preferences').selectAll().where('member_id', '=', memberId).executeTakeFirst();
  return { leaderboard_opt_out: row?.leaderboard_opt_out === 1, updated_at: row?.updated_at ?? null };
}
