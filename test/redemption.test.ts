import { beforeEach, describe, expect, it } from 'vitest';
import { base64url, compactVerify, createLocalJWKSet } from 'jose';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { posted } from './support/earning.js';
import { redemptionProgramme, stockOf } from './support/redemption.js';
import { codeQrSvg } from '../src/rewards/code-qr.js';

let h: Harness;
let r: Awaited<ReturnType<typeof redemptionProgramme>>;
beforeEach(async () => {
  h = await createHarness();
  r = await redemptionProgramme(h);
});
const rider = (i: number) => r.riders[i]!;

describe('redeeming with a one-time code', () => {
  it('moves points worker → merchant, takes stock, and answers with a receipt that verifies with the published key', async () => {
    const { code } = await r.code(0);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const res = await r.redeem(r.shopToken, { redeem_code: code.toLowerCase(), reward_id: r.water.id, quantity: 2 });
    expect(res.status, res.text).toBe(201);
    expect(res.body.redemption).toMatchObject({ member_id: rider(0).id, quantity: 2, unit_price: '30.00', points: '60.00' });
    expect(JSON.stringify(res.body)).not.toMatch(/balance|available/);
    expect(await posted(h, r.admin, rider(0).account_id)).toBe('40.00');
    expect(await posted(h, r.admin, r.shop.account_id)).toBe('60.00');
    expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(3);

    const jwks = createLocalJWKSet((await h.call('GET', '/.well-known/jwks.json')).body);
    const { payload, protectedHeader } = await compactVerify(res.body.receipt, jwks);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'jifen-receipt+jwt' });
    const claims = JSON.parse(new TextDecoder().decode(payload));
    expect(claims).toMatchObject({
      member_id: rider(0).id,
      merchant_id: r.shop.id,
      reward: { id: r.water.id, name: '矿泉水一箱' },
      quantity: 2,
      points: '60.00',
      transaction: { id: res.body.transaction.id, seq: res.body.transaction.seq, hash: res.body.transaction.hash },
    });
    const tx = await h.call('GET', `/v1/transactions/${res.body.transaction.id}`, { token: r.admin });
    expect(tx.body.hash).toBe(claims.transaction.hash);
    // Altered: another points figure under the same signature.
    const [header, body, signature] = (res.body.receipt as string).split('.');
    const forged = base64url.encode(JSON.stringify({ ...claims, points: '6.00' }));
    await expect(compactVerify(`${header}.${forged}.${signature}`, jwks)).rejects.toThrow();
    await expect(compactVerify(`${header}.${body}.${signature!.slice(0, -4)}AAAA`, jwks)).rejects.toThrow();
    await expectSoundLedger(h, r.admin);
  });

  it('gives the code as an SVG QR code of exactly that code, to show without an encoder', async () => {
    const res = await h.call('POST', '/v1/me/redeem-codes', { token: await r.workerToken(0) });
    expect(res.status, res.text).toBe(201);
    expect(res.body.qr_svg).toMatch(/^<svg viewBox="0 0 \d+ \d+" xmlns="http:\/\/www.w3.org\/2000\/svg"><path d="[^"]+"\s*\/?>(<\/path>)?<\/svg>$/);
    expect(res.body.qr_svg).toBe(codeQrSvg(res.body.code));
    expect(res.body.qr_svg).not.toBe(codeQrSvg((await r.code(0)).code));
  });

  it('refuses a used, expired or unknown code, and a code checked says nothing of its worker', async () => {
    const { code } = await r.code(0);
    const check = await h.call('POST', '/v1/redeem-codes/check', { token: r.shopToken, body: { code } });
    expect(check.body).toEqual({ valid: true, expires_at: expect.any(String), reason: null });
    expect((await r.redeem(r.shopToken, { redeem_code: code, reward_id: r.charger.id })).status).toBe(201);
    const reused = await r.redeem(r.shopToken, { redeem_code: code, reward_id: r.charger.id });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('code_used');
    const unknown = await r.redeem(r.shopToken, { redeem_code: 'ZZZZ-ZZZZ-ZZZZ', reward_id: r.charger.id });
    expect(unknown.status).toBe(404);
    const late = await r.code(1);
    h.clock.advance(5 * 60_000);
    const before = await stateFingerprint(h);
    const expired = await r.redeem(r.shopToken, { redeem_code: late.code, reward_id: r.charger.id });
    expect(expired.status).toBe(410);
    expect(expired.body.code).toBe('code_expired');
    expect(await stateFingerprint(h)).toEqual(before);
    expect((await h.call('POST', '/v1/redeem-codes/check', { token: r.shopToken, body: { code: late.code } })).body).toMatchObject({ valid: false, reason: 'expired' });
  });

  it('refuses what the worker cannot afford, leaving the code usable', async () => {
    const { code } = await r.code(0);
    await h.call('PATCH', `/v1/merchants/${r.shop.id}/rewards/${r.charger.id}`, { token: r.shopToken, body: { price: '100.01' } });
    const before = await stateFingerprint(h);
    const poor = await r.redeem(r.shopToken, { redeem_code: code, reward_id: r.charger.id });
    expect(poor.status).toBe(422);
    expect(poor.body.code).toBe('insufficient_funds');
    expect(await stateFingerprint(h)).toEqual(before);
    const ok = await r.redeem(r.shopToken, { redeem_code: code, reward_id: r.water.id });
    expect(ok.status).toBe(201);
  });

  it('records the price paid when the price changes later', async () => {
    const first = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.charger.id });
    await h.call('PATCH', `/v1/merchants/${r.shop.id}/rewards/${r.charger.id}`, { token: r.shopToken, body: { price: '12' } });
    const second = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.charger.id });
    expect([first.body.redemption.points, second.body.redemption.points]).toEqual(['10.00', '12.00']);
    expect((await h.call('GET', `/v1/redemptions/${first.body.redemption.id}`, { token: r.shopToken })).body.unit_price).toBe('10.00');
  });

  it('refuses past the stock and past the per-member limit', async () => {
    const a = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.water.id, quantity: 2 });
    expect(a.status).toBe(201);
    const limit = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.water.id });
    expect(limit.status).toBe(422);
    expect(limit.body.code).toBe('member_limit_reached');
    expect((await r.redeem(r.shopToken, { redeem_code: (await r.code(1)).code, reward_id: r.water.id, quantity: 2 })).status).toBe(201);
    const third = await r.code(2);
    const before = await stateFingerprint(h);
    const out = await r.redeem(r.shopToken, { redeem_code: third.code, reward_id: r.water.id, quantity: 2 });
    expect(out.status).toBe(409);
    expect(out.body.code).toBe('out_of_stock');
    expect(await stateFingerprint(h)).toEqual(before);
    expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(1);
  });

  it('keeps merchants to their own rewards and away from workers\' accounts', async () => {
    const { code } = await r.code(0);
    const foreign = await r.redeem(r.barberToken, { redeem_code: code, reward_id: r.water.id });
    expect(foreign.status).toBe(404);
    expect((await h.call('GET', `/v1/accounts/${rider(0).account_id}`, { token: r.shopToken })).status).toBe(403);
    expect((await h.call('POST', `/v1/merchants/${r.shop.id}/rewards`, { token: r.barberToken, body: { kind: 'goods', name: 'x', price: '1' } })).status).toBe(403);
    expect((await h.call('GET', `/v1/merchants/${r.shop.id}/settlement`, { token: r.barberToken })).status).toBe(403);
  });
});

describe('discount cards', () => {
  it('issues a card the worker lists, spent one use at a time at its merchant only', async () => {
    const res = await r.redeem(r.barberToken, { redeem_code: (await r.code(0)).code, reward_id: r.haircut.id });
    expect(res.status, res.text).toBe(201);
    const card = res.body.card;
    expect(card).toMatchObject({ name: '理发85折卡', percent_off: '15', uses: 2, uses_left: 2, status: 'active' });
    const mine = await h.call('GET', '/v1/me/cards', { token: await r.workerToken(0) });
    expect(mine.body.items.map((c: any) => c.code)).toEqual([card.code]);
    const elsewhere = await h.call('POST', `/v1/cards/${card.code}/uses`, { token: r.shopToken, body: {} });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.code).toBe('card_wrong_merchant');
    const first = await h.call('POST', `/v1/cards/${card.code}/uses`, { token: r.barberToken, body: { bill_cny: '88.00' } });
    expect(first.body).toMatchObject({ use: 1, discount_cny: '13.20', card: { uses_left: 1 } });
    const second = await h.call('POST', `/v1/cards/${card.code}/uses`, { token: r.barberToken, body: { bill_cny: '10.10' } });
    expect(second.body).toMatchObject({ use: 2, discount_cny: '1.52', card: { uses_left: 0, status: 'used_up' } }); // 1.515 → half-even
    const third = await h.call('POST', `/v1/cards/${card.code}/uses`, { token: r.barberToken });
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('card_exhausted');
    expect((await h.call('GET', '/v1/me/cards', { token: await r.workerToken(0) })).body.items[0]).toMatchObject({ uses_left: 0, status: 'used_up' });
  });

  it('refuses a card after it expires, and gives at most the bill off a fixed-amount card', async () => {
    const res = await r.redeem(r.barberToken, { redeem_code: (await r.code(1)).code, reward_id: r.repair.id });
    const code = res.body.card.code;
    h.clock.advance(10 * 86_400_000);
    const late = await h.call('POST', `/v1/cards/${code}/uses`, { token: r.barberToken, body: { bill_cny: '50' } });
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('card_expired');
    const fresh = await r.redeem(r.barberToken, { redeem_code: (await r.code(1)).code, reward_id: r.repair.id });
    const small = await h.call('POST', `/v1/cards/${fresh.body.card.code}/uses`, { token: r.barberToken, body: { bill_cny: '15.50' } });
    expect(small.body.discount_cny).toBe('15.50');
  });

  it('redeems one card at a time', async () => {
    const res = await r.redeem(r.barberToken, { redeem_code: (await r.code(0)).code, reward_id: r.haircut.id, quantity: 2 });
    expect(res.status).toBe(422);
  });
});

describe('holds for pickup', () => {
  const reserve = async (i: number, reward: string, quantity = 1) => h.call('POST', '/v1/holds', { token: await r.workerToken(i), body: { reward_id: reward, quantity } });

  it('holds points and stock, then becomes a redemption on pickup; a second capture is refused', async () => {
    const hold = await reserve(0, r.water.id, 2);
    expect(hold.status, hold.text).toBe(201);
    expect(hold.body).toMatchObject({ status: 'held', points: '60.00', quantity: 2 });
    const me = await h.call('GET', '/v1/me', { token: await r.workerToken(0) });
    expect(me.body.balance).toEqual({ available: '40.00', held: '60.00', posted: '100.00' });
    expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(3);
    const pickup = await h.call('POST', `/v1/holds/${hold.body.id}/capture`, { token: r.shopToken });
    expect(pickup.status, pickup.text).toBe(201);
    expect(pickup.body.redemption).toMatchObject({ hold_id: hold.body.id, points: '60.00' });
    const jwks = createLocalJWKSet((await h.call('GET', '/.well-known/jwks.json')).body);
    await expect(compactVerify(pickup.body.receipt, jwks)).resolves.toBeTruthy();
    expect((await h.call('GET', '/v1/me', { token: await r.workerToken(0) })).body.balance).toEqual({ available: '40.00', held: '0.00', posted: '40.00' });
    const twice = await h.call('POST', `/v1/holds/${hold.body.id}/capture`, { token: r.shopToken });
    expect(twice.status).toBe(409);
    expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(3);
    expect((await h.call('POST', `/v1/holds/${hold.body.id}/capture`, { token: r.barberToken })).status).toBe(403);
    await expectSoundLedger(h, r.admin);
  });

  it('refuses capture after void and void after expiry; expiry gives points, stock and limit back', async () => {
    const voided = await reserve(0, r.water.id);
    expect((await h.call('POST', `/v1/holds/${voided.body.id}/void`, { token: await r.workerToken(0) })).body.status).toBe('voided');
    expect((await h.call('POST', `/v1/holds/${voided.body.id}/capture`, { token: r.shopToken })).status).toBe(409);
    expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(5);

    const lapsing = await reserve(1, r.water.id, 2);
    expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(3);
    h.clock.advance(48 * 3_600_000);
    const late = await h.call('POST', `/v1/holds/${lapsing.body.id}/void`, { token: r.shopToken });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('hold_expired');
    expect((await h.call('POST', `/v1/holds/${lapsing.body.id}/capture`, { token: r.shopToken })).status).toBe(409);
    const { runScheduledJobs } = await import('../src/jobs/scheduled.js');
    await runScheduledJobs(h.deps);
    expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(5);
    expect((await h.call('GET', '/v1/me', { token: await r.workerToken(1) })).body.balance.held).toBe('0.00');
    const holds = await h.call('GET', '/v1/me/holds', { token: await r.workerToken(1) });
    expect(holds.body.items[0]).toMatchObject({ id: lapsing.body.id, status: 'expired' });
    // The limit came back too: two more may be taken this month.
    expect((await r.redeem(r.shopToken, { redeem_code: (await r.code(1)).code, reward_id: r.water.id, quantity: 2 })).status).toBe(201);
  });

  it('cannot hold more than the worker has available', async () => {
    await reserve(0, r.water.id, 2); // 60 of 100 held
    const more = await h.call('POST', '/v1/holds', { token: await r.workerToken(0), body: { reward_id: r.charger.id, quantity: 5 } });
    expect(more.status).toBe(422);
    expect(more.body.code).toBe('insufficient_funds');
  });
});

describe('refunds', () => {
  it('reverses the redemption, restores stock and limit, and revokes an unused card', async () => {
    const goods = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.water.id, quantity: 2 });
    const refund = await h.call('POST', `/v1/redemptions/${goods.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: 'water was spoiled' } });
    expect(refund.status, refund.text).toBe(200);
    expect(refund.body.transaction).toMatchObject({ kind: 'redemption_refund', reverses_id: goods.body.transaction.id });
    expect(await posted(h, r.admin, rider(0).account_id)).toBe('100.00');
    expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(5);
    expect((await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.water.id, quantity: 2 })).status).toBe(201);
    const again = await h.call('POST', `/v1/redemptions/${goods.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: 'twice' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_refunded');

    const card = await r.redeem(r.barberToken, { redeem_code: (await r.code(1)).code, reward_id: r.haircut.id });
    expect((await h.call('POST', `/v1/redemptions/${card.body.redemption.id}/refund`, { token: r.barberToken, body: { reason: 'changed mind' } })).status).toBe(200);
    const use = await h.call('POST', `/v1/cards/${card.body.card.code}/uses`, { token: r.barberToken });
    expect(use.status).toBe(409);
    expect(use.body.code).toBe('card_revoked');
    expect((await h.call('GET', '/v1/me/cards', { token: await r.workerToken(1) })).body.items[0].status).toBe('revoked');
    await expectSoundLedger(h, r.admin);
  });

  it('refuses refunding a used card and refunding outside the window', async () => {
    const card = await r.redeem(r.barberToken, { redeem_code: (await r.code(1)).code, reward_id: r.haircut.id });
    await h.call('POST', `/v1/cards/${card.body.card.code}/uses`, { token: r.barberToken });
    const used = await h.call('POST', `/v1/redemptions/${card.body.redemption.id}/refund`, { token: r.barberToken, body: { reason: 'after use' } });
    expect(used.status).toBe(409);
    expect(used.body.code).toBe('card_used');
    const goods = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.charger.id });
    h.clock.advance(7 * 86_400_000 + 1);
    const before = await stateFingerprint(h);
    const late = await h.call('POST', `/v1/redemptions/${goods.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: 'too late' } });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('refund_window_closed');
    expect(await stateFingerprint(h)).toEqual(before);
    expect((await h.call('POST', `/v1/redemptions/${goods.body.redemption.id}/refund`, { token: r.barberToken, body: { reason: 'not mine' } })).status).toBe(403);
  });
});

describe('settlement', () => {
  it('states redemptions, refunds, net points and CNY for a period; a settlement moves the balance to settled', async () => {
    const a = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.water.id, quantity: 2 });
    await r.redeem(r.shopToken, { redeem_code: (await r.code(1)).code, reward_id: r.charger.id });
    await h.call('POST', `/v1/redemptions/${a.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: 'spoiled' } });
    await r.redeem(r.shopToken, { redeem_code: (await r.code(2)).code, reward_id: r.water.id });
    const from = new Date(h.clock.now().getTime() - 86_400_000).toISOString();
    const to = new Date(h.clock.now().getTime() + 1_000).toISOString();
    const statement = await h.call('GET', `/v1/merchants/${r.shop.id}/settlement?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { token: r.shopToken });
    expect(statement.status, statement.text).toBe(200);
    expect(statement.body).toMatchObject({
      redemptions: { count: 3, points: '100.00' },
      refunds: { count: 1, points: '60.00' },
      net_points: '40.00',
      net_cny: '4.00',
      rate_cny_per_point: '0.10',
      unsettled_balance: '40.00',
    });
    const settle = await h.call('POST', '/v1/settlements', { token: r.admin, body: { merchant_id: r.shop.id, reference: 'BANK-2026-03-001' } });
    expect(settle.status, settle.text).toBe(201);
    expect(settle.body.settlement).toMatchObject({ points: '40.00', cny: '4.00' });
    expect(await posted(h, r.admin, r.shop.account_id)).toBe('0.00');
    expect(await posted(h, r.admin, 'program:settled')).toBe('40.00');
    const after = await h.call('GET', `/v1/merchants/${r.shop.id}/settlement?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(h.clock.now().getTime() + 2_000).toISOString())}`, { token: r.admin });
    expect(after.body).toMatchObject({ settled_in_period: { count: 1, points: '40.00' }, unsettled_balance: '0.00' });
    const nothing = await h.call('POST', '/v1/settlements', { token: r.admin, body: { merchant_id: r.shop.id } });
    expect(nothing.status).toBe(422);
    await expectSoundLedger(h, r.admin);
  });
});
