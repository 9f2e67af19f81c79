import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Harness } from '../support/harness-core.js';
import { zh } from '../../src/pages/strings-zh.js';
import { en } from '../../src/pages/strings-en.js';
import { redemptionProgramme } from '../support/redemption.js';
import { expectSoundLedger } from '../support/fixtures.js';
import { complaints, open, signedIn, liveBrowser } from './support/live-service.js';

const live = liveBrowser();
const fillIn = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (all, k: string) => (k in vars ? String(vars[k]) : all));

type Tx = { id: string; seq: number; kind: string; postings: Array<{ account_id: string; amount: string }>; claim_ids: string[]; redemption_id: string | null; reversed_by: string | null; reverses_id: string | null };

/** What the page's list shows: each row's transaction, kind and amount moved. */
const rowsOf = (page: Page, list: string) =>
  page.locator(`#${list} > li[data-tx-id]`).evaluateAll((items) => items.map((li) => [li.getAttribute('data-tx-id'), li.getAttribute('data-kind'), li.getAttribute('data-amount')]));
/** The same from the API: the amount a transaction moved is the sum of its credits. */
const rowsFrom = (items: Tx[]) =>
  items.map((tx) => [tx.id, tx.kind, (tx.postings.reduce((n, p) => n + Math.max(0, Math.round(Number(p.amount) * 100)), 0) / 100).toFixed(2)]);

/** A programme with a claim credited, a redemption refunded and an adjustment reversed; the auditor signed in. */
async function programmeWithHistory(browser: Browser, h: Harness, base: string) {
  const r = await redemptionProgramme(h);
  const auditor = await h.token('auditor', { sub: 'auditor-1' });
  const rider = r.riders[0]!;
  const riderNo = (await h.call('GET', `/v1/members/${rider.id}`, { token: auditor })).body.member_no as string;
  const api = async (query: string) => (await h.call('GET', `/v1/audit/transactions?${query}`, { token: auditor })).body.items as Tx[];

  // A claim credited on submission, a redemption refunded, and an adjustment reversed.
  const claim = await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: rider.id, activity_code: 'hazard_resolved', occurred_at: new Date(Date.now() - 3_600_000).toISOString() } });
  expect(claim.status, claim.text).toBe(201);
  const bought = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.water.id, quantity: 1 });
  expect(bought.status, bought.text).toBe(201);
  const refund = await h.call('POST', `/v1/redemptions/${bought.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: '水桶漏了' } });
  expect(refund.status, refund.text).toBe(200);
  const adjustment = await h.call('POST', '/v1/adjustments', {
    token: r.admin,
    body: { reason: '补发夜班积分', postings: [{ account_id: r.street.budget_account_id, amount: '-7' }, { account_id: r.riders[1]!.account_id, amount: '7' }] },
  });
  expect(adjustment.status, adjustment.text).toBe(201);
  const reversal = await h.call('POST', '/v1/adjustments', { token: r.admin, body: { reason: '补发错了', reverses_transaction_id: adjustment.body.id } });
  expect(reversal.status, reversal.text).toBe(201);
  await expectSoundLedger(h, auditor);
  const phone = await signedIn(browser, base, auditor, '/app/auditor');
  return { r, auditor, rider, riderNo, api, claim, bought, refund, adjustment, reversal, phone };
}

describe.each([
  ['zh', zh, ''],
  ['en', en, '?lang=en'],
] as const)('an auditor, in %s', (_lang, s, q) => {
  it('finds transactions by member number, kind, org and dates, and follows a credit to its claim and back', async () => {
    const { browser, service: { h, base } } = live;
    const { r, auditor, rider, riderNo, api, claim, phone } = await programmeWithHistory(browser, h, base);
    // From the overview to the search.
    const page = await open(phone, base, `/app/auditor${q}`);
    await page.getByRole('link', { name: s.auditor_overview_search_link, exact: true }).click();
    await page.waitForURL(/\/app\/auditor\/search/);
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(s.auditor_title_search);
    // With no choice made: every transaction, newest first.
    expect(await rowsOf(page, 'results')).toEqual(rowsFrom(await api('limit=25')));

    // 1. By member number: typed, found, picked; the rows are the API's, with the rider's name and number on the rider's leg.
    await page.locator('#search-member-q').fill(riderNo);
    await page.getByRole('button', { name: s.auditor_search_member_find, exact: true }).click();
    const who = fillIn(s.auditor_account_member, { name: '骑手0', no: riderNo });
    await expect.poll(() => page.locator('#search-member-chosen').textContent()).toBe(fillIn(s.auditor_search_member_chosen, { who }));
    await page.getByRole('button', { name: s.auditor_search_submit, exact: true }).click();
    await page.waitForURL(/member=/);
    await page.waitForLoadState('networkidle');
    const mine = await api(`member_id=${rider.id}`);
    expect(mine.map((tx) => tx.kind)).toEqual(['redemption_refund', 'redemption', 'claim_credit', 'adjustment']);
    expect(await rowsOf(page, 'results')).toEqual(rowsFrom(mine));
    expect(await page.locator('#results-count').textContent()).toBe(fillIn(s.auditor_results_count, { n: 4 }));
    const credit = page.locator(`#results li[data-tx-id="${mine[2]!.id}"]`);
    expect(await credit.locator(`li[data-account-id="${rider.account_id}"]`).textContent()).toBe(`${who}+20.00`);
    expect(await credit.locator(`li[data-account-id="${r.street.budget_account_id}"]`).textContent()).toBe(`${fillIn(s.auditor_account_budget, { name: '建设路街道' })}-20.00`);
    expect(await credit.locator('strong').textContent()).toBe(s.kind_claim_credit);
    // The form keeps the search.
    expect(await page.locator('#search-member-q').inputValue()).toBe(riderNo);

    // 2. A credit to its claim: the claim's facts and its transaction; then back to the credit on its own.
    await credit.getByRole('link', { name: s.auditor_link_claim, exact: true }).click();
    await page.waitForURL(/claim=/);
    await page.waitForLoadState('networkidle');
    const record = page.locator('#record');
    expect(await record.getAttribute('data-claim-id')).toBe(claim.body.id);
    expect(await page.locator('#record-heading').textContent()).toBe(fillIn(s.auditor_search_record_claim, { who }));
    expect(await page.locator('#record-facts').textContent()).toContain(s.auditor_claim_status_approved);
    expect(await page.locator('#record-facts').textContent()).toContain(en === s ? 'Hazard resolved' : '协助解决问题隐患');
    expect(await rowsOf(page, 'record-transactions')).toEqual(rowsFrom(await api(`claim_id=${claim.body.id}`)));
    expect(await rowsOf(page, 'record-transactions')).toEqual([[claim.body.transaction_id, 'claim_credit', '20.00']]);
    await page.locator(`#record-transactions li[data-tx-id="${claim.body.transaction_id}"]`).getByRole('link', { name: s.auditor_link_transaction, exact: true }).click();
    await page.waitForURL(/tx=/);
    await page.waitForLoadState('networkidle');
    expect(mine[2]!.id).toBe(claim.body.transaction_id);
    expect(await page.locator('#record-heading').textContent()).toBe(fillIn(s.auditor_search_record_transaction, { seq: mine[2]!.seq }));
    expect(await page.locator('#record-transactions li[data-tx-id] a[data-link="claim"]').getAttribute('href')).toContain(`claim=${claim.body.id}`);
    await page.goBack();
    await page.waitForLoadState('networkidle');
    expect(await record.getAttribute('data-claim-id')).toBe(claim.body.id);

    // 3. By kind: the credits only.
    await open(phone, base, `/app/auditor/search${q}`).then(async (p) => {
      await p.getByLabel(s.auditor_search_kind, { exact: true }).selectOption('claim_credit');
      await p.getByRole('button', { name: s.auditor_search_submit, exact: true }).click();
      await p.waitForURL(/kind=claim_credit/);
      await p.waitForLoadState('networkidle');
      const credits = await api('kind=claim_credit');
      expect(credits).toHaveLength(1);
      expect(await rowsOf(p, 'results')).toEqual(rowsFrom(credits));
      await p.close();
    });

    // 3b. By org and dates (the phone's days, Asia/Shanghai): today in the community; nothing the day before.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const dayStart = (day: string, plus = 0) => new Date(Date.parse(`${day}T00:00:00+08:00`) + plus * 86_400_000).toISOString();
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const byOrg = await open(phone, base, `/app/auditor/search${q}`);
    await byOrg.locator('#search-org').selectOption(r.community.id);
    await byOrg.getByLabel(s.auditor_search_from, { exact: true }).fill(today);
    await byOrg.getByLabel(s.auditor_search_to, { exact: true }).fill(today);
    await byOrg.getByRole('button', { name: s.auditor_search_submit, exact: true }).click();
    await byOrg.waitForURL(/org=/);
    await byOrg.waitForLoadState('networkidle');
    const inCommunity = await api(`org_id=${r.community.id}&from=${encodeURIComponent(dayStart(today))}&to=${encodeURIComponent(dayStart(today, 1))}&limit=25`);
    expect(inCommunity.length).toBeGreaterThan(4);
    expect(await rowsOf(byOrg, 'results')).toEqual(rowsFrom(inCommunity));
    await byOrg.getByLabel(s.auditor_search_from, { exact: true }).fill(yesterday);
    await byOrg.getByLabel(s.auditor_search_to, { exact: true }).fill(yesterday);
    await byOrg.getByRole('button', { name: s.auditor_search_submit, exact: true }).click();
    await byOrg.waitForURL(new RegExp(`to=${yesterday}`));
    await byOrg.waitForLoadState('networkidle');
    expect(await byOrg.locator('#results').getAttribute('data-count')).toBe('0');
    // The first day after the last is refused in words, and nothing is searched.
    await byOrg.getByLabel(s.auditor_search_from, { exact: true }).fill(today);
    await byOrg.getByRole('button', { name: s.auditor_search_submit, exact: true }).click();
    await expect.poll(() => byOrg.getByRole('alert').textContent()).toBe(s.auditor_search_dates_backwards);
    expect(byOrg.url()).toContain(`from=${yesterday}`);
    await byOrg.close();

    await expectSoundLedger(h, auditor);
    expect(complaints).toEqual([]);
  });

  it('finds a shop\'s transactions, follows a refund to its redemption and a reversal to what it reversed, and back', async () => {
    const { browser, service: { h, base } } = live;
    const { r, auditor, api, bought, refund, adjustment, reversal, phone } = await programmeWithHistory(browser, h, base);
    // 4. By shop: its redemption and refund; the refund to its redemption, which lists both and names the refund.
    const shop = await open(phone, base, `/app/auditor/search${q}`);
    await shop.getByLabel(s.auditor_search_merchant, { exact: true }).selectOption(r.shop.id);
    await shop.getByRole('button', { name: s.auditor_search_submit, exact: true }).click();
    await shop.waitForURL(/merchant=/);
    await shop.waitForLoadState('networkidle');
    const atShop = await api(`merchant_id=${r.shop.id}`);
    expect(atShop.map((tx) => tx.kind)).toEqual(['redemption_refund', 'redemption']);
    expect(await rowsOf(shop, 'results')).toEqual(rowsFrom(atShop));
    expect(await shop.locator(`#results li[data-tx-id="${atShop[1]!.id}"] li[data-account-id="${r.shop.account_id}"]`).textContent()).toBe(`${fillIn(s.auditor_account_merchant, { name: '和平便利店' })}+30.00`);
    await shop.locator(`#results li[data-tx-id="${atShop[0]!.id}"]`).getByRole('link', { name: s.auditor_link_redemption, exact: true }).click();
    await shop.waitForURL(/redemption=/);
    await shop.waitForLoadState('networkidle');
    expect(await shop.locator('#record').getAttribute('data-redemption-id')).toBe(bought.body.redemption.id);
    const facts = (await shop.locator('#record-facts').textContent()) ?? '';
    for (const fact of ['和平便利店', '矿泉水一箱', s.auditor_refunded_yes]) expect(facts).toContain(fact);
    expect(await rowsOf(shop, 'record-transactions')).toEqual(rowsFrom(await api(`redemption_id=${bought.body.redemption.id}`)));
    expect((await rowsOf(shop, 'record-transactions')).map((row) => row[1])).toEqual(['redemption_refund', 'redemption']);
    // The redemption names the refund that reversed it.
    await shop.locator(`#record-transactions li[data-tx-id="${bought.body.transaction.id}"]`).getByRole('link', { name: s.auditor_link_reversed_by, exact: true }).click();
    await shop.waitForURL(/tx=/);
    await shop.waitForLoadState('networkidle');
    expect(await rowsOf(shop, 'record-transactions')).toEqual([[refund.body.transaction.id, 'redemption_refund', '30.00']]);

    // 5. A reversal to the adjustment it reversed, which names it back.
    const rev = await open(phone, base, `/app/auditor/search${q}`);
    await rev.getByLabel(s.auditor_search_kind, { exact: true }).selectOption('reversal');
    await rev.getByRole('button', { name: s.auditor_search_submit, exact: true }).click();
    await rev.waitForURL(/kind=reversal/);
    await rev.waitForLoadState('networkidle');
    expect(await rowsOf(rev, 'results')).toEqual([[reversal.body.id, 'reversal', '7.00']]);
    expect(await rev.locator('#results li[data-tx-id] strong').textContent()).toBe(s.kind_reversal);
    await rev.getByRole('link', { name: s.auditor_link_reverses, exact: true }).click();
    await rev.waitForURL(/tx=/);
    await rev.waitForLoadState('networkidle');
    expect(await rowsOf(rev, 'record-transactions')).toEqual([[adjustment.body.id, 'adjustment', '7.00']]);
    expect(await rev.locator('#record-transactions [data-memo]').textContent()).toBe('补发夜班积分');
    expect(await rev.locator('#record-transactions a[data-link="reversed-by"]').getAttribute('href')).toContain(`tx=${reversal.body.id}`);

    // Nothing on the pages changed the ledger.
    await expectSoundLedger(h, auditor);
    expect(complaints).toEqual([]);
  });
});
