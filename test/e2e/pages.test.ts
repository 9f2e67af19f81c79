import { expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { PHONE } from '../../scripts/chromium.js';
import { mintToken } from '../../src/auth/mint.js';
import { PAGE_PATHS } from '../../src/pages/routes.js';
import { signInLink } from '../../src/pages/sign-in-link.js';
import { zh } from '../../src/pages/strings-zh.js';
import { en } from '../../src/pages/strings-en.js';
import { TEST_AUDIENCE, TEST_ISSUER } from '../support/harness-core.js';
import { redemptionProgramme } from '../support/redemption.js';
import { alertText, complaints, open, signedIn, liveBrowser, watch } from './support/live-service.js';

const live = liveBrowser();

it('every page fits a 360 px phone, labels every field, has one main and one h1, and runs under the CSP without errors', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const contexts: Record<string, BrowserContext> = {
    'sign-in': await browser.newContext(PHONE),
    worker: await signedIn(browser, base, await r.workerToken(0), '/app/worker'),
    merchant: await signedIn(browser, base, r.shopToken, '/app/merchant'),
    organizer: await signedIn(browser, base, r.organizer, '/app/organizer'),
    auditor: await signedIn(browser, base, await h.token('auditor', { sub: 'auditor-1' }), '/app/auditor'),
    admin: await signedIn(browser, base, r.admin, '/app/admin'),
  };
  contexts['sign-in']!.on('page', watch);
  expect(PAGE_PATHS).toHaveLength(30);
  for (const path of PAGE_PATHS) {
    const role = path.split('/')[2]!;
    const page = await open(contexts[role]!, base, path);
    const response = await page.request.get(`${base}${path}`);
    expect(response.headers()['content-security-policy'], path).toContain("script-src 'self'");
    const facts = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      mains: document.querySelectorAll('main').length,
      h1s: document.querySelectorAll('h1').length,
      unlabelled: Array.from(document.querySelectorAll('input, select, textarea'))
        .filter((e) => (e as HTMLInputElement).labels?.length === 0 && !e.getAttribute('aria-label'))
        .map((e) => e.id),
      alert: document.getElementById('error')?.textContent ?? '',
    }));
    expect(facts, path).toEqual({ lang: 'zh-CN', overflow: 0, mains: 1, h1s: 1, unlabelled: [], alert: '' });
  }
  expect(complaints).toEqual([]);
});

it('speaks English on request and remembers it; Chinese again with the switch', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const worker = await signedIn(browser, base, await r.workerToken(0), '/app/worker');
  const page = await open(worker, base, '/app/worker?lang=en');
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(en.title_worker_home);
  await page.goto(`${base}/app/worker/statement`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(en.title_worker_statement);
  await page.getByRole('link', { name: '中文' }).click();
  await page.waitForLoadState('networkidle');
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(zh.title_worker_statement);
  expect(complaints).toEqual([]);
});

it('explains refusals in plain words, never as raw JSON', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  // A token the service did not sign: the page says to sign in again.
  const forged = await mintToken('another-secret-another-secret-0123456789', {
    role: 'worker', sub: 'rider-0', member_id: r.riders[0]!.id, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttl: '1h',
  });
  const impostor = await signedIn(browser, base, forged, '/app/worker');
  const home = await open(impostor, base, '/app/worker');
  await expect.poll(() => alertText(home)).toBe(zh.err_unauthorized);

  // An expired sign-in link is refused at the door.
  const stale = await mintToken('x'.repeat(40), { role: 'worker', member_id: r.riders[0]!.id, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttl: '1s' }, new Date(Date.now() - 3_600_000));
  const door = await (await browser.newContext(PHONE)).newPage();
  await door.goto(signInLink(base, stale));
  await expect.poll(() => alertText(door)).toBe(zh.sign_in_expired);
  expect(door.url()).toBe(`${base}/app/sign-in`);

  // A worker on the till is told whose page it is; a merchant refused by the rules is told why.
  const worker = await signedIn(browser, base, await r.workerToken(0), '/app/worker');
  const wrong = await open(worker, base, '/app/merchant');
  expect(await alertText(wrong)).toBe('这个页面给商户使用，您登录的身份是劳动者。');
  const merchant = await signedIn(browser, base, r.shopToken, '/app/merchant');
  const till = await open(merchant, base, '/app/merchant');
  await till.getByLabel(zh.redeem_code_input).fill('ZZZZ-ZZZZ-ZZZZ');
  await till.getByRole('button', { name: zh.redeem_submit }).click();
  await expect.poll(() => alertText(till)).toBe(zh.err_not_found);
  await till.getByLabel(zh.redeem_code_input).fill((await r.code(0)).code);
  await till.getByLabel(zh.quantity).fill('11');
  await till.getByLabel(zh.reward).selectOption(r.charger.id);
  await till.getByRole('button', { name: zh.redeem_submit }).click();
  await expect.poll(() => alertText(till)).toBe(zh.err_insufficient_funds);
  for (const text of [await alertText(home), await alertText(till)]) expect(text).not.toMatch(/[{}"]|problem|_/);
  expect(complaints).toEqual([]);
});

it("shows the auditor the week's points as a chart and a table, the trial balance and a clean verification", async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.water.id, quantity: 1 });
  await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: r.riders[1]!.id, activity_code: 'hazard_resolved', occurred_at: new Date(Date.now() - 60_000).toISOString() } });
  await h.call('POST', '/v1/audit/checkpoints', { token: r.admin });
  const auditor = await signedIn(browser, base, await h.token('auditor', { sub: 'auditor-1' }), '/app/auditor');
  const page = await open(auditor, base, '/app/auditor');
  const api = (await h.call('GET', '/v1/audit/weekly?weeks=12', { token: r.admin })).body.items.at(-1);
  expect(api).toMatchObject({ issued: '20.00', redeemed: '30.00', expired: '0.00' });
  const firstRow = await page.locator('#weekly-table tbody tr').first().locator('th, td').allTextContents();
  expect(firstRow).toEqual([api.week_start, '20.00', '30.00', '0.00']);
  expect(await page.locator('#chart svg[role="img"]').getAttribute('aria-label')).toContain('12');
  expect(await page.locator('#chart svg rect').count()).toBe(36);
  expect(await page.locator('#tb-verdict').getAttribute('data-balanced')).toBe('true');
  await expect.poll(() => page.locator('#verify-result').getAttribute('data-ok')).toBe('true');
  const head = (await h.call('GET', '/health')).body.head_seq;
  expect(await page.locator('#checkpoint').textContent()).toContain(`#${head}`);
  expect(complaints).toEqual([]);
});
