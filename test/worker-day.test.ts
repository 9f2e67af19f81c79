import { beforeEach, describe, expect, it } from 'vitest';
import { compactVerify, createLocalJWKSet } from 'jose';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { redemptionProgramme } from './support/redemption.js';

let h: Harness;
let r: Awaited<ReturnType<typeof redemptionProgramme>>;
beforeEach(async () => {
  h = await createHarness();
  r = await redemptionProgramme(h);
});

describe("the worker's catalog (GET /v1/catalog)", () => {
  it('lists every reward on offer with its shop and org, not the ones taken off sale, and narrows by org and shop', async () => {
    const worker = await r.workerToken(0);
    const off = await h.call('PATCH', `/v1/merchants/${r.shop.id}/rewards/${r.charger.id}`, { token: r.shopToken, body: { active: false } });
    expect(off.status, off.text).toBe(200);
    const res = await h.call('GET', '/v1/catalog', { token: worker });
    expect(res.status, res.text).toBe(200);
    const names = res.body.items.map((i: { merchant_name: string; name: string }) => `${i.merchant_name}:${i.name}`);
    // By shop name (both shops are in the community), then the order the rewards were added.
    expect(names).toEqual(['和平便利店:矿泉水一箱', '建设路理发店:理发85折卡', '建设路理发店:修车立减20元']);
    expect(res.body.items[0]).toMatchObject({ id: r.water.id, merchant_id: r.shop.id, org_id: r.community.id, price: '30.00', stock: 5, active: true });
    expect(typeof res.body.items[0].org_name).toBe('string');

    const shop = await h.call('GET', `/v1/catalog?merchant_id=${r.barber.id}`, { token: worker });
    expect(shop.body.items.map((i: { id: string }) => i.id)).toEqual([r.haircut.id, r.repair.id]);
    const elsewhere = await h.call('GET', `/v1/catalog?org_id=${r.otherDistrict.id}`, { token: worker });
    expect(elsewhere.body.items).toEqual([]);
    const inDistrict = await h.call('GET', `/v1/catalog?org_id=${r.district.id}`, { token: worker });
    expect(inDistrict.body.items).toHaveLength(3);
    expect((await h.call('GET', '/v1/catalog?org_id=org_nowhere', { token: worker })).status).toBe(404);
  });

  it('shows the stock a reservation takes, and gives it back when the worker cancels', async () => {
    const worker = await r.workerToken(0);
    const stock = async () => (await h.call('GET', `/v1/catalog?merchant_id=${r.shop.id}`, { token: worker })).body.items.find((i: { id: string }) => i.id === r.water.id).stock;
    const hold = await h.call('POST', '/v1/holds', { token: worker, body: { reward_id: r.water.id, quantity: 2 } });
    expect(hold.status, hold.text).toBe(201);
    expect(await stock()).toBe(3);
    const me = await h.call('GET', '/v1/me', { token: worker });
    expect(me.body.balance).toMatchObject({ available: '40.00', held: '60.00' });
    const voided = await h.call('POST', `/v1/holds/${hold.body.id}/void`, { token: worker });
    expect(voided.body.status).toBe('voided');
    expect(await stock()).toBe(5);
    expect((await h.call('GET', '/v1/me', { token: worker })).body.balance).toMatchObject({ available: '100.00', held: '0.00' });
    await expectSoundLedger(h, r.admin);
  });
});

describe("a redemption's receipt (GET /v1/redemptions/{id}/receipt)", () => {
  it('is the receipt the till got, for the worker and its shop only, and names the refund after one', async () => {
    const [w0, w1] = [await r.workerToken(0), await r.workerToken(1)];
    const sale = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.water.id, quantity: 1 });
    expect(sale.status, sale.text).toBe(201);
    const id = sale.body.redemption.id;
    const mine = await h.call('GET', `/v1/redemptions/${id}/receipt`, { token: w0 });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body).toMatchObject({ redemption_id: id, merchant_name: '和平便利店', reward_name: '矿泉水一箱', receipt: sale.body.receipt, refund: null });
    expect(mine.body.transaction).toEqual(sale.body.transaction);
    const jwks = createLocalJWKSet((await h.call('GET', '/.well-known/jwks.json')).body);
    const { payload } = await compactVerify(mine.body.receipt, jwks);
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ redemption_id: id, points: '30.00', quantity: 1 });

    expect((await h.call('GET', `/v1/redemptions/${id}/receipt`, { token: r.shopToken })).body.receipt).toBe(sale.body.receipt);
    const before = await stateFingerprint(h);
    expect((await h.call('GET', `/v1/redemptions/${id}/receipt`, { token: w1 })).status).toBe(403);
    expect((await h.call('GET', `/v1/redemptions/${id}/receipt`, { token: r.barberToken })).status).toBe(403);
    expect((await h.call('GET', '/v1/redemptions/red_nothing/receipt', { token: w0 })).status).toBe(404);
    expect(await stateFingerprint(h)).toEqual(before);

    const refund = await h.call('POST', `/v1/redemptions/${id}/refund`, { token: r.shopToken, body: { reason: '水箱破损，退回' } });
    expect(refund.status, refund.text).toBe(200);
    const after = await h.call('GET', `/v1/redemptions/${id}/receipt`, { token: w0 });
    expect(after.body.refund).toMatchObject({ reason: '水箱破损，退回', transaction_id: refund.body.transaction.id });
    expect(after.body.receipt).toBe(sale.body.receipt);
    await expectSoundLedger(h, r.admin);
  });
});

describe("a worker's leaderboard preference (GET and PUT /v1/me/preferences)", () => {
  it('reads back what the worker chose, its own only, and the board leaves it out', async () => {
    const [w0, w1] = [await r.workerToken(0), await r.workerToken(1)];
    expect((await h.call('GET', '/v1/me/preferences', { token: w0 })).body).toEqual({ leaderboard_opt_out: false, updated_at: null });
    const claim = await h.call('POST', '/v1/claims', {
      token: r.organizer,
      body: { member_id: r.riders[0]!.id, activity_code: 'hazard_resolved', occurred_at: new Date(h.clock.now().getTime() - 60_000).toISOString() },
    });
    expect(claim.body.status).toBe('approved');
    const board = async () => (await h.call('GET', `/v1/leaderboards?org_id=${r.street.id}&period=month`, { token: w0 })).body.items;
    expect((await board()).filter((i: { is_me?: boolean }) => i.is_me)).toHaveLength(1);

    const put = await h.call('PUT', '/v1/me/preferences', { token: w0, body: { leaderboard_opt_out: true } });
    expect(put.status, put.text).toBe(200);
    expect((await h.call('GET', '/v1/me/preferences', { token: w0 })).body).toEqual({ leaderboard_opt_out: true, updated_at: put.body.updated_at });
    expect((await h.call('GET', '/v1/me/preferences', { token: w1 })).body).toEqual({ leaderboard_opt_out: false, updated_at: null });
    expect((await board()).filter((i: { is_me?: boolean }) => i.is_me)).toEqual([]);
    expect((await h.call('GET', '/v1/me/preferences', { token: r.organizer })).status).toBe(403);
  });
});
