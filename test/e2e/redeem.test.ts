import { expect, it } from 'vitest';
import { zh } from '../../src/pages/strings-zh.js';
import { stateFingerprint } from '../support/fixtures.js';
import { posted } from '../support/earning.js';
import { redemptionProgramme } from '../support/redemption.js';
import { alertText, complaints, open, signedIn, liveBrowser } from './support/live-service.js';
import { decodeShownQr } from './support/qr.js';

const live = liveBrowser();

it('a worker shows a code, a merchant redeems it: the worker balance and the merchant settlement change', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const worker = await signedIn(browser, base, await r.workerToken(0), '/app/worker');
  const merchant = await signedIn(browser, base, r.shopToken, '/app/merchant');

  // Before: the worker has 100.00, the shop's statement is empty.
  const home = await open(worker, base, '/app/worker');
  await expect.poll(() => home.locator('#available').textContent()).toBe('100.00');
  const statement = await open(merchant, base, '/app/merchant/settlement');
  await expect.poll(() => statement.locator('#settlement').getAttribute('data-net-points')).toBe('0.00');

  // The worker shows a code; the QR code on screen encodes exactly the code printed under it.
  await home.getByRole('button', { name: zh.show_code }).click();
  await home.locator('#qr:not([hidden])').waitFor();
  const code = (await home.locator('#code-text').textContent())!;
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  expect(await decodeShownQr(home)).toBe(code);
  expect(await home.locator('#qr').getAttribute('alt')).toContain(code);

  // The merchant types it at the till, picks two cases of water and redeems.
  const till = await open(merchant, base, '/app/merchant');
  await till.getByLabel(zh.redeem_code_input).fill(code.toLowerCase());
  await till.getByLabel(zh.reward).selectOption(r.water.id);
  await till.getByLabel(zh.quantity).fill('2');
  await expect.poll(() => till.locator('#cost').textContent()).toBe('共需 60.00 分');
  await till.getByRole('button', { name: zh.redeem_submit }).click();
  await till.locator('#receipt:not([hidden])').waitFor();
  expect(await till.getByRole('status').textContent()).toBe(zh.redeemed_ok);
  const redemptionId = (await till.locator('#receipt').getAttribute('data-redemption-id'))!;
  expect(await till.locator('#receipt-details').textContent()).toContain('60.00');

  // The ledger moved exactly that: worker 100 → 40, shop 0 → 60, one redemption of 2.
  expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('40.00');
  expect(await posted(h, r.admin, r.shop.account_id)).toBe('60.00');
  const redemption = await h.call('GET', `/v1/redemptions/${redemptionId}`, { token: r.admin });
  expect(redemption.body).toMatchObject({ member_id: r.riders[0]!.id, merchant_id: r.shop.id, reward_id: r.water.id, quantity: 2, points: '60.00' });

  // Both pages show the change.
  await home.reload();
  await expect.poll(() => home.locator('#available').textContent()).toBe('40.00');
  await statement.reload();
  await expect.poll(() => statement.locator('#settlement').getAttribute('data-net-points')).toBe('60.00');
  expect(await statement.locator('#settlement').textContent()).toContain('1 笔，60.00 分');
  const history = await open(worker, base, '/app/worker/statement');
  await expect.poll(() => history.locator('#entries li').first().textContent()).toContain('-60.00');

  // The same code again: refused in plain words, and nothing changes.
  const before = await stateFingerprint(h);
  await till.getByLabel(zh.redeem_code_input).fill(code);
  await till.getByRole('button', { name: zh.redeem_submit }).click();
  await expect.poll(() => alertText(till)).toBe(zh.err_code_used);
  expect(await stateFingerprint(h)).toEqual(before);
  expect(complaints).toEqual([]);
});

it('a discount card redeemed at the till shows on the worker page and is spent at the till', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const worker = await signedIn(browser, base, await r.workerToken(1), '/app/worker');
  const barber = await signedIn(browser, base, r.barberToken, '/app/merchant');
  const { code } = await r.code(1);
  const till = await open(barber, base, '/app/merchant');
  await till.getByLabel(zh.redeem_code_input).fill(code);
  await till.getByLabel(zh.reward).selectOption(r.haircut.id);
  await till.getByRole('button', { name: zh.redeem_submit }).click();
  await till.locator('#receipt:not([hidden])').waitFor();
  const cardCode = (await till.locator('#receipt-details dd').last().textContent())!;
  expect(cardCode).toMatch(/^C-/);

  const cards = await open(worker, base, '/app/worker/cards');
  await expect.poll(() => cards.locator('#cards').textContent()).toContain(cardCode);
  expect(await cards.locator('#cards').textContent()).toContain('剩余 2/2 次');

  await till.getByLabel(zh.card_code).fill(cardCode);
  await till.getByLabel(zh.bill_cny).fill('88');
  await till.getByRole('button', { name: zh.card_use_submit }).click();
  await till.locator('#card-result:not([hidden])').waitFor();
  expect(await till.locator('#card-result').textContent()).toContain('13.20 元');
  const mine = await h.call('GET', '/v1/me/cards', { token: await r.workerToken(1) });
  expect(mine.body.items[0]).toMatchObject({ code: cardCode, uses_left: 1 });
  await cards.reload();
  await expect.poll(() => cards.locator('#cards').textContent()).toContain('剩余 1/2 次');
  expect(complaints).toEqual([]);
});

it('replaces the code on screen before it expires, and the new QR code is the new code', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  h.deps.programme = { ...h.deps.programme, redeemCodeTtlSeconds: 12 };
  const worker = await signedIn(browser, base, await r.workerToken(0), '/app/worker');
  const home = await open(worker, base, '/app/worker');
  await home.getByRole('button', { name: zh.show_code }).click();
  await home.locator('#qr:not([hidden])').waitFor();
  const first = (await home.locator('#code-text').textContent())!;
  const firstExpires = Date.parse((await home.locator('#code-text').getAttribute('data-expires-at'))!);
  await expect.poll(() => home.locator('#code-text').textContent(), { timeout: 15_000, interval: 250 }).not.toBe(first);
  expect(Date.now()).toBeLessThan(firstExpires);
  const second = (await home.locator('#code-text').textContent())!;
  expect(await decodeShownQr(home)).toBe(second);
  const check = await h.call('POST', '/v1/redeem-codes/check', { token: r.shopToken, body: { code: second } });
  expect(check.body.valid).toBe(true);
  expect(complaints).toEqual([]);
});

it('the same code, reward and quantity entered again says it was already redeemed, and the ledger holds one redemption', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const merchant = await signedIn(browser, base, r.shopToken, '/app/merchant');
  const { code } = await r.code(0);
  const till = await open(merchant, base, '/app/merchant');
  const enter = async () => {
    await till.getByLabel(zh.redeem_code_input).fill(code);
    await till.getByLabel(zh.reward).selectOption(r.water.id);
    await till.getByLabel(zh.quantity).fill('2');
    await till.getByRole('button', { name: zh.redeem_submit }).click();
  };
  await enter();
  await till.locator('#receipt:not([hidden])').waitFor();
  expect(await till.getByRole('status').textContent()).toBe(zh.redeemed_ok);
  const redemptionId = (await till.locator('#receipt').getAttribute('data-redemption-id'))!;

  // The page reuses its Idempotency-Key, so the server replays the first answer: shown as such, not as a new success.
  await enter();
  await expect.poll(() => alertText(till)).toMatch(/^此兑换码已于 \d\d:\d\d 兑换过，收据 /);
  expect(await alertText(till)).toContain(redemptionId);
  expect(await till.locator('#message').textContent()).toBe(''); // no 兑换成功 this time
  expect(await till.locator('#receipt').isHidden()).toBe(true);

  // One redemption in the ledger: the worker paid 60 once, the shop got 60 once.
  expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('40.00');
  expect(await posted(h, r.admin, r.shop.account_id)).toBe('60.00');
  expect(await h.sql.all('SELECT count(*) AS n FROM redemptions')).toEqual([{ n: 1 }]);
  expect(complaints).toEqual([]);
});

it('the worker picks a ceiling for the code, sees it under the QR code, and sees the redemption made with it', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const worker = await signedIn(browser, base, await r.workerToken(0), '/app/worker');
  const home = await open(worker, base, '/app/worker');
  await home.getByLabel(zh.code_ceiling).selectOption('100');
  await home.getByRole('button', { name: zh.show_code }).click();
  await home.locator('#qr:not([hidden])').waitFor();
  expect(await home.locator('#code-ceiling-shown').textContent()).toBe('本码最多可扣 100.00 积分，超出的兑换会被拒绝。');
  const code = (await home.locator('#code-text').textContent())!;

  const res = await r.redeem(r.shopToken, { redeem_code: code, reward_id: r.water.id, quantity: 1 });
  expect(res.status, res.text).toBe(201);
  await expect.poll(() => home.locator('#code-spent').textContent(), { timeout: 10_000 }).toMatch(/^已在 和平便利店 兑换 矿泉水一箱 × 1，扣 30\.00 积分（\d\d:\d\d）。$/);
  expect(await home.locator('#code-spent').getAttribute('data-redemption-id')).toBe(res.body.redemption.id);
  await expect.poll(() => home.locator('#available').textContent()).toBe('70.00');
  expect(await home.locator('#qr').isHidden()).toBe(true);
  expect(complaints).toEqual([]);
});
