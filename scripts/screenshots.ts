// Every web page at phone width (360 CSS px), with the demo programme:
//   npm run screenshots            → docs/screenshots/*.png
// Seeds a fresh data folder with `npm run seed:demo`, starts the service as
// `npm start` does, signs each role in with the printed links, and shoots.
// Needs Debian's chromium and a CJK font (apt-get install -y chromium fonts-wqy-microhei).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, PHONE } from './chromium.js';
import { signInLink } from '../src/pages/sign-in-link.js';
import { PAGE_PATHS } from '../src/pages/routes.js';

const root = new URL('../', import.meta.url).pathname;
const out = join(root, 'docs/screenshots');
const tsx = join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'jifen-shots-'));

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});
const env = { ...process.env, JIFEN_DATA_DIR: dir, PORT: String(port), JIFEN_LOG: 'off' };
const seeded = spawnSync(tsx, ['scripts/seed-demo.ts'], { cwd: root, env });
if (seeded.status !== 0) throw new Error(`seed:demo failed: ${seeded.stderr}`);
const seedOut = seeded.stdout.toString();
const line = (label: string, pattern: string) => {
  const match = seedOut.match(new RegExp(`^${label}\\s+(${pattern}\\S+)`, 'm'));
  if (!match) throw new Error(`seed:demo printed no ${label}`);
  return match[1]!;
};
const link = (role: string) => line(role, 'http');
const adminToken = line('admin', 'eyJ');

let server: ChildProcess | undefined;
try {
  server = spawn(tsx, ['src/entry/node.ts'], { cwd: root, env });
  const base = await new Promise<string>((resolve, reject) => {
    let text = '';
    server!.stdout!.on('data', (d) => {
      text += d;
      const m = text.match(/listening on (http:\/\/localhost:\d+)/);
      if (m) resolve(m[1]!);
    });
    server!.on('exit', (code) => reject(new Error(`the service exited ${code}: ${text}`)));
  });
  // A signed checkpoint for the auditor's page (the scheduler would sign one within a minute).
  await fetch(`${base}/v1/audit/checkpoints`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });

  mkdirSync(out, { recursive: true });
  const browser = await launchChromium();
  const signedIn = async (role: string, lang = 'zh'): Promise<BrowserContext> => {
    const context = await browser.newContext({ ...PHONE, locale: lang === 'en' ? 'en-GB' : 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    await page.goto(`${base}/app/sign-in?lang=${lang}`);
    await page.goto(role === 'admin' ? signInLink(base, adminToken) : link(role));
    await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
    await page.close();
    return context;
  };
  const shot = new Set<string>();
  const shoot = async (page: Page, name: string) => {
    shot.add(new URL(page.url()).pathname);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    const error = await page.locator('#error').textContent();
    if (error) process.stdout.write(`  (${name} shows an error: ${error})\n`);
    process.stdout.write(`docs/screenshots/${name}.png\n`);
  };
  const open = async (context: BrowserContext, path: string) => {
    const page = await context.newPage();
    await page.goto(`${base}${path}`);
    await page.waitForLoadState('networkidle');
    return page;
  };

  const anonymous = await browser.newContext(PHONE);
  await shoot(await open(anonymous, '/app/sign-in'), 'sign-in');

  const worker = await signedIn('worker');
  const home = await open(worker, '/app/worker');
  await home.getByRole('button', { name: '出示兑换码' }).click();
  await home.locator('#qr:not([hidden])').waitFor();
  await shoot(home, 'worker-home');
  const code = (await home.locator('#code-text').textContent())!;

  const merchant = await signedIn('merchant');
  const till = await open(merchant, '/app/merchant');
  await till.getByLabel('顾客的兑换码').fill(code);
  await till.getByLabel('兑换商品').selectOption({ index: 0 });
  await till.getByRole('button', { name: '确认兑换' }).click();
  await till.locator('#receipt:not([hidden])').waitFor();
  await shoot(till, 'merchant-till');
  await shoot(await open(merchant, '/app/merchant/settlement'), 'merchant-settlement');

  await shoot(await open(worker, '/app/worker/statement'), 'worker-statement');
  await shoot(await open(worker, '/app/worker/report'), 'worker-report');
  await shoot(await open(await signedIn('worker2'), '/app/worker/cards'), 'worker-cards');
  // A service-record certificate of the demo's hours, on the worker's page and as the printed A4 sheet.
  const certificates = await open(worker, '/app/worker/certificates');
  await certificates.getByLabel('从').fill('2020-01-01');
  await certificates.getByRole('button', { name: '申请证明' }).click();
  await certificates.locator('#certificates li[data-number]').first().waitFor();
  await shoot(certificates, 'worker-certificates');
  const sheetPage = await open(worker, `${(await certificates.locator('#certificates li a').first().getAttribute('href'))!}`);
  await sheetPage.emulateMedia({ media: 'print' });
  await sheetPage.setViewportSize({ width: 794, height: 1123 });
  await shoot(sheetPage, 'certificate-print');
  await sheetPage.emulateMedia({ media: 'screen' });
  await sheetPage.setViewportSize(PHONE.viewport);
  await shoot(sheetPage, 'certificate-sheet');

  const organizer = await signedIn('organizer');
  await shoot(await open(organizer, '/app/organizer'), 'organizer-claims');
  const event = await open(organizer, '/app/organizer/event');
  await event.getByLabel('活动名称').fill('社区消防安全宣传');
  const listed = await fetch(`${base}/v1/members?limit=3`, { headers: { authorization: `Bearer ${adminToken}` } });
  const numbers = ((await listed.json()) as { items: Array<{ member_no: string }> }).items.map((m) => m.member_no);
  await event.getByLabel('参加人员名单').fill(numbers.map((no, i) => `${no} ${i === 1 ? '1.5' : '2'}`).join('\n'));
  await shoot(event, 'organizer-event');
  await shoot(await open(organizer, '/app/organizer/budget'), 'organizer-budget');

  await shoot(await open(await signedIn('auditor'), '/app/auditor'), 'auditor');

  // The admin console, each page as the demo leaves it.
  const admin = await signedIn('admin');
  await shoot(await open(admin, '/app/admin'), 'admin-orgs');
  await shoot(await open(admin, '/app/admin/activities'), 'admin-activities');
  const shops = await open(admin, '/app/admin/merchants');
  await shops.locator('#merchants button').first().click();
  await shops.locator('#settlement dt').first().waitFor();
  await shoot(shops, 'admin-merchants');
  const people = await open(admin, '/app/admin/members');
  await people.locator('#members > li').first().waitFor();
  await people.locator('#members button').first().click();
  await people.locator('#member-facts dt').first().waitFor();
  const sheet = ['姓名,平台,所属组织,外部编号', '刘师傅,外卖配送,和平社区,DEMO-9001', '陈师傅,快递,和平社区,DEMO-9002', '周师傅,网约车,双拥社区,DEMO-9003'].join('\r\n');
  await people.getByLabel('CSV 文件').setInputFiles({ name: '名单.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) });
  await people.getByRole('button', { name: '检查文件' }).click();
  await people.locator('#import-report:not([hidden])').waitFor();
  await shoot(people, 'admin-members');
  await people.locator('#members input[type=checkbox]').nth(0).check();
  await people.locator('#members input[type=checkbox]').nth(1).check();
  await people.getByRole('button', { name: /打印登录卡/ }).click();
  await people.locator('.sign-in-card').first().waitFor();
  await people.emulateMedia({ media: 'print' });
  await people.setViewportSize({ width: 794, height: 1123 });
  await shoot(people, 'admin-cards-print');
  await shoot(await open(admin, '/app/admin/ledger'), 'admin-ledger');
  const english = await signedIn('worker', 'en');
  await shoot(await open(english, '/app/worker'), 'worker-home-en');

  // Every other page, as the demo leaves it, named after its path
  // (/app/worker/rewards → worker-rewards.png), so a new page is never missed.
  const contexts: Record<string, BrowserContext> = { worker, merchant, organizer, admin, auditor: await signedIn('auditor') };
  for (const path of PAGE_PATHS.filter((p) => !shot.has(p))) {
    const role = path.split('/')[2]!;
    await shoot(await open(contexts[role] ?? anonymous, path), path.slice('/app/'.length).replaceAll('/', '-'));
  }
  await browser.close();
} finally {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
