import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/pages/strings-en.js';
import { zh } from '../../src/pages/strings-zh.js';
import { expectSoundLedger, stateFingerprint } from '../support/fixtures.js';
import type { Harness } from '../support/harness-core.js';
import { posted } from '../support/earning.js';
import { redemptionProgramme, stockOf } from '../support/redemption.js';
import { alertText, complaints, open, signedIn, liveBrowser } from './support/live-service.js';

const live = liveBrowser();
type Text = Record<keyof typeof zh, string>;
type Reward = { id: string; name: string; price: string; stock: number | null; active: boolean };

const lineOf = (till: Page, name: string) => till.locator('#catalog li', { hasText: name });

async function catalogDay(s: Text, lang: string) {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const shop = await signedIn(browser, base, r.shopToken, '/app/merchant');
  const till = await open(shop, base, '/app/merchant' + lang);
  const rewards = async () => (await h.call('GET', `/v1/merchants/${r.shop.id}/rewards`, { token: r.admin })).body.items as Reward[];

  // The till names the shop; this shop has no card rewards, so no card section.
  await expect.poll(() => till.locator('#shop-name').getAttribute('data-name')).toBe('和平便利店');
  expect(await till.locator('#card-section').isHidden()).toBe(true);
  await expect.poll(() => lineOf(till, '矿泉水一箱').count()).toBe(1);

  // Add a reward: goods, 12 points, 3 in stock.
  await till.getByLabel(s.merchant_name).fill('雨衣');
  await till.getByLabel(s.merchant_price).fill('12');
  await till.locator('#add-stock').fill('3');
  await till.getByRole('button', { name: s.merchant_add_submit }).click();
  await expect.poll(() => lineOf(till, '雨衣').count()).toBe(1);
  const added = (await rewards()).find((x) => x.name === '雨衣')!;
  expect(added).toMatchObject({ price: '12.00', stock: 3, active: true });

  // Change its price and stock: the catalog and the till follow.
  await till.getByLabel(s.merchant_change_reward).selectOption(added.id);
  await till.getByLabel(s.merchant_new_price).fill('15');
  await till.getByLabel(s.merchant_new_stock).fill('7');
  await till.getByRole('button', { name: s.merchant_change_submit }).click();
  await expect.poll(async () => (await rewards()).find((x) => x.id === added.id)).toMatchObject({ price: '15.00', stock: 7, active: true });
  await expect.poll(() => lineOf(till, '雨衣').textContent()).toContain('15.00');

  // Redeem one at the new price: the worker pays 15, stock 7 → 6, ledger sound.
  const before = await posted(h, r.admin, r.riders[0]!.account_id);
  const { code } = await r.code(0);
  await till.getByLabel(s.redeem_code_input).fill(code);
  await till.getByLabel(s.reward, { exact: true }).selectOption(added.id);
  await till.getByRole('button', { name: s.redeem_submit }).click();
  await till.locator('#receipt:not([hidden])').waitFor();
  expect(Number(await posted(h, r.admin, r.riders[0]!.account_id))).toBe(Number(before) - 15);
  expect((await rewards()).find((x) => x.id === added.id)!.stock).toBe(6);
  await expectSoundLedger(h, r.admin);

  // Refund it from the receipt with a reason: the points come back, stock 6 → 7, ledger sound.
  await till.getByLabel(s.merchant_refund_reason).fill('顾客买错了');
  await till.getByRole('button', { name: s.merchant_refund_submit }).click();
  await expect.poll(() => till.getByRole('status').textContent()).toBe(s.merchant_refunded_ok);
  expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe(before);
  expect((await rewards()).find((x) => x.id === added.id)!.stock).toBe(7);
  await expectSoundLedger(h, r.admin);

  // Take the charger off sale: it stays on the catalog as off sale, gone from the till.
  await till.getByLabel(s.merchant_change_reward).selectOption(r.charger.id);
  await till.getByRole('button', { name: s.merchant_take_off }).click();
  await expect.poll(async () => (await rewards()).find((x) => x.id === r.charger.id)!.active).toBe(false);
  await expect.poll(() => lineOf(till, '充电宝租用').textContent()).toContain(s.merchant_off_sale);
  // The catalog redraws first, then the till's reward list: wait for the second.
  await expect.poll(() => till.locator(`#reward option[value="${r.charger.id}"]`).count()).toBe(0);
  await expectSoundLedger(h, r.admin);
  expect(complaints).toEqual([]);
}

it('a merchant adds a reward, changes its price and stock, redeems it and takes another off sale (Chinese)', () => catalogDay(zh, ''));
it('the same in English (?lang=en)', () => catalogDay(en, '?lang=en'));

it('a merchant adds a discount card from the catalog form, on the terms it typed', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const shop = await signedIn(browser, base, r.shopToken, '/app/merchant');
  const till = await open(shop, base, '/app/merchant');
  await expect.poll(() => lineOf(till, '矿泉水一箱').count()).toBe(1);
  expect(await till.locator('#card-section').isHidden()).toBe(true);

  await till.getByLabel(zh.merchant_kind).selectOption('discount_card');
  await till.getByLabel(zh.merchant_name).fill('洗车9折卡');
  await till.getByLabel(zh.merchant_price).fill('20');
  await till.locator('#add-percent').fill('10');
  await till.getByLabel(zh.merchant_card_days).fill('15');
  await till.getByLabel(zh.merchant_card_uses).fill('3');
  await till.getByRole('button', { name: zh.merchant_add_submit }).click();
  await expect.poll(() => lineOf(till, '洗车9折卡').count()).toBe(1);
  const rewards = (await h.call('GET', `/v1/merchants/${r.shop.id}/rewards`, { token: r.admin })).body.items as Array<Reward & { kind: string; card: unknown }>;
  expect(rewards.find((x) => x.name === '洗车9折卡')).toMatchObject({
    kind: 'discount_card',
    price: '20.00',
    stock: null,
    active: true,
    card: { percent_off: '10', amount_off_cny: null, valid_days: 15, uses: 3 },
  });
  // The shop now offers a card, so the till shows where to use one.
  await expect.poll(() => till.locator('#card-section').isHidden()).toBe(false);
  expect(complaints).toEqual([]);
});

const memberNo = async (h: Harness, token: string, id: string) => (await h.call('GET', `/v1/members/${id}`, { token })).body.member_no as string;
const balance = async (h: Harness, token: string, accountId: string) => (await h.call('GET', `/v1/accounts/${accountId}`, { token })).body.balance as { available: string; held: string; posted: string };

it('the redemptions list shows the newest first by name and number; one is refunded from it with a reason; after the window a refund is refused and changes nothing', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const sold: string[] = [];
  for (const [i, reward] of [[0, r.water.id], [1, r.charger.id], [2, r.water.id]] as const) {
    h.clock.advance(1000);
    const res = await r.redeem(r.shopToken, { redeem_code: (await r.code(i)).code, reward_id: reward });
    expect(res.status, res.text).toBe(201);
    sold.push(res.body.redemption.id);
  }
  const shop = await signedIn(browser, base, r.shopToken, '/app/merchant');
  const page = await open(shop, base, '/app/merchant/redemptions');
  const rows = page.locator('#redemptions li[data-redemption-id]');
  await expect.poll(() => rows.count()).toBe(3);
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-redemption-id')))).toEqual([...sold].reverse());
  const first = rows.nth(0), middle = rows.nth(1);
  expect(await first.locator('[data-who]').textContent()).toContain(`骑手2（编号 ${await memberNo(h, r.admin, r.riders[2]!.id)}）`);
  expect(await middle.locator('[data-who]').textContent()).toContain(`骑手1（编号 ${await memberNo(h, r.admin, r.riders[1]!.id)}）`);
  expect(await middle.textContent()).toContain('充电宝租用 × 1');
  // No raw member id in front of people.
  expect(await page.locator('main').textContent()).not.toContain(r.riders[1]!.id);

  // The receipt opens in place, signed.
  await first.getByText(zh.merchant_r_receipt_show).click();
  await expect.poll(async () => ((await first.locator('[data-receipt]').textContent()) ?? '').split('.').length).toBe(3);
  // Receipt open, the list still fits the 360 px phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);

  // Refund the oldest (rider 0's water) from the list: points and stock back, ledger sound.
  const oldest = page.locator(`#redemptions li[data-redemption-id="${sold[0]}"]`);
  const rider0 = r.riders[0]!.account_id;
  expect((await balance(h, r.admin, rider0)).posted).toBe('70.00');
  expect(await stockOf(h, r.admin, r.shop.id, r.water.id)).toBe(3);
  await oldest.getByText(zh.merchant_refund_submit).click();
  await oldest.getByLabel(zh.merchant_refund_reason).fill('顾客买错了');
  await oldest.getByRole('button', { name: zh.merchant_r_refund_submit }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toBe(zh.merchant_refunded_ok);
  await expect.poll(() => page.locator(`#redemptions li[data-redemption-id="${sold[0]}"]`).getAttribute('data-refunded')).toBe('true');
  expect(await page.locator(`#redemptions li[data-redemption-id="${sold[0]}"] [data-refund-state]`).textContent()).toContain('顾客买错了');
  expect((await balance(h, r.admin, rider0)).posted).toBe('100.00');
  expect(await stockOf(h, r.admin, r.shop.id, r.water.id)).toBe(4);
  await expectSoundLedger(h, r.admin);

  // The refund window (the programme's one setting) passes while the page is open: the refund
  // offered on screen is refused in plain words, and nothing changes.
  h.clock.advance(h.deps.programme.refundWindowDays * 86_400_000 + 60_000);
  const before = await stateFingerprint(h);
  const stale = page.locator(`#redemptions li[data-redemption-id="${sold[1]}"]`);
  await stale.getByText(zh.merchant_refund_submit).click();
  await stale.getByLabel(zh.merchant_refund_reason).fill('过了期限还想退');
  await stale.getByRole('button', { name: zh.merchant_r_refund_submit }).click();
  await expect.poll(() => alertText(page)).toBe(zh.err_refund_window_closed);
  expect(await stateFingerprint(h)).toEqual(before);
  expect((await balance(h, r.admin, r.riders[1]!.account_id)).posted).toBe('90.00');
  await expectSoundLedger(h, r.admin);
  // Opened again, the list no longer offers it.
  await page.reload();
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator(`#redemptions li[data-redemption-id="${sold[1]}"] [data-refund-state]`).textContent()).toBe(zh.merchant_r_not_refundable);
  expect(await page.locator('#redemptions details.refund').count()).toBe(0);
  expect(complaints).toEqual([]);
});

it('pickups show who reserved what and when it lapses; one is handed over and another cancelled', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const reserve = async (i: number, rewardId: string, quantity: number) => {
    h.clock.advance(1000);
    const res = await h.call('POST', '/v1/holds', { token: await r.workerToken(i), body: { reward_id: rewardId, quantity } });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; expires_at: string };
  };
  const water = await reserve(0, r.water.id, 2);
  const charger = await reserve(1, r.charger.id, 1);
  const rider0 = r.riders[0]!.account_id;
  expect(await balance(h, r.admin, rider0)).toEqual({ posted: '100.00', held: '60.00', available: '40.00' });
  expect(await stockOf(h, r.admin, r.shop.id, r.water.id)).toBe(3);

  const shop = await signedIn(browser, base, r.shopToken, '/app/merchant');
  const page = await open(shop, base, '/app/merchant/pickups?lang=en');
  const rows = page.locator('#pickups li[data-hold-id]');
  await expect.poll(() => rows.count()).toBe(2);
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-hold-id')))).toEqual([water.id, charger.id]);
  const first = rows.nth(0);
  expect(await first.textContent()).toContain('矿泉水一箱 × 2');
  expect(await first.locator('[data-who]').textContent()).toContain(`骑手0 (no. ${await memberNo(h, r.admin, r.riders[0]!.id)})`);
  // When it lapses, in the phone's time zone.
  const lapse = await page.evaluate((at) => new Date(at).toLocaleString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }), water.expires_at);
  expect(await first.locator('[data-lapses]').textContent()).toBe(en.merchant_p_until.replace('{time}', lapse));
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);

  // Hand the water over: rider 0 pays the 60 held, the stock stays taken, the ledger is sound.
  await first.getByRole('button', { name: en.merchant_p_capture }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toBe(en.merchant_p_captured_ok.replace('{name}', '骑手0').replace('{points}', '60.00'));
  await expect.poll(() => rows.count()).toBe(1);
  expect(await balance(h, r.admin, rider0)).toEqual({ posted: '40.00', held: '0.00', available: '40.00' });
  expect(await stockOf(h, r.admin, r.shop.id, r.water.id)).toBe(3);
  await expectSoundLedger(h, r.admin);

  // Another reservation, then cancelled: the held points and the stock come back.
  const again = await reserve(2, r.water.id, 1);
  const rider2 = r.riders[2]!.account_id;
  expect(await balance(h, r.admin, rider2)).toEqual({ posted: '100.00', held: '30.00', available: '70.00' });
  expect(await stockOf(h, r.admin, r.shop.id, r.water.id)).toBe(2);
  await page.reload();
  await page.waitForLoadState('networkidle');
  await expect.poll(() => rows.count()).toBe(2);
  await page.locator(`#pickups li[data-hold-id="${again.id}"]`).getByRole('button', { name: en.merchant_p_void }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toBe(en.merchant_p_voided_ok.replace('{name}', '骑手2'));
  await expect.poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-hold-id')))).toEqual([charger.id]);
  expect(await balance(h, r.admin, rider2)).toEqual({ posted: '100.00', held: '0.00', available: '100.00' });
  expect(await stockOf(h, r.admin, r.shop.id, r.water.id)).toBe(3);
  await expectSoundLedger(h, r.admin);
  expect(complaints).toEqual([]);
});
