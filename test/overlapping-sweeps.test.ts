import { describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import type { WriteExecutor } from '../src/db/executor.js';
import { expirePoints } from '../src/audit/expiry.js';
import { checkpointIfDue } from '../src/audit/checkpoints.js';
import { appendTransaction } from '../src/ledger/transactions.js';
import { reserveHold } from '../src/ledger/holds.js';
import { runScheduledJobs } from '../src/jobs/scheduled.js';
import { expireDueHolds } from '../src/ledger/hold-expiry.js';
import { StaleRead } from '../src/db/errors.js';
import { allocate, expectSoundLedger, member, programme } from './support/fixtures.js';
import { posted } from './support/earning.js';

const DAY = 86_400_000;

/**
 * A writer that stops at its first write until released: a sweep that read
 * its state, then was slower than its interval while another sweep ran.
 */
function pausedExecutor(inner: WriteExecutor) {
  let reached!: () => void;
  let release!: () => void;
  const atWrite = new Promise<void>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const executor: WriteExecutor = {
    write: async (build) => {
      reached();
      await released;
      return inner.write(build);
    },
  };
  return { executor, atWrite, release };
}

async function expiryProgramme(h: Harness) {
  const p = await programme(h);
  h.deps.programme = { ...h.deps.programme, pointsExpiry: 'days:30' };
  await allocate(h, p.admin, p.community.id, '1000');
  const a = await member(h, p.admin, p.community.id);
  const b = await member(h, p.admin, p.community.id);
  const credit = async (account: string, amount: string) => {
    const res = await h.call('POST', '/v1/adjustments', {
      token: p.admin,
      body: { reason: 'credit', postings: [{ account_id: p.community.budget_account_id, amount: `-${amount}` }, { account_id: account, amount }] },
    });
    expect(res.status, res.text).toBe(201);
  };
  return { ...p, a, b, credit };
}

const expiredTotal = async (h: Harness) => (await h.sql.all<{ posted: number }>("SELECT posted FROM accounts WHERE id = 'program:expired'"))[0]!.posted;

describe('scheduled sweeps that overlap', () => {
  it('a slow points-expiry sweep and the next one expire each lot once', async () => {
    const h = await createHarness();
    const p = await expiryProgramme(h);
    await p.credit(p.a.account_id, '10');
    await p.credit(p.b.account_id, '4');
    h.clock.advance(10 * DAY);
    await p.credit(p.a.account_id, '50'); // later lots: enough to pay a second expiry
    await p.credit(p.b.account_id, '20');
    h.clock.advance(21 * DAY); // the first lots lapsed

    // The slow sweep reads what is due, then waits; the next sweep runs whole.
    const slow = pausedExecutor(h.deps.executor);
    const first = expirePoints({ ...h.deps, executor: slow.executor });
    await slow.atWrite;
    expect(await expirePoints({ ...h.deps, executor: h.newExecutor() })).toBe(2);
    slow.release();
    expect(await first).toBe(0); // its amounts were stale: read again, nothing left due
    expect(await expiredTotal(h)).toBe(1_400);
    expect(await posted(h, p.admin, p.a.account_id)).toBe('50.00');
    expect(await posted(h, p.admin, p.b.account_id)).toBe('20.00');
    const rows = await h.sql.all<{ account_id: string; expires_through: string }>('SELECT account_id, expires_through FROM points_expiries ORDER BY account_id');
    expect(rows.map((r) => r.account_id)).toEqual([p.a.account_id, p.b.account_id].sort());

    // Two sweeps at once, each on its own writer, once the later lots lapse too.
    h.clock.advance(10 * DAY);
    const both = await Promise.all([expirePoints(h.deps), expirePoints({ ...h.deps, executor: h.newExecutor() })]);
    expect(both[0] + both[1]).toBe(2);
    expect(await expiredTotal(h)).toBe(8_400);
    expect(await posted(h, p.admin, p.a.account_id)).toBe('0.00');
    await expectSoundLedger(h, p.admin);
  });

  it('a sweep that read before one more lot lapsed does not expire the earlier lot again', async () => {
    const h = await createHarness();
    const p = await expiryProgramme(h);
    await p.credit(p.a.account_id, '10');
    h.clock.advance(5 * DAY);
    const beforeSeven = h.clock.now().toISOString();
    await p.credit(p.a.account_id, '7');
    h.clock.advance(15 * DAY);
    await p.credit(p.a.account_id, '100'); // lapses later: it would pay for a double expiry
    h.clock.advance(10 * DAY + 1_000); // 10 lapsed, 7 not yet
    const slow = pausedExecutor(h.deps.executor);
    const first = expirePoints({ ...h.deps, executor: slow.executor }); // computed 10 due
    await slow.atWrite;
    h.clock.advance(5 * DAY); // now the 7 lapsed as well
    expect(await expirePoints(h.deps)).toBe(1); // 17
    slow.release();
    await first;
    expect(await expiredTotal(h)).toBe(1_700);
    expect(await posted(h, p.admin, p.a.account_id)).toBe('100.00');
    // The schema itself refuses an expiry above what is due, whoever writes it.
    const write = h.deps.executor.write((head) => {
      const now = h.clock.now().toISOString();
      const id = 'tx_forged_expiry';
      const bound = h.deps.db.insertInto('points_expiries').values({ tx_id: id, account_id: p.a.account_id, expires_through: beforeSeven, created_at: now }).compile();
      const r = appendTransaction(h.deps.db, head, {
        id, kind: 'points_expiry', actor: 'test', created_at: now,
        postings: [{ account_id: p.a.account_id, amount: -1 }, { account_id: 'program:expired', amount: 1 }],
      }, [bound]);
      return { statements: r.statements, head: r.head, result: null };
    });
    await expect(write).rejects.toBeInstanceOf(StaleRead); // expiry_exceeds_due: 17 spent of the 10 credited before
    expect(await expiredTotal(h)).toBe(1_700);
    await expectSoundLedger(h, p.admin);
  });

  it('overlapping hold sweeps and whole scheduler runs skip what the other did, without failing', async () => {
    const h = await createHarness();
    const p = await programme(h);
    await allocate(h, p.admin, p.community.id, '100');
    const budget = p.community.budget_account_id;
    for (const amount of [1_000, 500, 250]) {
      const now = h.clock.now();
      const { statements } = reserveHold(h.deps.db, {
        account_id: budget, destination_account_id: 'program:settled', amount, ref_type: null, ref_id: null,
        actor: 'test', expires_at: new Date(now.getTime() + 60_000).toISOString(), created_at: now.toISOString(),
      });
      await h.deps.executor.write(() => ({ statements, result: null }));
    }
    h.clock.advance(120_000);
    const slow = pausedExecutor(h.deps.executor);
    const first = expireDueHolds({ ...h.deps, executor: slow.executor });
    await slow.atWrite;
    await expireDueHolds(h.deps);
    slow.release();
    await expect(first).resolves.toBe(3);
    const both = await Promise.all([runScheduledJobs(h.deps), runScheduledJobs({ ...h.deps, executor: h.newExecutor() })]);
    expect(both).toEqual([true, true]);
    expect(await h.sql.all('SELECT count(*) AS n FROM hold_resolutions')).toEqual([{ n: 3 }]);
    expect(await h.sql.all('SELECT posted, held FROM accounts WHERE id = ?', budget)).toEqual([{ posted: 10_000, held: 0 }]);
    expect(await h.sql.all('SELECT count(*) AS n FROM checkpoints')).toEqual([{ n: 1 }]);
    await expectSoundLedger(h, p.admin);
  });

  it('two schedulers sign one checkpoint per interval, also when the head moved between them', async () => {
    const h = await createHarness();
    const p = await programme(h);
    await allocate(h, p.admin, p.community.id, '100');
    const slow = pausedExecutor(h.deps.executor);
    const first = checkpointIfDue({ ...h.deps, executor: slow.executor });
    await slow.atWrite;
    expect(await checkpointIfDue({ ...h.deps, executor: h.newExecutor() })).toBe(true);
    slow.release();
    expect(await first).toBe(false);
    expect(await h.sql.all('SELECT count(*) AS n FROM checkpoints')).toEqual([{ n: 1 }]);

    h.clock.advance(61 * 60_000);
    await allocate(h, p.admin, p.community.id, '5');
    const late = pausedExecutor(h.deps.executor);
    const stale = checkpointIfDue({ ...h.deps, executor: late.executor }); // read this head, then waits
    await late.atWrite;
    await allocate(h, p.admin, p.community.id, '5');
    expect(await checkpointIfDue(h.deps)).toBe(true);
    late.release();
    expect(await stale).toBe(false);
    const rows = await h.sql.all<{ seq: number }>('SELECT seq FROM checkpoints ORDER BY seq');
    expect(rows.map((r) => r.seq)).toEqual([rows[0]!.seq, rows[0]!.seq + 2]);
    // An admin may still sign the same head on demand.
    expect((await h.call('POST', '/v1/audit/checkpoints', { token: p.admin })).status).toBe(201);
    const latest = await h.call('GET', '/v1/audit/checkpoints/latest', { token: p.admin });
    expect(latest.body.seq).toBe(rows[1]!.seq);
    await expectSoundLedger(h, p.admin);
  });
});
