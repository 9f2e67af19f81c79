import { expect, it } from 'vitest';
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { PHONE } from '../../scripts/chromium.js';
import { zh } from '../../src/pages/strings-zh.js';
import { en } from '../../src/pages/strings-en.js';
import { expectSoundLedger, stateFingerprint } from '../support/fixtures.js';
import { earningProgramme, posted } from '../support/earning.js';
import { alertText, complaints, open, signedIn, liveBrowser, watch } from './support/live-service.js';

const live = liveBrowser();

const status = (page: Page) => page.getByRole('status').textContent();

/** 50 riders as a spreadsheet on a Chinese Windows saves them: GB18030, Chinese headers, the org by its name. */
function rosterSheet(org: string): Buffer {
  const lines = ['姓名,平台,所属组织,外部编号'];
  for (let i = 1; i <= 50; i++) lines.push(`骑手${String(i).padStart(2, '0')},${i % 2 ? '外卖配送' : '快递'},${org},XT-${String(i).padStart(4, '0')}`);
  return iconv.encode(lines.join('\r\n') + '\r\n', 'gb18030');
}

it('builds a programme from nothing through the console, credits a roster by member numbers on the organizer page, and redeems at the till', async () => {
  const { browser, service: { h, base } } = live;
  const admin = await h.token('admin', { sub: 'ops-li' });
  const desk = await signedIn(browser, base, admin, '/app/admin');

  // The org tree: a city, a district under it, a street under that.
  const orgsPage = await open(desk, base, '/app/admin');
  expect(await orgsPage.locator('#org-tree').textContent()).toBe(zh.nothing_yet);
  for (const [name, kind, parent] of [
    ['湘潭市', 'city', ''],
    ['岳塘区', 'district', '湘潭市'],
    ['书院路街道', 'street', '岳塘区'],
  ] as const) {
    if (parent) await orgsPage.getByLabel(zh.admin_org_parent).selectOption({ label: (kind === 'street' ? '\u3000' : '') + parent });
    await orgsPage.getByLabel(zh.admin_org_name).fill(name);
    await orgsPage.getByLabel(zh.admin_org_kind).selectOption(kind);
    await orgsPage.getByRole('button', { name: zh.admin_org_submit }).click();
    await expect.poll(() => status(orgsPage)).toBe(`已添加“${name}”。`);
  }
  const orgs = (await h.call('GET', '/v1/orgs', { token: admin })).body.items;
  expect(orgs).toMatchObject([{ name: '湘潭市', kind: 'city', children: [{ name: '岳塘区', children: [{ name: '书院路街道', kind: 'street', depth: 2 }] }] }]);
  const street = orgs[0].children[0].children[0] as { id: string; budget_account_id: string };
  await expect.poll(() => orgsPage.locator('#org-tree li').allTextContents()).toEqual(['湘潭市市 · 没有自有预算', '岳塘区区 · 没有自有预算', '书院路街道街道 · 没有自有预算']);
  // A kind the parent cannot hold is not offered: under a street, no district.
  await orgsPage.getByLabel(zh.admin_org_parent).selectOption(street.id);
  expect(await orgsPage.locator('#org-kind option:not([disabled])').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['community', 'station', 'industry']);

  // A budget for the street; a refused amount is said in plain words and changes nothing.
  await orgsPage.getByLabel(zh.admin_alloc_org).selectOption(street.id);
  await orgsPage.getByLabel(zh.admin_alloc_amount).fill('1.234');
  await orgsPage.getByRole('button', { name: zh.admin_alloc_submit }).click();
  await expect.poll(() => alertText(orgsPage)).toBe(zh.err_validation_failed);
  await orgsPage.getByLabel(zh.admin_alloc_amount).fill('10000');
  await orgsPage.getByLabel(zh.admin_alloc_memo).fill('2026 年第四季度');
  await orgsPage.getByRole('button', { name: zh.admin_alloc_submit }).click();
  await expect.poll(() => status(orgsPage)).toBe('已向书院路街道拨付 10000.00 分。');
  await expect.poll(() => orgsPage.locator(`[data-org-id="${street.id}"] [data-remaining]`).getAttribute('data-remaining')).toBe('10000.00');
  expect(await posted(h, admin, street.budget_account_id)).toBe('10000.00');
  expect(await orgsPage.locator('#allocations').textContent()).toContain('2026 年第四季度');

  // An activity type counted by the hour.
  const activities = await open(desk, base, '/app/admin/activities');
  await activities.getByLabel(zh.admin_type_code).fill('traffic_guide');
  await activities.getByLabel(zh.admin_type_name_zh).fill('文明交通劝导');
  await activities.getByLabel(zh.admin_type_name_en).fill('Traffic guiding');
  await activities.getByLabel(zh.admin_type_unit).selectOption('hour');
  await activities.getByLabel(zh.admin_type_points).fill('10');
  await activities.getByLabel(zh.admin_type_daily).fill('40');
  await activities.getByRole('button', { name: zh.admin_type_submit }).click();
  await expect.poll(() => status(activities)).toBe('已新建“文明交通劝导”。');
  expect((await h.call('GET', '/v1/activity-types/traffic_guide', { token: admin })).body.items).toMatchObject([{ version: 1, unit: 'hour', points_per_unit: '10.00', daily_cap: '40.00' }]);
  await expect.poll(() => activities.locator('[data-code="traffic_guide"]').textContent()).toContain('每小时 10.00 分');

  // A merchant in the street, with a reward.
  const merchants = await open(desk, base, '/app/admin/merchants');
  await merchants.getByLabel(zh.admin_merchant_name).fill('书院路便民超市');
  await merchants.getByLabel(zh.admin_merchant_org).selectOption(street.id);
  await merchants.getByRole('button', { name: zh.admin_merchant_submit }).click();
  await expect.poll(() => status(merchants)).toBe('已登记“书院路便民超市”。');
  await merchants.locator('#merchant-detail:not([hidden])').waitFor();
  await merchants.getByLabel(zh.admin_reward_name).fill('矿泉水一箱');
  await merchants.getByLabel(zh.admin_reward_price).fill('15');
  await merchants.getByLabel(zh.admin_reward_stock).fill('20');
  await merchants.getByRole('button', { name: zh.admin_reward_submit }).click();
  await expect.poll(() => status(merchants)).toBe('已上架“矿泉水一箱”。');
  await expect.poll(() => merchants.locator('#rewards').textContent()).toContain('15.00 分 · 库存 20');
  const shop = (await h.call('GET', '/v1/merchants', { token: admin })).body.items[0] as { id: string; account_id: string };
  const water = (await h.call('GET', `/v1/merchants/${shop.id}/rewards`, { token: admin })).body.items[0] as { id: string };

  // 50 members from a GB18030 sheet: checked first (nothing written), then imported.
  const members = await open(desk, base, '/app/admin/members');
  await members.getByLabel(zh.admin_import_file).setInputFiles({ name: '骑手名单.csv', mimeType: 'text/csv', buffer: rosterSheet('书院路街道') });
  await members.getByRole('button', { name: zh.admin_import_check }).click();
  await expect.poll(() => status(members)).toBe('检查完毕：可登记 50 人。看过报告后点“确认导入”。');
  expect(await members.locator('#import-figures').textContent()).toContain('GB18030');
  expect(await h.sql.all('SELECT count(*) AS n FROM members')).toEqual([{ n: 0 }]);
  await members.getByRole('button', { name: zh.admin_import_commit }).click();
  await expect.poll(() => status(members)).toBe('已导入：新登记 50 人，0 人原已登记未变。');
  const imported = await h.sql.all<{ member_no: string; display_name: string; platform: string; home_org_id: string }>('SELECT member_no, display_name, platform, home_org_id FROM members ORDER BY member_no');
  expect(imported).toHaveLength(50);
  expect(imported[0]).toMatchObject({ display_name: '骑手01', platform: 'delivery', home_org_id: street.id });
  expect(imported[1]).toMatchObject({ display_name: '骑手02', platform: 'courier' });
  // A page of 25 at a time, the rest on request.
  await expect.poll(() => members.locator('#members > li').count()).toBe(25);
  await members.getByRole('button', { name: zh.load_more }).click();
  await expect.poll(() => members.locator('#members > li').count()).toBe(50);
  expect(await members.getByRole('button', { name: zh.load_more }).isVisible()).toBe(false);

  // The same file again: the check says nobody is new.
  await members.getByRole('button', { name: zh.admin_import_check }).click();
  await expect.poll(() => status(members)).toBe(zh.admin_import_nothing);

  // Find two riders by name and print their sign-in cards.
  await members.getByLabel(zh.admin_member_q).fill('骑手0');
  await members.getByRole('button', { name: zh.admin_member_search }).click();
  await expect.poll(() => members.locator('#member-count').textContent()).toBe('显示 9 位成员');
  await members.getByLabel('选中 骑手01').check();
  await members.getByLabel('选中 骑手02').check();
  await members.getByRole('button', { name: /为选中的成员打印登录卡/ }).click();
  await expect.poll(() => status(members)).toBe(`已生成 2 张登录卡，在下面。点“打印这些登录卡”即可打印。`);
  const cards = members.locator('.sign-in-card');
  expect(await cards.count()).toBe(2);
  expect(await cards.first().locator('.card-name').textContent()).toBe(`骑手01 · 编号 ${imported[0]!.member_no}`);
  const code = (await cards.first().locator('[data-code]').textContent())!;
  expect(await h.sql.all('SELECT count(*) AS n FROM sign_in_codes')).toEqual([{ n: 2 }]);
  // The printed sheet holds only the cards.
  await members.emulateMedia({ media: 'print' });
  expect(await members.locator('#member-search').isVisible()).toBe(false);
  expect(await cards.first().isVisible()).toBe(true);
  await members.emulateMedia({ media: 'screen' });

  // The street's organizer credits a roster typed as member numbers and hours.
  const organizer = await signedIn(browser, base, await h.token('organizer', { sub: 'organizer-wang', org_id: street.id }), '/app/organizer');
  const event = await open(organizer, base, '/app/organizer/event');
  await event.getByLabel(zh.event_activity).selectOption('traffic_guide');
  await event.getByLabel(zh.event_title).fill('书院路口早高峰劝导');
  await event.getByLabel(zh.roster).fill(`${imported[0]!.member_no} 2\n${imported[1]!.member_no} 1.5\n${imported[2]!.member_no} 3`);
  await event.getByRole('button', { name: zh.event_submit }).click();
  await expect.poll(() => status(event)).toBe('已登记“书院路口早高峰劝导”，共 3 人。');
  expect(await event.locator('#event-result').textContent()).toContain('3 人，65.00 分');

  // Rider 01 signs in on a phone with the printed card's code, and shows a redeem code.
  const phone = await browser.newContext({ ...PHONE, timezoneId: 'Asia/Shanghai' });
  phone.on('page', watch);
  const riderPage = await phone.newPage();
  await riderPage.goto(`${base}/app/sign-in`);
  await riderPage.getByLabel(zh.sign_in_code).fill(code);
  await riderPage.getByRole('button', { name: zh.sign_in_submit }).first().click();
  await riderPage.waitForURL(`${base}/app/worker`);
  await expect.poll(() => riderPage.locator('#greeting').textContent()).toBe('骑手01，您好！');
  await expect.poll(() => riderPage.locator('#available').textContent()).toBe('20.00');
  await riderPage.getByRole('button', { name: zh.show_code }).click();
  await riderPage.locator('#qr:not([hidden])').waitFor();
  const redeemCode = (await riderPage.locator('#code-text').textContent())!;

  // The shop redeems it at the till.
  const till = await open(await signedIn(browser, base, await h.token('merchant', { sub: 'shop-1', merchant_id: shop.id }), '/app/merchant'), base, '/app/merchant');
  await till.getByLabel(zh.redeem_code_input).fill(redeemCode);
  await till.getByLabel(zh.reward).selectOption(water.id);
  await till.getByRole('button', { name: zh.redeem_submit }).click();
  await till.locator('#receipt:not([hidden])').waitFor();

  expect(await till.getByRole('status').textContent()).toBe(zh.redeemed_ok);

  // The ledger: the rider 20 − 15, the shop 15, the street's budget 10,000 − 65, one case fewer in stock.
  const rider = (await h.call('GET', `/v1/members/${imported[0]!.member_no}`, { token: admin })).body as { account_id: string };
  expect(await posted(h, admin, rider.account_id)).toBe('5.00');
  expect(await posted(h, admin, shop.account_id)).toBe('15.00');
  expect(await posted(h, admin, street.budget_account_id)).toBe('9935.00');
  expect((await h.call('GET', `/v1/merchants/${shop.id}/rewards`, { token: admin })).body.items[0]).toMatchObject({ stock: 19 });
  await expectSoundLedger(h, admin);

  // The console shows the shop's takings, to settle.
  await merchants.reload();
  await merchants.getByRole('button', { name: '查看 书院路便民超市' }).click();
  await expect.poll(() => merchants.locator('#settlement').getAttribute('data-unsettled')).toBe('15.00');
  expect(complaints).toEqual([]);
}, 180_000);

it('changes and deactivates a member (the change kept and shown), names refused import lines, corrects the ledger and signs a checkpoint', async () => {
  const { browser, service: { h, base } } = live;
  const e = await earningProgramme(h);
  const desk = await signedIn(browser, base, e.admin, '/app/admin');
  const no0 = (await h.call('GET', `/v1/members/${e.riders[0]!.id}`, { token: e.admin })).body.member_no as string;

  // A sheet with an org nobody has and a line without its key: named by line, in plain words, nothing written.
  const members = await open(desk, base, '/app/admin/members');
  const before = await stateFingerprint(h);
  const sheet = '姓名,平台,所属组织,外部编号\n张三,外卖,和平社区,A-1\n李四,外卖,幸福社区,A-2\n王五,快递,和平社区,\n';
  await members.getByLabel(zh.admin_import_file).setInputFiles({ name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) });
  await members.getByRole('button', { name: zh.admin_import_check }).click();
  await expect.poll(() => alertText(members)).toBe('有 2 行有问题，整份文件不会导入。请改正后重新检查，或选择“跳过有问题的行”。');
  expect(await members.locator('#import-refused li').allTextContents()).toEqual([`第 3 行：${zh.err_unknown_org}`, `第 4 行：${zh.err_import_ref_missing}`]);
  expect(await members.getByRole('button', { name: zh.admin_import_commit }).isVisible()).toBe(false);
  expect(await stateFingerprint(h)).toEqual(before);
  // Skipping them records the one good line.
  await members.getByLabel(zh.admin_import_rest).check();
  await members.getByRole('button', { name: zh.admin_import_check }).click();
  await expect.poll(() => status(members)).toBe('检查完毕：可登记 1 人。看过报告后点“确认导入”。');
  await members.getByRole('button', { name: zh.admin_import_commit }).click();
  await expect.poll(() => status(members)).toBe('已导入：新登记 1 人，0 人原已登记未变。');
  expect(await h.sql.all("SELECT display_name FROM members WHERE external_ref = 'A-1'")).toEqual([{ display_name: '张三' }]);

  // Rider 0 by number: renamed with a reason, then deactivated; both changes are kept and shown.
  await members.getByLabel(zh.admin_member_q).fill(no0);
  await members.getByRole('button', { name: zh.admin_member_search }).click();
  await expect.poll(() => members.locator('#members > li').count()).toBe(1);
  await members.getByRole('button', { name: `${zh.admin_member_open} 骑手0` }).click();
  await members.locator('#member-detail:not([hidden])').waitFor();
  await members.getByLabel(zh.admin_member_name, { exact: true }).fill('张师傅');
  await members.getByLabel(zh.admin_member_reason).fill('身份证上的名字');
  await members.getByRole('button', { name: zh.admin_member_save }).click();
  await expect.poll(() => status(members)).toBe('已保存对张师傅的修改。');
  await members.getByRole('button', { name: zh.admin_member_deactivate }).click();
  await expect.poll(() => status(members)).toBe('已停用张师傅：不能再获得或使用积分，历史和余额都保留。');
  const changes = await members.locator('#member-changes > li').allTextContents();
  expect(changes).toHaveLength(2);
  expect(changes.join('|')).toContain('姓名：骑手0 → 张师傅');
  expect(changes.join('|')).toContain('原因：身份证上的名字');
  expect(changes.join('|')).toContain('状态：正常 → 已停用');
  expect(await h.sql.all('SELECT display_name, status FROM members WHERE id = ?', [e.riders[0]!.id])).toEqual([{ display_name: '张师傅', status: 'deactivated' }]);
  // A deactivated member earns nothing.
  const refused = await h.call('POST', '/v1/claims', { token: e.organizer, body: { member_id: no0, activity_code: 'volunteer_hour', units: '1', occurred_at: new Date(Date.now() - 3_600_000).toISOString() } });
  expect(refused.body.code).toBe('member_deactivated');

  // A correction: 20 points to rider 1 from the street's budget, by member number; then the budget allocation reversed.
  const no1 = (await h.call('GET', `/v1/members/${e.riders[1]!.id}`, { token: e.admin })).body.member_no as string;
  const ledger = await open(desk, base, '/app/admin/ledger');
  await ledger.getByLabel(zh.admin_adjust_member).fill(no1);
  await ledger.getByLabel(zh.admin_adjust_org).selectOption(e.street.id);
  await ledger.getByLabel(zh.admin_adjust_amount).fill('20');
  await ledger.locator('#adjust-reason').fill('补发 11 月漏记的劝导');
  await ledger.getByRole('button', { name: zh.admin_adjust_submit }).click();
  await expect.poll(() => status(ledger)).toBe(`已记录：骑手1（编号 ${no1}）20.00 分。`);
  expect(await posted(h, e.admin, e.riders[1]!.account_id)).toBe('20.00');
  expect(await posted(h, e.admin, e.street.budget_account_id)).toBe('9980.00');
  const allocation = (await h.call('GET', '/v1/budget-allocations', { token: e.admin })).body.items[0] as { transaction_id: string; seq: number };
  await expect.poll(() => ledger.locator('#reverse-tx option').count()).toBe(2);
  // Reversing the whole allocation would take the budget below what it has paid out: refused in plain words, nothing changes.
  await ledger.getByLabel(zh.admin_reverse_tx).selectOption(allocation.transaction_id);
  await ledger.locator('#reverse-reason').fill('预算拨错了街道');
  const unchanged = await stateFingerprint(h);
  await ledger.getByRole('button', { name: zh.admin_reverse_submit }).click();
  await expect.poll(() => alertText(ledger)).toBe(zh.err_insufficient_funds);
  expect(await stateFingerprint(h)).toEqual(unchanged);
  // The adjustment itself can be reversed: rider 1 and the budget are back where they were.
  const adjustment = (await h.call('GET', '/v1/audit/transactions?kind=adjustment', { token: e.admin })).body.items[0] as { id: string; seq: number };
  await ledger.getByLabel(zh.admin_reverse_tx).selectOption(adjustment.id);
  await ledger.getByRole('button', { name: zh.admin_reverse_submit }).click();
  await expect.poll(() => status(ledger)).toBe(`已撤销第 ${adjustment.seq} 笔。`);
  expect(await posted(h, e.admin, e.riders[1]!.account_id)).toBe('0.00');
  expect(await posted(h, e.admin, e.street.budget_account_id)).toBe('10000.00');
  const reversal = (await h.call('GET', '/v1/audit/transactions?kind=reversal', { token: e.admin })).body.items;
  expect(reversal).toMatchObject([{ reverses_id: adjustment.id, memo: '预算拨错了街道' }]);
  await expect.poll(() => ledger.locator('#reverse-tx option').count()).toBe(1);

  // A checkpoint over the ledger as it stands.
  await ledger.getByRole('button', { name: zh.admin_checkpoint_new }).click();
  // The page says so once it is signed; then it names the checkpoint the service holds.
  await expect.poll(() => status(ledger)).toMatch(/^已签发检查点：截至第 \d+ 笔。$/);
  const head = (await h.call('GET', '/v1/audit/checkpoints/latest', { token: e.admin })).body as { seq: number };
  expect(await status(ledger)).toBe(`已签发检查点：截至第 ${head.seq} 笔。`);
  expect(await ledger.locator('#checkpoints > li').count()).toBe(1);
  await expectSoundLedger(h, e.admin);

  // The Chinese pages carry no English words (the brand, the encodings and the language switch aside).
  for (const path of ['/app/admin', '/app/admin/activities', '/app/admin/merchants', '/app/admin/members', '/app/admin/ledger']) {
    const page = await open(desk, base, path);
    const words = (await page.locator('body').innerText()).replace(/Jifen|English|GB18030|UTF-8|CSV|safety_training/g, '').replace(/\b[0-9a-f]{64}\b/g, ''); // a hash is digits, not words
    expect(words.match(/[A-Za-z]{2,}/g), path).toBeNull();
  }
  expect(complaints).toEqual([]);
}, 180_000);

it('lets an auditor read the console without its forms, and speaks English on the switch', async () => {
  const { browser, service: { h, base } } = live;
  const e = await earningProgramme(h);
  const auditor = await signedIn(browser, base, await h.token('auditor', { sub: 'auditor-1' }), '/app/auditor');
  const orgs = await open(auditor, base, '/app/admin?lang=en');
  await expect.poll(() => status(orgs)).toBe(en.admin_read_only);
  await expect.poll(() => orgs.locator(`[data-org-id="${e.street.id}"] [data-remaining]`).getAttribute('data-remaining')).toBe('10000.00');
  expect(await orgs.locator('#org-tree li').first().textContent()).toBe('湘潭市City · no budget of its own');
  expect(await orgs.locator('#org-form').isVisible()).toBe(false);
  expect(await orgs.locator('#alloc-form').isVisible()).toBe(false);
  const members = await open(auditor, base, '/app/admin/members');
  await expect.poll(() => members.locator('#members > li').count()).toBe(3);
  expect(await members.locator('#import-form').isVisible()).toBe(false);
  expect(await members.locator('#print-cards').isVisible()).toBe(false);
  expect(await members.locator('#members input[type=checkbox]').first().isVisible()).toBe(false);
  const ledger = await open(auditor, base, '/app/admin/ledger');
  expect(await ledger.locator('#adjust-form').isVisible()).toBe(false);
  expect(await ledger.locator('#checkpoint-new').isVisible()).toBe(false);
  expect(await ledger.locator('#checkpoints').isVisible()).toBe(true);
  expect(complaints).toEqual([]);
});
