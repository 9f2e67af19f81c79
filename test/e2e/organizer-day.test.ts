import { describe, expect, it } from 'vitest';
import { zh } from '../../src/pages/strings-zh.js';
import { en } from '../../src/pages/strings-en.js';
import { earningProgramme, posted } from '../support/earning.js';
import { expectSoundLedger } from '../support/fixtures.js';
import { complaints, open, signedIn, liveBrowser } from './support/live-service.js';

const live = liveBrowser();
const fillIn = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (all, k: string) => (k in vars ? String(vars[k]) : all));

describe.each([
  ['zh', zh, ''],
  ['en', en, '?lang=en'],
] as const)('an organizer of a community without its own budget, in %s', (_lang, s, q) => {
  it('registers a member and prints their card, records a claim a second organizer approves, revokes it, opens a past roster and reads the paying budget', async () => {
    const { browser, service: { h, base } } = live;
    const e = await earningProgramme(h);
    const token = await h.token('organizer', { sub: 'organizer-zhou', org_id: e.community.id });
    const zhou = await signedIn(browser, base, token, '/app/organizer');
    const street = e.street.budget_account_id;
    const budgetLeft = async () => (await h.call('GET', `/v1/orgs/${e.community.id}/budget`, { token })).body.remaining as string;

    // 1. Register a member in the community; their card comes up to print.
    const members = await open(zhou, base, `/app/organizer/members${q}`);
    await members.getByLabel(s.organizer_register_name, { exact: true }).fill('新骑手');
    await members.locator('#register-platform').selectOption('delivery');
    await members.locator('#register-org').selectOption(e.community.id);
    await members.getByRole('button', { name: s.organizer_register_submit, exact: true }).click();
    await expect.poll(() => members.getByRole('status').textContent()).toMatch(new RegExp(fillIn(s.organizer_registered, { name: '新骑手', no: '\\d{6}' }).replace(/[().]/g, '\\$&')));
    const found = await h.call('GET', `/v1/members?q=${encodeURIComponent('新骑手')}`, { token: e.admin });
    expect(found.body.items).toHaveLength(1);
    const rider = found.body.items[0] as { id: string; member_no: string; account_id: string; home_org_id: string; balance: { available: string } };
    expect(rider).toMatchObject({ home_org_id: e.community.id, balance: { available: '0.00' } });
    expect(await members.locator('#member-detail').getAttribute('data-member-no')).toBe(rider.member_no);
    await members.getByRole('button', { name: s.organizer_member_card, exact: true }).click();
    const card = members.locator(`article.sign-in-card[data-member-no="${rider.member_no}"]`);
    await card.waitFor();
    expect(await card.locator('[data-code]').textContent()).toMatch(/\S{8,}/);
    expect(await card.locator('img').count()).toBe(1);
    const codes = await h.call('GET', `/v1/members/${rider.id}/sign-in-codes`, { token });
    expect(codes.body.items).toHaveLength(1);
    expect(await posted(h, e.admin, rider.account_id)).toBe('0.00');
    await expectSoundLedger(h, e.admin);

    // 2. Found by number; one claim recorded from their page: above the award's threshold, it waits.
    await members.reload();
    await members.locator('#member-q').fill(rider.member_no);
    await members.getByRole('button', { name: s.organizer_search_submit, exact: true }).click();
    await expect.poll(() => members.locator('#member-heading').textContent()).toBe(fillIn(s.admin_card_member, { name: '新骑手', no: rider.member_no }));
    await members.getByRole('link', { name: s.organizer_member_record }).click();
    await members.waitForURL(/\/app\/organizer\/claim\?member=/);
    await members.waitForLoadState('networkidle');
    expect(await members.locator('#claim-member').inputValue()).toBe(rider.member_no);
    await members.getByLabel(s.organizer_claim_activity, { exact: true }).selectOption('pioneer_award');
    await members.locator('#claim-evidence').fill('https://grid.example/award/7');
    // A photo taken on the spot goes with it (the page resizes and uploads it, the claim links it).
    const jpeg = await members.evaluate(async () => {
      const c = document.createElement('canvas');
      c.width = 640;
      c.height = 480;
      c.getContext('2d')!.fillRect(0, 0, 320, 240);
      const blob = await new Promise<Blob>((resolve) => c.toBlob((b) => resolve(b!), 'image/jpeg', 0.9));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    });
    await members.getByLabel(s.evidence_photo).setInputFiles({ name: 'award.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(jpeg) });
    await members.getByRole('button', { name: s.organizer_claim_submit, exact: true }).click();
    await expect.poll(() => members.getByRole('status').textContent()).toBe(fillIn(s.organizer_claim_waiting, { name: '新骑手', no: rider.member_no, n: '200.00' }));
    const claimId = (await members.locator('#claim-form').getAttribute('data-claim-id'))!;
    expect((await h.call('GET', `/v1/claims/${claimId}`, { token })).body).toMatchObject({ status: 'pending', member_id: rider.id, evidence_url: 'https://grid.example/award/7', evidence_id: expect.stringMatching(/^evd_/), submitted_by: 'organizer:organizer-zhou' });
    expect(await posted(h, e.admin, rider.account_id)).toBe('0.00');

    // ...and a second organizer (of the street) approves it in the queue.
    const li = await signedIn(browser, base, e.organizer2, '/app/organizer');
    const queue = await open(li, base, `/app/organizer${q}`);
    // The approver sees the photo in the queue.
    await expect.poll(() => queue.locator(`[data-claim-id="${claimId}"] img`).count()).toBe(1);
    await queue.locator(`[data-claim-id="${claimId}"]`).getByRole('button', { name: s.approve, exact: true }).click();
    await expect.poll(() => queue.locator(`[data-claim-id="${claimId}"]`).count()).toBe(0);
    expect((await h.call('GET', `/v1/claims/${claimId}`, { token })).body).toMatchObject({ status: 'approved', points_credited: '200.00' });
    expect(await posted(h, e.admin, rider.account_id)).toBe('200.00');
    expect(await posted(h, e.admin, street)).toBe('9800.00');
    await expectSoundLedger(h, e.admin);

    // 3. Revoked from the member's page, which says first what it does to the balance and the budget.
    const page = await open(zhou, base, `/app/organizer/members${q}`);
    await page.locator('#member-q').fill(rider.member_no);
    await page.getByRole('button', { name: s.organizer_search_submit, exact: true }).click();
    const item = page.locator(`#member-claims [data-claim-id="${claimId}"]`);
    await item.getByRole('button', { name: s.organizer_revoke, exact: true }).click();
    await expect
      .poll(() => item.locator('[data-revoke-effect]').textContent())
      .toBe(fillIn(s.organizer_revoke_effect, { name: '新骑手', n: '200.00', before: '200.00', after: '0.00', org: '建设路街道', remaining: '9800.00', remaining_after: '10000.00' }));
    // Nothing happened yet.
    expect(await posted(h, e.admin, rider.account_id)).toBe('200.00');
    await item.getByLabel(s.organizer_revoke_reason).fill('领奖人登记错了');
    await item.getByRole('button', { name: s.organizer_revoke_confirm, exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe(fillIn(s.organizer_revoked_ok, { n: '200.00', name: '新骑手' }));
    await expect.poll(() => page.locator(`#member-claims [data-claim-id="${claimId}"]`).getAttribute('data-status')).toBe('revoked');
    expect((await h.call('GET', `/v1/claims/${claimId}`, { token })).body).toMatchObject({ status: 'revoked', revocation_reason: '领奖人登记错了', revoked_by: 'organizer:organizer-zhou' });
    expect(await posted(h, e.admin, rider.account_id)).toBe('0.00');
    expect(await posted(h, e.admin, street)).toBe('10000.00');
    expect(await budgetLeft()).toBe('10000.00');
    await expectSoundLedger(h, e.admin);

    // 4. An earlier event's roster: names and numbers, hours, what was credited.
    const riderNo0 = (await h.call('GET', `/v1/members/${e.riders[0]!.id}`, { token })).body.member_no as string;
    const event = await h.call('POST', '/v1/events', {
      token,
      body: { org_id: e.community.id, activity_code: 'volunteer_hour', title: '文明交通劝导', starts_at: new Date(Date.now() - 2 * 3_600_000).toISOString(), roster: [{ member_id: rider.member_no, units: '2' }, { member_id: riderNo0, units: '1.5' }] },
    });
    expect(event.status, event.text).toBe(201);
    const events = await open(zhou, base, `/app/organizer/events${q}`);
    const row = events.locator(`[data-event-id="${event.body.event.id}"]`);
    expect(await row.textContent()).toContain('文明交通劝导');
    await row.getByRole('button', { name: s.organizer_event_roster }).click();
    const line = row.locator(`li[data-member-no="${rider.member_no}"]`);
    await line.waitFor();
    expect(await line.textContent()).toBe(
      fillIn(s.admin_card_member, { name: '新骑手', no: rider.member_no }) +
        fillIn(s.organizer_roster_line, { units: fillIn(s.organizer_roster_hours, { n: '2.00' }), status: fillIn(s.organizer_claim_status_approved, { n: '20.00' }) }),
    );
    expect(await row.locator(`li[data-member-no="${riderNo0}"]`).textContent()).toContain(fillIn(s.organizer_claim_status_approved, { n: '15.00' }));
    expect(await posted(h, e.admin, rider.account_id)).toBe('20.00');
    expect(await posted(h, e.admin, street)).toBe('9965.00');
    await expectSoundLedger(h, e.admin);

    // 5. The budget page shows the street's budget, which pays, and its pace since its first credit today.
    const budget = await open(zhou, base, `/app/organizer/budget${q}`);
    await expect.poll(() => budget.locator('#budget').getAttribute('data-remaining')).toBe('9965.00');
    expect(await budget.locator('#budget-org').textContent()).toBe(fillIn(s.organizer_budget_paid_by, { name: '建设路街道' }));
    expect(await budget.locator('#budget-org').getAttribute('data-paying-org')).toBe(e.street.id);
    const api = (await h.call('GET', `/v1/orgs/${e.community.id}/budget`, { token })).body;
    // 200 credited and revoked, then 35: 235 − 200 over one day, not over thirty.
    expect(api).toMatchObject({ paying_org_id: e.street.id, remaining: '9965.00', credited: '235.00', revoked: '200.00', pace: { window_days: 1, credited_in_window: '35.00', per_day: '35.00', days_left: 284 } });
    const pace = (await budget.locator('#pace').textContent()) ?? '';
    expect(pace).toContain('35.00');
    expect(pace).toContain('284');
    expect(pace).not.toContain('1.16');
    expect(await posted(h, e.admin, street)).toBe(api.remaining);
    await expectSoundLedger(h, e.admin);
    expect(complaints).toEqual([]);
  });
});
