import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/pages/strings-en.js';
import { zh } from '../../src/pages/strings-zh.js';
import { expectSoundLedger } from '../support/fixtures.js';
import { posted } from '../support/earning.js';
import { redemptionProgramme } from '../support/redemption.js';
import { complaints, open, signedIn, liveBrowser } from './support/live-service.js';

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
