import { sql } from 'kysely';
import type { AppDeps } from '../deps.js';

/** Most holds expired by one sweep statement; the next sweep takes the rest. */
export const EXPIRY_SWEEP_LIMIT = 500;

/**
 * Expires holds whose time has come, in one set-based statement: a hold
 * already captured or voided is skipped, and the schema's PRIMARY KEY on the
 * resolution makes a race with a capture resolve the hold exactly once.
 * @returns how many holds were due (at most the sweep limit)
 */
export async function expireDueHolds(deps: Pick<AppDeps, 'db' | 'executor' | 'clock'>): Promise<number> {
  const now = deps.clock().toISOString();
  const due = await deps.db
    .selectFrom('holds as h')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('h.expires_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('hold_resolutions as r').select('r.hold_id').whereRef('r.hold_id', '=', 'h.id'))),
    )
    .executeTakeFirst();
  const count = Math.min(Number(due?.n ?? 0), EXPIRY_SWEEP_LIMIT);
  if (count === 0) return 0;
  await deps.executor.write(() => ({
    statements: [
      sql`INSERT INTO hold_resolutions (hold_id, kind, amount, tx_id, actor, created_at)
          SELECT h.id, 'expire', 0, NULL, 'system:expiry', ${now}
          FROM holds h
          WHERE h.expires_at <= ${now}
            AND NOT EXISTS (SELECT 1 FROM hold_resolutions r WHERE r.hold_id = h.id)
          ORDER BY h.expires_at
          LIMIT ${EXPIRY_SWEEP_LIMIT}`.compile(deps.db),
    ],
    result: undefined,
  }));
  return count;
}
