import { expect, it } from 'vitest';
import { PHONE } from '../../scripts/chromium.js';
import { zh } from '../../src/pages/strings-zh.js';
import { en } from '../../src/pages/strings-en.js';
import { member, programme } from '../support/fixtures.js';
import { alertText, complaints, liveBrowser, watch } from './support/live-service.js';

const live = liveBrowser();

/** A sign-in card made through the API over HTTP, as the console would: its link names this server. */
async function card(base: string, token: string, memberId: string) {
  const res = await fetch(`${base}/v1/members/${memberId}/sign-in-codes`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; code: string; url: string; display_name: string };
}

it('a sign-in card’s link, opened on a phone, signs its member in once and lands on the worker page with the name', async () => {
  const { browser, service: { h, base } } = live;
  const p = await programme(h);
  const rider = await member(h, p.admin, p.community.id, { display_name: '张师傅' });
  const organizer = await h.token('organizer', { sub: 'organizer-wang', org_id: p.street.id });
  const issued = await card(base, organizer, rider.id);
  expect(issued.url.startsWith(`${base}/app/sign-in#code=`)).toBe(true);

  const phone = await browser.newContext({ ...PHONE, timezoneId: 'Asia/Shanghai' });
  phone.on('page', watch);
  const page = await phone.newPage();
  await page.goto(issued.url);
  await page.waitForURL(`${base}/app/worker`);
  await expect.poll(() => page.locator('#greeting').textContent()).toBe('张师傅，您好！');
  expect(await page.locator('#available').textContent()).toBe('0.00');
  // The code is gone from the address bar and from this tab's storage; the session is kept.
  expect(page.url()).not.toContain('code=');
  const kept = await page.evaluate(() => ({ token: localStorage.getItem('jifen.token'), pending: sessionStorage.getItem('jifen.sign-in') }));
  expect(kept.pending).toBeNull();
  expect(kept.token).toMatch(/^eyJ/);
  const me = await h.call('GET', '/v1/me', { token: kept.token! });
  expect(me.body).toMatchObject({ id: rider.id, display_name: '张师傅' });
  expect(await h.sql.all('SELECT code_id, member_id FROM sign_in_code_uses')).toEqual([{ code_id: issued.id, member_id: rider.id }]);

  // The same card on another phone: refused in plain Chinese, no second session.
  const other = await browser.newContext(PHONE);
  other.on('page', watch);
  const second = await other.newPage();
  await second.goto(issued.url);
  await expect.poll(() => alertText(second)).toBe(zh.err_sign_in_code_used);
  expect(second.url()).toBe(`${base}/app/sign-in`);
  expect(await second.evaluate(() => localStorage.getItem('jifen.token'))).toBeNull();
  expect(await h.sql.all('SELECT count(*) AS n FROM sign_in_code_uses')).toEqual([{ n: 1 }]);
  expect(complaints).toEqual([]);
});

it('explains an expired card in English on ?lang=en, and takes a typed code', async () => {
  const { browser, service: { h, base } } = live;
  const p = await programme(h);
  const rider = await member(h, p.admin, p.community.id, { display_name: 'Li' });
  const old = await card(base, p.admin, rider.id);
  h.clock.advance(15 * 86_400_000);
  const fresh = await card(base, p.admin, rider.id);

  const phone = await browser.newContext(PHONE);
  phone.on('page', watch);
  const page = await phone.newPage();
  await page.goto(old.url.replace('#', '?lang=en#'));
  await expect.poll(() => alertText(page)).toBe(en.err_sign_in_code_expired);

  // Typed from the card, in lower case with spaces.
  await page.getByLabel(en.sign_in_code).fill(fresh.code.toLowerCase().replace(/-/g, ' '));
  await page.getByRole('button', { name: en.sign_in_submit }).first().click();
  await page.waitForURL(`${base}/app/worker`);
  await expect.poll(() => page.locator('#greeting').textContent()).toBe('Hello, Li!');
  expect(complaints).toEqual([]);
});
