import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHarness } from '#harness';
import { expectSoundLedger } from './support/fixtures.js';
import { earningProgramme, posted } from './support/earning.js';
import { redemptionProgramme, stockOf } from './support/redemption.js';

const DAY = 24 * 60 * 60_000;
// '40.00' → 4000: the answer's hundredths as an integer, no float arithmetic.
const cents = (s: string) => Number(s.replace('.', ''));

describe('earning caps, for any sequence of claims', () => {
  // volunteer_hour (earningProgramme): 10 points a unit, daily cap 50, monthly cap 300.
  // The clock starts 2026-03-01 08:00Z; at most 9 × 3 days on, every claim stays in March.
  it('credits each claim min(its points, what the day and the month have left), so no period passes its cap', async () => {
    const claims = fc.array(fc.record({ days: fc.integer({ min: 0, max: 3 }), units: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 9 });
    await fc.assert(
      fc.asyncProperty(claims, async (seq) => {
        const h = await createHarness();
        const e = await earningProgramme(h, { riders: 1 });
        const rider = e.riders[0]!;
        const byDay = new Map<number, number>();
        let day = 0;
        let month = 0;
        for (const { days, units } of seq) {
          day += days;
          if (days) h.clock.advance(days * DAY);
          const occurred_at = new Date(h.clock.now().getTime() - 60_000).toISOString();
          const res = await h.call('POST', '/v1/claims', { token: e.organizer, body: { member_id: rider.id, activity_code: 'volunteer_hour', units: String(units), occurred_at } });
          expect(res.status, res.text).toBe(201);
          const dayTotal = byDay.get(day) ?? 0;
          const expected = Math.max(0, Math.min(units * 1000, 5000 - dayTotal, 30000 - month));
          expect(cents(res.body.points_credited), res.text).toBe(expected);
          byDay.set(day, dayTotal + expected);
          month += expected;
        }
        // In cents here only to compare; the service answers decimal strings.
        for (const total of byDay.values()) expect(total).toBeLessThanOrEqual(5000);
        expect(month).toBeLessThanOrEqual(30000);
        expect(cents(await posted(h, e.admin, rider.account_id))).toBe(month);
        await expectSoundLedger(h, e.admin);
      }),
      { numRuns: 20 },
    );
  });
});

type Op = { op: 'redeem'; rider: number; quantity: number } | { op: 'refund'; pick: number };

describe('stock and per-member limit, for any sequence of redemptions and refunds', () => {
  // water (redemptionProgramme): stock 5, at most 2 a member a month, 30 points; riders hold 1000, so funds never refuse.
  it('keeps stock_left = initial − redeemed + refunded and no member past the limit', async () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('redeem' as const), rider: fc.integer({ min: 0, max: 2 }), quantity: fc.integer({ min: 1, max: 2 }) }),
      fc.record({ op: fc.constant('refund' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
        const h = await createHarness();
        const r = await redemptionProgramme(h, { riderPoints: '1000' });
        const taken = [0, 0, 0];
        const open: Array<{ id: string; rider: number; quantity: number }> = [];
        let redeemed = 0;
        let refunded = 0;
        for (const step of ops) {
          if (step.op === 'refund') {
            if (!open.length) continue;
            const [one] = open.splice(step.pick % open.length, 1);
            const res = await h.call('POST', `/v1/redemptions/${one!.id}/refund`, { token: r.shopToken, body: { reason: 'property test' } });
            expect(res.status, res.text).toBe(200);
            taken[one!.rider]! -= one!.quantity;
            refunded += one!.quantity;
            continue;
          }
          const { code } = await r.code(step.rider);
          const res = await r.redeem(r.shopToken, { redeem_code: code, reward_id: r.water.id, quantity: step.quantity });
          const overLimit = taken[step.rider]! + step.quantity > 2;
          const outOfStock = 5 - redeemed + refunded < step.quantity;
          if (!overLimit && !outOfStock) {
            expect(res.status, res.text).toBe(201);
            open.push({ id: res.body.redemption.id, rider: step.rider, quantity: step.quantity });
            taken[step.rider]! += step.quantity;
            redeemed += step.quantity;
          } else {
            const codes = [...(overLimit ? ['member_limit_reached'] : []), ...(outOfStock ? ['out_of_stock'] : [])];
            expect(codes, res.text).toContain(res.body.code);
          }
          expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(5 - redeemed + refunded);
        }
        for (const n of taken) expect(n).toBeLessThanOrEqual(2);
        expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(5 - redeemed + refunded);
        await expectSoundLedger(h, r.admin);
      }),
      { numRuns: 15 },
    );
  });
});
