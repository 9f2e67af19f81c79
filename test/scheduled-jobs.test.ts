import { describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import { reserveHold } from '../src/ledger/holds.js';
import { runScheduledJobs } from '../src/jobs/scheduled.js';
import { expireDueHolds } from '../src/ledger/hold-expiry.js';
import { allocate, expectSoundLedger, programme } from './support/fixtures.js';

describe('scheduled hold expiry', () => {
  it('expires due holds once, releasing what they held, and leaves the rest', async () => {
    const h = await createHarness();
    const p = await programme(h);
    await allocate(h, p.admin, p.community.id, '100');
    const budget = p.community.budget_account_id;
    const reserve = async (amount: number, ttlMs: number) => {
      const now = h.clock.now();
      const { statements, hold } = reserveHold(h.deps.db, {
        account_id: budget,
        destination_account_id: 'program:settled',
        amount,
        ref_type: null,
        ref_id: null,
        actor: 'test',
        expires_at: new Date(now.getTime() + ttlMs).toISOString(),
        created_at: now.toISOString(),
      });
      await h.deps.executor.write(() => ({ statements, result: null }));
      return hold;
    };
    const soon = await reserve(1_000, 60_000);
    const soon2 = await reserve(500, 90_000);
    const later = await reserve(2_000, 3_600_000);
    expect(await expireDueHolds(h.deps)).toBe(0);

    h.clock.advance(120_000);
    await runScheduledJobs(h.deps);
    const resolutions = await h.sql.all('SELECT hold_id, kind, actor FROM hold_resolutions ORDER BY hold_id');
    expect(resolutions).toEqual(
      [soon.id, soon2.id].sort().map((hold_id) => ({ hold_id, kind: 'expire', actor: 'system:expiry' })),
    );
    const [account] = await h.sql.all('SELECT posted, held FROM accounts WHERE id = ?', budget);
    expect(account).toEqual({ posted: 10_000, held: 2_000 });
    expect(await expireDueHolds(h.deps)).toBe(0); // nothing twice
    expect(later.id).not.toBe(soon.id);
    await expectSoundLedger(h, p.admin);
  });
});
