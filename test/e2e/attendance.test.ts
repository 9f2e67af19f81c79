import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE } from '../../scripts/chromium.js';
import { zh } from '../../src/pages/strings-zh.js';
import { earningProgramme, posted } from '../support/earning.js';
import { expectSoundLedger } from '../support/fixtures.js';
import { alertText, complaints, open, signedIn, liveBrowser, watch } from './support/live-service.js';
import { decodeInlineSvgQr, decodeShownQr } from './support/qr.js';

const live = liveBrowser();
const MIN = 60_000;
/** The code on the organizer's screen, once its characters, its QR code and the image's alt text agree (a step may end between two reads). */
async function shownCode(screen: Page): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    await screen.locator('#qr:not([hidden])').waitFor();
    const code = (await screen.locator('#attendance-code').textContent())!;
    const [qr, alt] = [await decodeShownQr(screen), await screen.locator('#qr').getAttribute('alt')];
    if ((qr === code && alt?.includes(code)) || attempt === 2) {
      expect(code).toMatch(/^[0-9A-Z]{6}$/);
      expect(qr).toBe(code);
      expect(alt).toContain(code);
      return code;
    }
  }
}
const fillIn = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (all, k: string) => (k in vars ? String(vars[k]) : all));

it('an organizer opens attendance and shows the code, a worker checks in and out with it, the organizer adds someone and confirms: points, claims and hours follow; the worker prints a certificate anyone can check', async () => {
  const { browser, service: { h, base } } = live;
  const e = await earningProgramme(h);
  const [rider, helper] = [e.riders[0]!, e.riders[1]!];
  const start = h.clock.now();
  const created = await h.call('POST', '/v1/events', {
    token: e.organizer,
    body: { org_id: e.community.id, activity_code: 'volunteer_hour', title: '文明交通劝导', starts_at: start.toISOString(), ends_at: new Date(start.getTime() + 180 * MIN).toISOString() },
  });
  expect(created.status, created.text).toBe(201);
  const eventId = created.body.event.id as string;
  const budgetBefore = await posted(h, e.admin, e.street.budget_account_id);

  const wang = await signedIn(browser, base, e.organizer, '/app/organizer');
  const phone = await signedIn(browser, base, await e.workerToken(0), '/app/worker');

  // The past events list leads to the event's attendance page.
  const events = await open(wang, base, '/app/organizer/events');
  const link = events.locator(`li[data-event-id="${eventId}"] a`, { hasText: zh.organizer_event_attendance });
  expect(await link.getAttribute('href')).toBe(`/app/organizer/attendance?event=${eventId}`);

  // The organizer opens attendance: the code shows big, its QR encodes exactly the 6 characters.
  const screen = await open(wang, base, `/app/organizer/attendance?event=${eventId}`);
  expect(await screen.locator('#attendance-title').textContent()).toBe('文明交通劝导');
  await screen.getByRole('button', { name: zh.organizer_attendance_open, exact: true }).click();
  const code = await shownCode(screen);
  expect(await screen.locator('#attendees').textContent()).toBe(zh.organizer_attendance_none);

  // The worker types it (lower case) and checks in; the organizer's list shows them without a reload.
  const checkIn = await open(phone, base, '/app/worker/check-in');
  await checkIn.getByLabel(zh.worker_check_code).fill(code.toLowerCase());
  await checkIn.getByRole('button', { name: zh.worker_check_in, exact: true }).click();
  await expect.poll(() => checkIn.locator('#check-result').textContent()).toContain('已在“文明交通劝导”签到');
  const row = screen.locator(`#attendees li[data-member-no="${rider.member_no}"]`);
  await row.waitFor({ timeout: 10_000 });
  expect(await row.textContent()).toContain(zh.organizer_attendance_unsettled);
  expect(await row.getAttribute('data-source')).toBe('checked_in');

  // Checking in twice is refused in plain words.
  await checkIn.getByLabel(zh.worker_check_code).fill(code);
  await checkIn.getByRole('button', { name: zh.worker_check_in, exact: true }).click();
  await expect.poll(() => alertText(checkIn)).toBe(zh.err_already_checked_in);

  // Two and a half hours later the organizer's screen shows a new code; the worker checks out with it.
  h.clock.advance(150 * MIN);
  await screen.reload();
  const later = await shownCode(screen);
  expect(later).not.toBe(code);
  await checkIn.getByLabel(zh.worker_check_code).fill(later);
  await checkIn.getByRole('button', { name: zh.worker_check_out, exact: true }).click();
  await expect.poll(() => checkIn.locator('#check-result').getAttribute('data-hours')).toBe('2.50');
  expect(await checkIn.locator('#check-result').textContent()).toContain('本次服务 2.50 小时');
  await expect.poll(() => row.getAttribute('data-hours'), { timeout: 10_000 }).toBe('2.50');
  expect(await row.textContent()).toContain(fillIn(zh.organizer_attendance_hours, { n: '2.50' }));

  // Someone who could not check in is added by member number, with a reason: marked 补录.
  await screen.getByLabel(zh.organizer_attendance_fix_member).fill(helper.member_no);
  await screen.getByLabel(zh.organizer_attendance_fix_hours).fill('1.5');
  await screen.getByLabel(zh.organizer_attendance_fix_reason).fill('没有智能手机，现场登记');
  await screen.getByRole('button', { name: zh.organizer_attendance_fix_submit, exact: true }).click();
  const added = screen.locator(`#attendees li[data-member-no="${helper.member_no}"]`);
  await added.waitFor();
  expect(await added.getAttribute('data-source')).toBe('back_filled');
  expect(await added.getAttribute('data-hours')).toBe('1.50');
  expect(await added.textContent()).toContain(zh.organizer_attendance_back_filled + ' · 没有智能手机，现场登记');
  // An hour count off the programme's step is refused in plain words.
  await screen.getByLabel(zh.organizer_attendance_fix_member).fill(helper.member_no);
  await screen.getByLabel(zh.organizer_attendance_fix_hours).fill('1.25');
  await screen.getByLabel(zh.organizer_attendance_fix_reason).fill('不是半小时的整数倍');
  await screen.getByRole('button', { name: zh.organizer_attendance_fix_submit, exact: true }).click();
  await expect.poll(() => alertText(screen)).toBe(zh.err_hours_off_step);

  // Confirming: the attendees become the event's claims, credited as a roster is (10 points an hour).
  await screen.getByRole('button', { name: zh.organizer_attendance_confirm, exact: true }).click();
  await expect.poll(() => screen.locator('#attendance-confirmed').textContent()).toBe(fillIn(zh.organizer_attendance_confirmed, { n: 2, points: '40.00' }));
  await expect.poll(() => screen.locator('#attendance-confirm').isHidden()).toBe(true);
  expect(await screen.locator('#fix-card').isHidden()).toBe(true);

  expect(await posted(h, e.admin, rider.account_id)).toBe('25.00');
  expect(await posted(h, e.admin, helper.account_id)).toBe('15.00');
  expect(Number(budgetBefore) - Number(await posted(h, e.admin, e.street.budget_account_id))).toBe(40);
  const event = await h.call('GET', `/v1/events/${eventId}`, { token: e.organizer });
  expect(event.body.claims.map((c: any) => [c.member_id, c.units, c.status, c.points_credited]).sort()).toEqual(
    [
      [rider.id, '2.50', 'approved', '25.00'],
      [helper.id, '1.50', 'approved', '15.00'],
    ].sort(),
  );
  await expectSoundLedger(h, e.admin);
  const hours = await h.call('GET', `/v1/members/${rider.id}/hours`, { token: e.admin });
  expect(hours.status, hours.text).toBe(200);
  expect(hours.body).toMatchObject({ total_hours: '2.50', by_source: { checked_in: '2.50', back_filled: '0.00' } });
  const helperHours = await h.call('GET', `/v1/members/${helper.id}/hours`, { token: e.admin });
  expect(helperHours.body).toMatchObject({ total_hours: '1.50', by_source: { checked_in: '0.00', back_filled: '1.50' } });

  // The worker's home shows the hours.
  const home = await open(phone, base, '/app/worker');
  await expect.poll(() => home.locator('#hours-total').textContent()).toBe(fillIn(zh.worker_hours_value, { n: '2.50' }));

  // The worker asks for a certificate for the programme day of the event (the form starts at this year's first day and today).
  const certs = await open(phone, base, '/app/worker/certificates');
  await certs.locator('#certificates[aria-busy="false"]').waitFor();
  expect(await certs.locator('#certificates').textContent()).toBe(zh.worker_cert_none);
  expect(await certs.getByLabel(zh.worker_cert_from).inputValue()).toMatch(/^\d{4}-01-01$/);
  const day = new Date(start.getTime() + h.deps.programme.utcOffsetMinutes * MIN).toISOString().slice(0, 10);
  await certs.getByLabel(zh.worker_cert_from).fill(day);
  await certs.getByLabel(zh.worker_cert_to).fill(day);
  await certs.getByRole('button', { name: zh.worker_cert_submit, exact: true }).click();
  await expect.poll(() => certs.locator('#message').textContent()).toBe(fillIn(zh.worker_cert_issued, { n: 1 }));
  const issued = certs.locator('#certificates li');
  await expect.poll(() => issued.count()).toBe(1);
  const number = (await issued.getAttribute('data-number'))!;
  expect(await issued.textContent()).toContain(fillIn(zh.certificate_print_register, { org: '和平社区', n: '000001' }));
  expect(await issued.textContent()).toContain(fillIn(zh.worker_cert_line, { from: day, to: day }));
  expect(await issued.textContent()).toContain(fillIn(zh.worker_cert_hours, { n: '2.50' }));
  // The register holds it: issued by the community that recorded the hours, for this member, in force.
  const register = await h.call('GET', '/v1/certificates', { token: e.admin });
  expect(register.body.items.map((i: any) => [i.number, i.org_id, i.member_id, i.total_hours, i.revoked])).toEqual([[number, e.community.id, rider.id, '2.50', false]]);

  // Its print sheet: the statement, the hours, and a QR code; printed, only the sheet shows.
  await issued.getByRole('link', { name: zh.worker_cert_print, exact: true }).click();
  await certs.waitForURL(`${base}/verify/certificates/${number}/print`);
  const sheet = certs.locator('.certificate-sheet');
  expect(await sheet.getAttribute('data-verdict')).toBe('valid');
  expect(await sheet.locator('.statement').textContent()).toContain(`兹证明 骑手0（志愿者编号 ${rider.member_no}）于 ${day} 至 ${day} 期间`);
  expect(await sheet.locator('[data-total-hours]').textContent()).toBe('2.50');
  // On the phone it fits 360 px like every page.
  expect(await certs.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
  await certs.emulateMedia({ media: 'print' });
  expect(await certs.locator('header.top').isVisible()).toBe(false);
  expect(await certs.getByRole('button', { name: zh.certificate_print_button }).isVisible()).toBe(false);
  expect(await sheet.isVisible()).toBe(true);
  await certs.emulateMedia({ media: 'screen' });
  // Anyone who scans it (no sign-in) opens the public check, which says it is valid.
  const scanned = await decodeInlineSvgQr(certs, '.certificate-sheet .qr');
  expect(scanned).toBe(`${base}/verify/certificates/${number}`);
  const stranger = await live.browser.newContext(PHONE);
  const check = await stranger.newPage();
  watch(check);
  await check.goto(scanned);
  expect(await check.locator('[data-verdict]').first().getAttribute('data-verdict')).toBe('valid');
  expect(await check.locator('main').textContent()).toContain(zh.certificate_valid);
  expect(await check.locator('main').textContent()).toContain(fillIn(zh.certificate_hours_value, { hours: '2.50' }));
  expect(await check.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);

  // The admin finds it in the register by name and number, and revokes it with a reason: the public check says so.
  const adminPhone = await signedIn(browser, base, e.admin, '/app/admin');
  const registerPage = await open(adminPhone, base, '/app/admin/certificates');
  const entry = registerPage.locator(`#register li[data-number="${number}"]`);
  await entry.waitFor();
  expect(await entry.textContent()).toContain(fillIn(zh.certificate_register_line, { name: '骑手0', no: rider.member_no, hours: '2.50' }));
  expect(await entry.getAttribute('data-revoked')).toBe('false');
  await entry.getByText(zh.certificate_register_revoke).click();
  await entry.getByLabel(zh.certificate_register_reason).fill('活动名称登记错误');
  await entry.getByRole('button', { name: zh.certificate_register_revoke_submit }).click();
  await expect.poll(() => registerPage.locator('#message').textContent()).toBe(fillIn(zh.certificate_register_revoked_ok, { number }));
  await expect.poll(() => registerPage.locator(`#register li[data-number="${number}"]`).getAttribute('data-revoked')).toBe('true');
  expect(await registerPage.locator(`#register li[data-number="${number}"] [data-revoked-reason]`).textContent()).toBe(fillIn(zh.certificate_revoked_reason, { reason: '活动名称登记错误' }));
  const after = await h.call('GET', `/v1/public/certificates/${number}`);
  expect(after.body).toMatchObject({ valid: false, revoked: true, revoked_reason: '活动名称登记错误' });
  await check.reload();
  expect(await check.locator('[data-verdict]').first().getAttribute('data-verdict')).toBe('revoked');
  await stranger.close();
  expect(complaints).toEqual([]);
});
