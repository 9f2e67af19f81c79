import { expect, it } from 'vitest';
import { zh } from '../../src/pages/strings-zh.js';
import { earningProgramme, posted } from '../support/earning.js';
import { alertText, complaints, open, signedIn, liveBrowser } from './support/live-service.js';

const live = liveBrowser();

it('a worker reports, an organizer approves the claim, and the worker sees it credited', async () => {
  const { browser, service: { h, base } } = live;
  const e = await earningProgramme(h);
  const workerToken = await e.workerToken(0);
  const worker = await signedIn(browser, base, workerToken, '/app/worker');
  const organizer = await signedIn(browser, base, e.organizer, '/app/organizer');
  const budgetBefore = await posted(h, e.admin, e.street.budget_account_id);

  // The worker's grid report, with its evidence link, from the report page.
  const report = await open(worker, base, '/app/worker/report');
  await report.getByLabel(zh.report_activity).selectOption('grid_report');
  await report.getByLabel(zh.report_ref).fill('GR-2026-0042');
  await report.getByLabel(zh.evidence_url).fill('https://grid.example/reports/42');
  await report.getByRole('button', { name: zh.submit_report }).click();
  await expect.poll(() => report.getByRole('status').textContent()).toBe(zh.report_sent);
  const mine = await h.call('GET', '/v1/claims', { token: workerToken });
  expect(mine.body.items).toHaveLength(1);
  const claim = mine.body.items[0];
  expect(claim).toMatchObject({ status: 'pending', report_ref: 'GR-2026-0042', evidence_url: 'https://grid.example/reports/42', points: '5.00' });
  await expect.poll(() => report.locator(`[data-claim-id="${claim.id}"]`).getAttribute('data-status')).toBe('pending');

  // The organizer sees it in the queue, with the evidence, and approves it.
  const queue = await open(organizer, base, '/app/organizer');
  const item = queue.locator(`[data-claim-id="${claim.id}"]`);
  await item.waitFor();
  // Named as people know the rider: its name and member number, not its id.
  expect(await item.textContent()).toContain(`骑手0（编号 ${claim.member_no}）`);
  expect(await item.textContent()).not.toContain(claim.member_id);
  expect(await item.getByRole('link', { name: zh.evidence }).getAttribute('href')).toBe('https://grid.example/reports/42');
  await item.getByRole('button', { name: zh.approve, exact: true }).click();
  await expect.poll(() => queue.getByRole('status').textContent()).toBe('已通过，5.00 分已发放。');
  await expect.poll(() => item.count()).toBe(0);

  // The ledger: the claim approved and credited from the street's budget.
  const after = await h.call('GET', `/v1/claims/${claim.id}`, { token: e.admin });
  expect(after.body).toMatchObject({ status: 'approved', points_credited: '5.00', decided_by: 'organizer:organizer-wang' });
  expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('5.00');
  expect(await posted(h, e.admin, e.street.budget_account_id)).toBe((Number(budgetBefore) - 5).toFixed(2));

  // The worker sees it: approved and credited on the report page, and in the balance.
  await report.reload();
  await expect.poll(() => report.locator(`[data-claim-id="${claim.id}"]`).getAttribute('data-status')).toBe('approved');
  expect(await report.locator(`[data-claim-id="${claim.id}"]`).textContent()).toContain('已到账 5.00 分');
  const home = await open(worker, base, '/app/worker');
  await expect.poll(() => home.locator('#available').textContent()).toBe('5.00');
  expect(await home.locator('#member-id').textContent()).toBe(claim.member_no);
  // The statement names the activity in Chinese and the day it happened, with no English memo.
  const statement = await open(worker, base, '/app/worker/statement');
  const line = statement.locator('#entries li').first();
  await expect.poll(() => line.textContent()).toContain('上报有价值信息');
  expect(await line.textContent()).toMatch(/完成，.*入账/);
  expect(await line.textContent()).not.toMatch(/[A-Za-z]{3,}/);
  expect(claim.member_no).toMatch(/^\d{6}$/);
  expect(complaints).toEqual([]);
});

it('an organizer records an event from a pasted roster; a refused line is named in plain words and nothing is recorded', async () => {
  const { browser, service: { h, base } } = live;
  const e = await earningProgramme(h);
  const organizer = await signedIn(browser, base, e.organizer, '/app/organizer');
  const page = await open(organizer, base, '/app/organizer/event');
  await page.getByLabel(zh.event_org).selectOption(e.community.id);
  await page.getByLabel(zh.event_activity).selectOption('volunteer_hour');
  await page.getByLabel(zh.event_title).fill('文明交通劝导');
  const roster = page.getByLabel(zh.roster);
  // Riders give their member numbers; one is mistyped (two digits swapped).
  const [no0, no1] = await Promise.all([0, 1].map(async (i) => (await h.call('GET', `/v1/members/${e.riders[i]!.id}`, { token: e.admin })).body.member_no as string));
  const swapped = no1!.slice(0, 4) + no1![5] + no1![4];
  await roster.fill(`${no0} 2\n\n${swapped}，1.5\nmem_nobody 1`);
  await expect.poll(() => page.locator('#roster-count').textContent()).toBe('名单共 3 人');
  await page.getByRole('button', { name: zh.event_submit }).click();
  await expect.poll(() => alertText(page)).toBe(`第 3 行（${swapped}）：${zh.err_member_number_mistyped} 第 4 行（mem_nobody）：${zh.err_unknown_member}`);
  expect((await h.call('GET', `/v1/claims?org_id=${e.street.id}`, { token: e.admin })).body.items).toEqual([]);

  await roster.fill(`${no0} 2\n\n${no1}，1.5`);
  await page.getByRole('button', { name: zh.event_submit }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toBe('已登记“文明交通劝导”，共 2 人。');
  expect(await page.locator('#event-result').textContent()).toContain('2 人，35.00 分');
  expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('20.00');
  expect(await posted(h, e.admin, e.riders[1]!.account_id)).toBe('15.00');

  // The budget page shows what is left of the 10,000 allocated.
  const budget = await open(organizer, base, '/app/organizer/budget');
  await expect.poll(() => budget.locator('#budget').getAttribute('data-remaining')).toBe('9965.00');
  // 35 credited today: 35 a day from the budget's first credit, not 35 over 30 days (1.16).
  expect(await budget.locator('#pace').textContent()).toContain('35.00');
  expect(complaints).toEqual([]);
});

it('the queue does not offer an organizer its own claim; another organizer decides it', async () => {
  const { browser, service: { h, base } } = live;
  const e = await earningProgramme(h);
  // Recorded by organizer-wang; above the award's threshold of 0, so it waits for a second organizer.
  const own = await h.call('POST', '/v1/claims', {
    token: e.organizer,
    body: { member_id: e.riders[0]!.id, activity_code: 'pioneer_award', occurred_at: new Date(Date.now() - 3_600_000).toISOString() },
  });
  expect(own.body.status).toBe('pending');

  const wang = await signedIn(browser, base, e.organizer, '/app/organizer');
  const mine = (await open(wang, base, '/app/organizer')).locator(`[data-claim-id="${own.body.id}"]`);
  await mine.waitFor();
  expect(await mine.getByRole('button').count()).toBe(0);
  expect(await mine.locator('[data-own-claim]').textContent()).toBe(zh.own_claim_waits);

  const li = await signedIn(browser, base, e.organizer2, '/app/organizer');
  const queue = await open(li, base, '/app/organizer');
  const theirs = queue.locator(`[data-claim-id="${own.body.id}"]`);
  await theirs.getByRole('button', { name: zh.approve, exact: true }).click();
  await expect.poll(() => theirs.count()).toBe(0);
  const after = await h.call('GET', `/v1/claims/${own.body.id}`, { token: e.admin });
  expect(after.body).toMatchObject({ status: 'approved', points_credited: '200.00', decided_by: 'organizer:organizer-li' });
  expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('200.00');
  expect(complaints).toEqual([]);
});
