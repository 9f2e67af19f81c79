import { expect, it } from 'vitest';
import { createHarness } from '#harness';
import { parsePoints, formatPoints } from '../src/ledger/amount.js';
import { expirePoints } from '../src/audit/expiry.js';
import { weekStart } from '../src/audit/weekly-totals.js';
import { posted } from './support/earning.js';
import { redemptionProgramme } from './support/redemption.js';

it('weeks start on Monday in programme time', () => {
  // 2026-03-01 is a Sunday; 17:00 UTC that day is already Monday 01:00 at +08:00.
  expect(weekStart(new Date('2026-03-01T15:59:59Z'), 480)).toBe('2026-02-23');
  expect(weekStart(new Date('2026-03-01T16:00:00Z'), 480)).toBe('2026-03-02');
  expect(weekStart(new Date('2026-03-01T16:00:00Z'), 0)).toBe('2026-02-23');
  expect(weekStart(new Date('2026-03-02T00:30:00Z'), -60)).toBe('2026-02-23');
});

it('totals points issued, redeemed and expired per programme week, net of revocations and refunds', async () => {
  const h = await createHarness();
  const r = await redemptionProgramme(h); // opening points are adjustments: not "issued"
  const auditor = await h.token('auditor', { sub: 'auditor-1' });
  const weekly = async () => {
    const res = await h.call('GET', '/v1/audit/weekly?weeks=3', { token: auditor });
    expect(res.status, res.text).toBe(200);
    return res.body.items as Array<{ week_start: string; issued: string; redeemed: string; expired: string }>;
  };
  const at = () => new Date(h.clock.now().getTime() - 60_000).toISOString();

  // Sunday 1 March, 16:00 programme time: a credited claim and a redemption.
  const claim = await h.call('POST', '/v1/claims', {
    token: r.organizer,
    body: { member_id: r.riders[0]!.id, activity_code: 'hazard_resolved', occurred_at: at() },
  });
  expect(claim.body.status, claim.text).toBe('approved');
  expect((await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.charger.id })).status).toBe(201);

  // Nine hours on it is Monday 01:00: a new week. A refunded redemption, a kept one, a revocation.
  h.clock.advance(9 * 3_600_000);
  const water = await r.redeem(r.shopToken, { redeem_code: (await r.code(1)).code, reward_id: r.water.id });
  expect(water.status, water.text).toBe(201);
  const refund = await h.call('POST', `/v1/redemptions/${water.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: 'out of stock at the counter' } });
  expect(refund.status, refund.text).toBe(200);
  expect((await r.redeem(r.shopToken, { redeem_code: (await r.code(1)).code, reward_id: r.charger.id })).status).toBe(201);
  const revoke = await h.call('POST', `/v1/claims/${claim.body.id}/revoke`, { token: r.organizer2, body: { reason: 'recorded twice' } });
  expect(revoke.status, revoke.text).toBe(200);

  expect(await weekly()).toEqual([
    { week_start: '2026-02-16', issued: '0.00', redeemed: '0.00', expired: '0.00' },
    { week_start: '2026-02-23', issued: '20.00', redeemed: '10.00', expired: '0.00' },
    { week_start: '2026-03-02', issued: '-20.00', redeemed: '10.00', expired: '0.00' },
  ]);

  // Two days later everything lapses under a one-day expiry policy: what expires is what the riders hold.
  h.clock.advance(2 * 86_400_000);
  let held = 0;
  for (const rider of r.riders) held += parsePoints(await posted(h, r.admin, rider.account_id));
  h.deps.programme = { ...h.deps.programme, pointsExpiry: 'days:1' };
  expect(await expirePoints(h.deps)).toBe(r.riders.length);
  const after = await weekly();
  expect(after[2]).toEqual({ week_start: '2026-03-02', issued: '-20.00', redeemed: '10.00', expired: formatPoints(held) });
  expect(held).toBe(28_000);
});
