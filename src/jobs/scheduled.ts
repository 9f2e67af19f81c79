import type { AppDeps } from '../deps.js';
import { expirePoints } from '../audit/expiry.js';
import { checkpointIfDue } from '../audit/checkpoints.js';
import { expireDueHolds } from '../ledger/hold-expiry.js';

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
