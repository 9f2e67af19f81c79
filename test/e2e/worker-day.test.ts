import { expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { zh } from '../../src/pages/strings-zh.js';
import { en } from '../../src/pages/strings-en.js';
import type { Harness } from '../support/harness-core.js';
import { expectSoundLedger } from '../support/fixtures.js';
import { redemptionProgramme, stockOf } from '../support/redemption.js';
import { complaints, open, signedIn, liveBrowser } from './support/live-service.js';

const live = liveBrowser();
type Programme = Awaited<ReturnType<typeof redemptionProgramme>>;
type Text = Record<keyof typeof zh, string>;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** The worker's balance as the API has it. */
async function balance(h: Harness, token: string) {
  return (await h.call('GET', '/v1/me', { token })).body.balance as { available: string; held: string };
}

/** Reserves the water on the rewards page and cancels it, asserting balance, stock and the hold through the API after each. */
async function reserveAndCancel(page: Page, h: Harness, r: Programme, token: string, s: Text) {
  const water = page.locator(`[data-reward-id="${r.water.id}"]`);
  await water.waitFor();
  expect(await water.getAttribute('data-stock')).toBe('5');
  await water.getByRole('button', { name: s.worker_reserve_named.replace('{reward}', '矿泉水一箱') }).click();
  await expect.poll(() => page.locator('#rewards-balance').getAttribute('data-held')).toBe('30.00');
  expect(await page.locator('#rewards-balance').getAttribute('data-available')).toBe('70.00');
  expect(await page.getByRole('status').textContent()).toContain('矿泉水一箱');
  expect(await balance(h, token)).toMatchObject({ available: '70.00', held: '30.00' });
  expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(4);
  const holds = (await h.call('GET', '/v1/me/holds', { token })).body.items;
  expect(holds).toHaveLength(1);
  expect(holds[0]).toMatchObject({ reward_id: r.water.id, status: 'held', points: '30.00', quantity: 1 });
  const item = page.locator(`[data-hold-id="${holds[0].id}"]`);
  expect(await item.getAttribute('data-status')).toBe('held');
  expect(await item.textContent()).toContain('和平便利店');
  expect(await water.getAttribute('data-stock')).toBe('4');

  await item.getByRole('button', { name: s.worker_hold_cancel_named.replace('{reward}', '矿泉水一箱') }).click();
  await expect.poll(() => item.getAttribute('data-status')).toBe('voided');
  expect(await page.locator('#rewards-balance').getAttribute('data-available')).toBe('100.00');
  expect(await balance(h, token)).toMatchObject({ available: '100.00', held: '0.00' });
  expect(await stockOf(h, r.shopToken, r.shop.id, r.water.id)).toBe(5);
  expect((await h.call('GET', '/v1/me/holds', { token })).body.items[0].status).toBe('voided');
  expect(await item.getByRole('button').count()).toBe(0);
}

/** A claim of the worker, rejected by an organizer with a reason. */
async function rejectedClaim(h: Harness, r: Programme, token: string, reason: string) {
  const sent = await h.call('POST', '/v1/claims', { token, body: { activity_code: 'grid_report', occurred_at: ago(3_600_000), report_ref: 'GR-7', evidence_url: 'https://grid.example/7' } });
  expect(sent.status, sent.text).toBe(201);
  const id = sent.body.items?.[0]?.id ?? sent.body.id;
  const rejected = await h.call('POST', `/v1/claims/${id}/reject`, { token: r.organizer, body: { reason } });
  expect(rejected.status, rejected.text).toBe(200);
  return id as string;
}

/** Opts out on the recognition page: the preference is saved and the boards no longer list the worker. */
async function optOut(page: Page, h: Harness, r: Programme, token: string, s: Text) {
  const mine = page.locator('#board-month [data-me]');
  await mine.waitFor();
  expect(await page.locator('#board-month-me').getAttribute('data-listed')).toBe('true');
  expect(await page.locator('#board-year [data-me]').count()).toBe(1);
  await page.getByLabel(s.worker_opt_out).check();
  await expect.poll(() => page.getByRole('status').textContent()).toBe(s.worker_opted_out);
  await expect.poll(() => page.locator('#board-month-me').getAttribute('data-listed')).toBe('false');
  expect(await page.locator('#board-month [data-me]').count()).toBe(0);
  expect(await page.locator('#board-year [data-me]').count()).toBe(0);
  expect((await h.call('GET', '/v1/me/preferences', { token })).body.leaderboard_opt_out).toBe(true);
  for (const period of ['month', 'year']) {
    const board = await h.call('GET', `/v1/leaderboards?org_id=${r.community.id}&period=${period}`, { token: r.admin });
    expect(board.body.items.map((i: { member_id: string }) => i.member_id)).not.toContain(r.riders[0]!.id);
    expect(board.body.items.map((i: { member_id: string }) => i.member_id)).toContain(r.riders[1]!.id);
  }
  // Reloaded, the switch shows what was saved.
  await page.reload();
  await page.waitForLoadState('networkidle');
  expect(await page.getByLabel(s.worker_opt_out).isChecked()).toBe(true);
}

it("a worker's day: browses rewards, reserves and cancels, reads a receipt, a rejected claim's reason, the leaderboard, and opts out", async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const token = await r.workerToken(0);
  const big = await h.call('POST', `/v1/merchants/${r.shop.id}/rewards`, { token: r.shopToken, body: { kind: 'goods', name: '电动车头盔', price: '150', stock: 2 } });
  expect(big.status, big.text).toBe(201);
  const worker: BrowserContext = await signedIn(browser, base, token, '/app/worker');

  // What I can get: both shops, by shop; what the balance allows.
  const rewards = await open(worker, base, '/app/worker/rewards');
  expect(await rewards.getByRole('heading', { level: 1 }).textContent()).toBe(zh.worker_title_rewards);
  await rewards.locator(`[data-reward-id="${big.body.id}"]`).waitFor();
  expect(await rewards.locator('#catalog h3').allTextContents()).toEqual([expect.stringContaining('和平便利店'), expect.stringContaining('建设路理发店')]);
  expect(await rewards.locator(`[data-reward-id="${big.body.id}"] [data-allows]`).textContent()).toBe('还差 50.00 分');
  expect(await rewards.locator(`[data-reward-id="${big.body.id}"]`).getByRole('button').isDisabled()).toBe(true);
  expect(await rewards.locator(`[data-reward-id="${r.water.id}"] [data-allows]`).textContent()).toBe(zh.worker_reward_affordable);
  expect(await rewards.locator(`[data-reward-id="${r.haircut.id}"]`).textContent()).toContain('优惠卡：15% 折扣，可用 2 次，30 天有效');
  await rewards.getByLabel(zh.worker_rewards_filter).selectOption({ label: '建设路理发店' });
  expect(await rewards.locator('#catalog [data-reward-id]').count()).toBe(2);
  await rewards.getByLabel(zh.worker_rewards_filter).selectOption('');
  expect(await rewards.locator('#catalog [data-reward-id]').count()).toBe(5);
  await reserveAndCancel(rewards, h, r, token, zh);

  // My receipts: a redemption at the till, its receipt as the till got it, then refunded with a reason; the card a haircut gave.
  const sale = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.charger.id, quantity: 2 });
  expect(sale.status, sale.text).toBe(201);
  const cardSale = await r.redeem(r.barberToken, { redeem_code: (await r.code(0)).code, reward_id: r.haircut.id });
  expect(cardSale.status, cardSale.text).toBe(201);
  expect(await balance(h, token)).toMatchObject({ available: '40.00', held: '0.00' });
  const receipts = await open(worker, base, '/app/worker/receipts');
  const line = receipts.locator(`[data-redemption-id="${sale.body.redemption.id}"]`);
  await line.waitFor();
  expect(await line.textContent()).toContain('充电宝租用 × 2');
  expect(await line.textContent()).toContain('和平便利店');
  expect(await line.textContent()).not.toContain(r.shop.id);
  await line.getByText(zh.worker_receipt_show).click();
  await expect.poll(() => line.locator('[data-receipt]').textContent()).toBe(sale.body.receipt);
  expect(await line.textContent()).toContain(`#${sale.body.transaction.seq}`);
  const card = receipts.locator(`[data-redemption-id="${cardSale.body.redemption.id}"] [data-card]`);
  expect(await card.textContent()).toBe('获得优惠卡“理发85折卡”，已用 0/2 次');
  const refund = await h.call('POST', `/v1/redemptions/${sale.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: '充电宝坏了，退回' } });
  expect(refund.status, refund.text).toBe(200);
  expect(await balance(h, token)).toMatchObject({ available: '60.00' });
  await receipts.reload();
  await line.waitFor();
  expect(await line.getAttribute('data-refunded')).toBe('true');
  await line.getByText(zh.worker_receipt_show).click();
  await expect.poll(() => line.locator('[data-refund]').textContent()).toContain('已退款：充电宝坏了，退回');

  // My claims: a rejected report with the organizer's reason, in plain words; nothing credited.
  const claimId = await rejectedClaim(h, r, token, '照片看不清，请重新上报');
  const claims = await open(worker, base, '/app/worker/claims');
  const claim = claims.locator(`[data-claim-id="${claimId}"]`);
  await claim.waitFor();
  expect(await claim.getAttribute('data-status')).toBe('rejected');
  expect(await claim.locator('[data-outcome]').textContent()).toBe('未通过，原因：照片看不清，请重新上报');
  expect(await claim.textContent()).toContain('上报有价值信息');
  expect(await balance(h, token)).toMatchObject({ available: '60.00' });

  // Recognition: the worker and a colleague credited this month; the worker opts out.
  for (const i of [0, 1]) {
    const credited = await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: r.riders[i]!.id, activity_code: 'hazard_resolved', occurred_at: ago(60_000) } });
    expect(credited.body.status, credited.text).toBe('approved');
  }
  const board = await open(worker, base, '/app/worker/recognition');
  expect(await board.locator('#board-month [data-me]').textContent()).toContain('骑手0');
  await optOut(board, h, r, token, zh);
  await expectSoundLedger(h, r.admin);
  expect(complaints).toEqual([]);
});

it('the same day in English (?lang=en): reserve and cancel, a rejected claim, opting out', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const token = await r.workerToken(0);
  const worker = await signedIn(browser, base, token, '/app/worker');
  const rewards = await open(worker, base, '/app/worker/rewards?lang=en');
  expect(await rewards.getAttribute('html', 'lang')).toBe('en');
  expect(await rewards.getByRole('heading', { level: 1 }).textContent()).toBe(en.worker_title_rewards);
  await reserveAndCancel(rewards, h, r, token, en);
  expect(await rewards.locator('#holds').textContent()).toContain(en.worker_hold_status_voided);

  const claimId = await rejectedClaim(h, r, token, 'photo is unreadable');
  const claims = await open(worker, base, '/app/worker/claims');
  const claim = claims.locator(`[data-claim-id="${claimId}"]`);
  await claim.waitFor();
  expect(await claim.locator('[data-outcome]').textContent()).toBe('Not approved. Reason: photo is unreadable');
  expect(await claim.textContent()).toContain('Valuable grid report');

  for (const i of [0, 1]) await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: r.riders[i]!.id, activity_code: 'hazard_resolved', occurred_at: ago(60_000) } });
  const board = await open(worker, base, '/app/worker/recognition');
  expect(await board.getByRole('heading', { level: 1 }).textContent()).toBe(en.worker_title_recognition);
  await optOut(board, h, r, token, en);
  expect(complaints).toEqual([]);
});

it('shows the service hours, this year and the level on the home page; a revoked claim takes its hours back, a redemption does not', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const token = await r.workerToken(0);
  const credit = async (units: string) => {
    const res = await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: r.riders[0]!.id, activity_code: 'volunteer_hour', units, occurred_at: ago(60_000) } });
    expect(res.body).toMatchObject({ status: 'approved' });
    return res.body as { id: string };
  };
  await credit('3');
  const second = await credit('1.5');
  const worker = await signedIn(browser, base, token, '/app/worker');
  const home = await open(worker, base, '/app/worker');
  const shown = async () => {
    await home.locator('#hours[aria-busy="false"]').waitFor();
    return { total: await home.locator('#hours-total').textContent(), year: await home.locator('#hours-year').textContent(), level: await home.locator('#hours-level').textContent(), next: await home.locator('#hours-next').textContent() };
  };
  expect(await shown()).toEqual({ total: '4.50 小时', year: '4.50 小时', level: zh.worker_hours_level_none, next: '再服务 95.50 小时升到 1 星。' });
  const api = (await h.call('GET', `/v1/members/${r.riders[0]!.id}/hours`, { token })).body;
  expect(api).toMatchObject({ total_hours: '4.50', this_year: { hours: '4.50' }, level: { level: 0, next_at_hours: 100 } });

  // A redemption spends points and leaves the hours; a revocation takes that claim's hours back.
  const { code } = await r.code(0);
  expect((await r.redeem(r.shopToken, { redeem_code: code, reward_id: r.water.id, quantity: 1 })).status).toBe(201);
  expect((await h.call('POST', `/v1/claims/${second.id}/revoke`, { token: r.organizer2, body: { reason: '重复登记' } })).status).toBe(200);
  await home.reload();
  expect(await shown()).toMatchObject({ total: '3.00 小时', year: '3.00 小时' });
  expect((await h.call('GET', '/v1/me', { token })).body.balance.available).toBe('100.00');

  // In English, at the first level with a lower threshold.
  h.deps.programme = { ...h.deps.programme, hoursLevels: [2, 10] };
  await home.goto(`${base}/app/worker?lang=en`);
  expect(await shown()).toEqual({ total: '3.00 h', year: '3.00 h', level: 'Level 1', next: '7.00 more hours to level 2.' });
  await expectSoundLedger(h, r.admin);
  expect(complaints).toEqual([]);
});
