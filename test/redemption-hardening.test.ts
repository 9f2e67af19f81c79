import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { posted } from './support/earning.js';
import { redemptionProgramme } from './support/redemption.js';

let h: Harness;
let r: Awaited<ReturnType<typeof redemptionProgramme>>;
beforeEach(async () => {
  h = await createHarness();
  r = await redemptionProgramme(h);
});
const rider = (i: number) => r.riders[i]!;

async function redeemOk(rewardId: string, quantity: number, token = r.shopToken) {
  const { code } = await r.code(0);
  const res = await r.redeem(token, { redeem_code: code, reward_id: rewardId, quantity });
  expect(res.status, res.text).toBe(201);
  return res.body.redemption as { id: string };
}
const refund = (id: string, token = r.shopToken) => h.call('POST', `/v1/redemptions/${id}/refund`, { token, body: { reason: 'customer changed mind' } });
const counts = (rewardId: string) => h.sql.all<{ period: string; quantity: number }>('SELECT period, quantity FROM reward_member_counts WHERE reward_id = ? AND member_id = ?', rewardId, rider(0).id);

describe('a refund gives back exactly what its redemption counted', () => {
  it('gives back nothing for a redemption made before the reward had a limit, so the limit holds', async () => {
    const before = await redeemOk(r.charger.id, 2); // no limit yet: counted nothing
    const patched = await h.call('PATCH', `/v1/merchants/${r.shop.id}/rewards/${r.charger.id}`, { token: r.shopToken, body: { per_member_limit: 2 } });
    expect(patched.status, patched.text).toBe(200);
    await redeemOk(r.charger.id, 1);
    await redeemOk(r.charger.id, 1);
    expect(await counts(r.charger.id)).toEqual([{ period: 'm:2026-03', quantity: 2 }]);

    const res = await refund(before.id); // used to take back 2 it never counted (and a count at 1 went negative: a 500)
    expect(res.status, res.text).toBe(200);
    expect(await counts(r.charger.id)).toEqual([{ period: 'm:2026-03', quantity: 2 }]);
    const { code } = await r.code(0);
    const third = await r.redeem(r.shopToken, { redeem_code: code, reward_id: r.charger.id, quantity: 1 });
    expect(third.status, third.text).toBe(422);
    expect(third.body.code).toBe('member_limit_reached');
    expect(await posted(h, r.admin, rider(0).account_id)).toBe('80.00'); // 100 − 2×10 + 20 back
    expect(await posted(h, r.admin, r.shop.account_id)).toBe('20.00');
    await expectSoundLedger(h, r.admin);
  });

  it('does not fail when the count it would subtract from is smaller than its quantity', async () => {
    const before = await redeemOk(r.charger.id, 3);
    await h.call('PATCH', `/v1/merchants/${r.shop.id}/rewards/${r.charger.id}`, { token: r.shopToken, body: { per_member_limit: 5 } });
    const after = await redeemOk(r.charger.id, 1);
    expect((await refund(before.id)).status).toBe(200);
    expect(await counts(r.charger.id)).toEqual([{ period: 'm:2026-03', quantity: 1 }]);
    expect((await refund(after.id)).status).toBe(200);
    expect(await counts(r.charger.id)).toEqual([{ period: 'm:2026-03', quantity: 0 }]);
    expect(await posted(h, r.admin, rider(0).account_id)).toBe('100.00');
    await expectSoundLedger(h, r.admin);
  });

  it('records the periods a redemption counted, and a captured hold gives back the periods its hold took', async () => {
    const byCode = await redeemOk(r.water.id, 1);
    expect(await h.sql.all('SELECT period, quantity FROM redemption_counts WHERE redemption_id = ?', byCode.id)).toEqual([{ period: 'm:2026-03', quantity: 1 }]);
    const hold = await h.call('POST', '/v1/holds', { token: await r.workerToken(0), body: { reward_id: r.water.id, quantity: 1 } });
    expect(hold.status, hold.text).toBe(201);
    // The limit changes between the pickup and its refund: the refund still gives back what the hold took.
    await h.call('PATCH', `/v1/merchants/${r.shop.id}/rewards/${r.water.id}`, { token: r.shopToken, body: { per_member_limit: null } });
    const pickup = await h.call('POST', `/v1/holds/${hold.body.id}/capture`, { token: r.shopToken });
    expect(pickup.status, pickup.text).toBe(201);
    expect(await counts(r.water.id)).toEqual([{ period: 'm:2026-03', quantity: 2 }]);
    expect((await refund(pickup.body.redemption.id)).status).toBe(200);
    expect((await refund(byCode.id)).status).toBe(200);
    expect(await counts(r.water.id)).toEqual([{ period: 'm:2026-03', quantity: 0 }]);
    expect(await posted(h, r.admin, rider(0).account_id)).toBe('100.00');
    await expectSoundLedger(h, r.admin);
  });
});

describe('a redeem code spends no more than the worker allowed', () => {
  it('answers the ceiling the worker chose and refuses a redemption above it, changing nothing', async () => {
    const worker = await r.workerToken(0);
    const asked = await h.call('POST', '/v1/me/redeem-codes', { token: worker, body: { max_points: '50' } });
    expect(asked.status, asked.text).toBe(201);
    expect(asked.body.max_points).toBe('50.00');
    const pricey = await h.call('POST', `/v1/merchants/${r.shop.id}/rewards`, { token: r.shopToken, body: { kind: 'goods', name: '全部积分', price: '100' } });
    expect(pricey.status, pricey.text).toBe(201);
    const snapshot = await stateFingerprint(h);

    const res = await r.redeem(r.shopToken, { redeem_code: asked.body.code, reward_id: pricey.body.id, quantity: 1 });
    expect(res.status, res.text).toBe(422);
    expect(res.body).toMatchObject({ code: 'code_ceiling_exceeded', detail: 'This redemption costs more than the worker allowed for this code' });
    expect(await stateFingerprint(h)).toEqual(snapshot);
    expect(await h.sql.all('SELECT count(*) AS n FROM redeem_code_uses')).toEqual([{ n: 0 }]);
    expect(await h.sql.all('SELECT count(*) AS n FROM redemptions')).toEqual([{ n: 0 }]);

    // Two units of 30 pass 50 too; one passes.
    const two = await r.redeem(r.shopToken, { redeem_code: asked.body.code, reward_id: r.water.id, quantity: 2 });
    expect(two.body.code).toBe('code_ceiling_exceeded');
    const one = await r.redeem(r.shopToken, { redeem_code: asked.body.code, reward_id: r.water.id, quantity: 1 });
    expect(one.status, one.text).toBe(201);
    expect(await posted(h, r.admin, rider(0).account_id)).toBe('70.00');
    await expectSoundLedger(h, r.admin);
  });

  it("uses the programme's default ceiling when the worker does not choose", async () => {
    const h2 = await createHarness();
    const r2 = await redemptionProgramme(h2, { riderPoints: '1000' });
    const { code, max_points } = (await h2.call('POST', '/v1/me/redeem-codes', { token: await r2.workerToken(0) })).body;
    expect(max_points).toBe('500.00');
    const big = await h2.call('POST', `/v1/merchants/${r2.shop.id}/rewards`, { token: r2.shopToken, body: { kind: 'goods', name: '电动车电池', price: '500.01' } });
    const res = await r2.redeem(r2.shopToken, { redeem_code: code, reward_id: big.body.id, quantity: 1 });
    expect(res.body.code).toBe('code_ceiling_exceeded');
    expect(await posted(h2, r2.admin, r2.riders[0]!.account_id)).toBe('1000.00');
    await expectSoundLedger(h2, r2.admin);
  });
});

describe("a worker reads its own latest redemptions", () => {
  it('lists where, what and how many points, newest first, and only its own', async () => {
    await redeemOk(r.water.id, 1);
    const second = await redeemOk(r.charger.id, 2);
    const { code } = await r.code(1);
    expect((await r.redeem(r.shopToken, { redeem_code: code, reward_id: r.charger.id, quantity: 1 })).status).toBe(201);
    expect((await refund(second.id)).status).toBe(200);
    const res = await h.call('GET', '/v1/me/redemptions?limit=5', { token: await r.workerToken(0) });
    expect(res.status, res.text).toBe(200);
    expect(res.body.items).toMatchObject([
      { id: second.id, merchant_name: '和平便利店', reward_name: '充电宝租用', quantity: 2, points: '20.00', by_code: true, refunded: true },
      { merchant_name: '和平便利店', reward_name: '矿泉水一箱', quantity: 1, points: '30.00', refunded: false },
    ]);
    expect((await h.call('GET', '/v1/me/redemptions?limit=1', { token: await r.workerToken(0) })).body.items).toHaveLength(1);
    expect((await h.call('GET', '/v1/me/redemptions', { token: r.shopToken })).status).toBe(403);
    expect(await posted(h, r.admin, rider(0).account_id)).toBe('70.00');
  });
});

describe('a discount card is taken one at a time on every route', () => {
  it('refuses a reservation of two cards (paying for two, getting one), holding nothing', async () => {
    const snapshot = await stateFingerprint(h);
    const res = await h.call('POST', '/v1/holds', { token: await r.workerToken(0), body: { reward_id: r.haircut.id, quantity: 2 } });
    expect(res.status, res.text).toBe(422);
    expect(res.body.code).toBe('one_card_at_a_time');
    expect(await stateFingerprint(h)).toEqual(snapshot);
    expect(await h.sql.all('SELECT count(*) AS n FROM reward_holds')).toEqual([{ n: 0 }]);
  });

  it('is a guard in the schema, for holds and redemptions alike', async () => {
    await expect(
      h.sql.exec(`INSERT INTO reward_holds (hold_id, reward_id, merchant_id, member_id, quantity, unit_price, periods)
                  VALUES ('hold_x', '${r.haircut.id}', '${r.barber.id}', '${rider(0).id}', 5, 4000, '[]')`),
    ).rejects.toThrow(/one_card_at_a_time/);
    await expect(
      h.sql.exec(`INSERT INTO redemptions (id, merchant_id, reward_id, member_id, quantity, unit_price, points, tx_id, refundable_until, created_at)
                  VALUES ('red_x', '${r.barber.id}', '${r.haircut.id}', '${rider(0).id}', 2, 4000, 8000, 'tx_x', '2026-03-08', '2026-03-01')`),
    ).rejects.toThrow(/one_card_at_a_time/);
    const one = await h.call('POST', '/v1/holds', { token: await r.workerToken(0), body: { reward_id: r.haircut.id, quantity: 1 } });
    expect(one.status, one.text).toBe(201);
    expect(await posted(h, r.admin, rider(0).account_id)).toBe('100.00');
    await expectSoundLedger(h, r.admin);
  });
});
