import { sql } from 'kysely';
import type { AppDeps } from '../http/context.js';
import { expirePoints } from '../audit/expiry.js';
import { checkpointIfDue } from '../audit/checkpoints.js';

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

type JobDeps = Pick<AppDeps, 'db' | 'executor' | 'clock' | 'log' | 'signer' | 'programme'>;

/**
 * Everything the scheduler runs (the Node timer, the Worker's cron trigger):
 * expire due holds, expire due points, sign a checkpoint if one is due. Each
 * job is safe to run twice at once (the schema lets one run do each thing
 * and the other skips it), and one job failing is logged without keeping
 * the others from running.
 * @returns whether every job ran to the end
 */
export async function runScheduledJobs(deps: JobDeps): Promise<boolean> {
  const jobs: Array<[string, () => Promise<void>]> = [
    ['hold expiry', async () => {
      const expired = await expireDueHolds(deps);
      if (expired > 0) deps.log.info({ msg: 'holds expired', count: expired });
    }],
    ['points expiry', async () => {
      const lapsed = await expirePoints(deps);
      if (lapsed > 0) deps.log.info({ msg: 'points expired', members: lapsed });
    }],
    ['checkpoint', async () => {
      if (await checkpointIfDue(deps)) deps.log.info({ msg: 'checkpoint signed' });
    }],
  ];
  let ok = true;
  for (const [job, run] of jobs) {
    try {
      await run();
    } catch (error) {
      ok = false;
      deps.log.error({ msg: 'scheduled job failed', job, detail: error instanceof Error ? error.message : String(error) });
    }
  }
  return ok;
}
