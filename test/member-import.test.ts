import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { earningProgramme } from './support/earning.js';
import { isMemberNumber } from '../src/members/member-number.js';

/** A spreadsheet as Excel saves it: CRLF lines, in the given encoding (GB18030 on a Chinese Windows). */
function sheet(rows: string[][], encoding: 'utf-8' | 'utf-8-bom' | 'gb18030'): Uint8Array {
  const text = rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
  if (encoding === 'gb18030') return new Uint8Array(iconv.encode(text, 'gb18030'));
  const utf8 = new TextEncoder().encode(text);
  return encoding === 'utf-8' ? utf8 : new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
}

const importSheet = (h: Harness, token: string, bytes: Uint8Array, query = '', contentType = 'text/csv', key?: string) =>
  h.call('POST', `/v1/members/import${query}`, {
    token,
    raw: bytes,
    headers: { 'content-type': contentType, ...(key ? { 'Idempotency-Key': key } : {}) },
  });

const HEADER = ['姓名', '平台', '所属组织', '外部编号'];

describe('importing members from a spreadsheet', () => {
  it('reads GB18030 as Excel saves it, registers every line with a member number, and a second import changes nothing', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 0 });
    const rows = [HEADER, ['张三', '外卖', '和平社区', 'mt-001'], ['李四', '快递', '和平社区', 'sf-002'], ['王五, 老王', '网约车', e.community.id, 'dd-003']];
    const bytes = sheet(rows, 'gb18030');
    // Not UTF-8: the service has to recognise GB18030 by itself.
    expect(() => new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)).toThrow();
    const before = await stateFingerprint(h);
    const dry = await importSheet(h, e.admin, bytes, '?dry_run=true');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body).toEqual({ dry_run: true, encoding: 'gb18030', lines: 3, created: 3, existing: 0, refused: [] });
    expect(await stateFingerprint(h)).toEqual(before);

    const done = await importSheet(h, e.admin, bytes);
    expect(done.status, done.text).toBe(201);
    expect(done.body).toMatchObject({ dry_run: false, created: 3, existing: 0, refused: [] });
    const members = await h.sql.all<{ display_name: string; platform: string; home_org_id: string; external_ref: string; member_no: number; account_id: string }>(
      'SELECT display_name, platform, home_org_id, external_ref, member_no, account_id FROM members ORDER BY member_no',
    );
    expect(members.map((m) => [m.display_name, m.platform, m.home_org_id, m.external_ref])).toEqual([
      ['张三', 'delivery', e.community.id, 'mt-001'],
      ['李四', 'courier', e.community.id, 'sf-002'],
      ['王五, 老王', 'ride_hailing', e.community.id, 'dd-003'],
    ]);
    expect(members.every((m) => isMemberNumber(String(m.member_no)))).toBe(true);
    // Each has its worker account, at zero.
    const accounts = await h.sql.all<{ id: string; posted: number }>(`SELECT id, posted FROM accounts WHERE kind = 'worker' ORDER BY id`);
    expect(accounts.map((a) => a.id).sort()).toEqual(members.map((m) => m.account_id).sort());
    const found = await h.call('GET', `/v1/members?q=${encodeURIComponent('李四')}`, { token: e.organizer });
    expect(found.body.items.map((m: any) => [m.display_name, m.member_no, m.balance.posted])).toEqual([['李四', String(members[1]!.member_no), '0.00']]);

    const settled = await stateFingerprint(h);
    const again = await importSheet(h, e.admin, bytes);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ created: 0, existing: 3, refused: [] });
    expect(await stateFingerprint(h)).toEqual(settled);
    await expectSoundLedger(h, e.admin);
  });

  it('reads UTF-8 with or without a BOM, and the charset a content type names', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 0 });
    const withBom = await importSheet(h, e.admin, sheet([HEADER, ['赵六', '货运', '和平社区', 'hl-1']], 'utf-8-bom'));
    expect(withBom.body).toMatchObject({ encoding: 'utf-8', created: 1 });
    const plain = await importSheet(h, e.admin, sheet([['display_name', 'platform', 'home_org', 'external_ref'], ['Qian Qi', 'other', '和平社区', 'x-2']], 'utf-8'));
    expect(plain.body).toMatchObject({ encoding: 'utf-8', created: 1 });
    // A charset the content type names is the one read: GBK is read as GB18030, of which it is a part.
    const named = await importSheet(h, e.admin, sheet([HEADER, ['孙八', '快递', '和平社区', 'gbk-3']], 'gb18030'), '', 'text/csv; charset=GBK');
    expect(named.body).toMatchObject({ encoding: 'gb18030', created: 1 });
    const names = await h.sql.all<{ display_name: string }>('SELECT display_name FROM members ORDER BY member_no');
    expect(names.map((n) => n.display_name)).toEqual(['赵六', 'Qian Qi', '孙八']);
    // The BOM was not read as part of the first header (姓名 was found), and a charset not read here is refused.
    const wrongCharset = await importSheet(h, e.admin, sheet([HEADER, ['周九', '快递', '和平社区', 'b-4']], 'utf-8'), '', 'text/csv; charset=big5');
    expect(wrongCharset.status).toBe(415);
    expect(wrongCharset.body.code).toBe('unsupported_charset');
    const garbled = await importSheet(h, e.admin, new Uint8Array([0xe5, 0xa7, 0x93, 0x0d, 0x0a, 0xff, 0xfe]), '', 'text/csv; charset=utf-8');
    expect(garbled.body.code).toBe('sheet_undecodable');
    expect((await importSheet(h, e.admin, sheet([HEADER], 'utf-8'), '', 'application/json')).status).toBe(415);
  });

  it('names each refused line by its number and reason; atomic refuses the file, otherwise the rest is registered', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 0 });
    await h.call('POST', '/v1/members', { token: e.admin, body: { home_org_id: e.community.id, display_name: '老会员', external_ref: 'old-1' } });
    const rows = [
      HEADER,
      ['好行一', '外卖', '和平社区', 'ok-1'],
      ['没组织', '外卖', '不存在社区', 'bad-org'],
      ['外区人', '外卖', '雨湖区', 'out-1'],
      ['', '外卖', '和平社区', 'no-name'],
      ['坏平台', '飞艇', '和平社区', 'bad-platform'],
      ['无编号', '外卖', '和平社区', ''],
      ['重复', '外卖', '和平社区', 'ok-1'],
      ['老会员', '外卖', '和平社区', 'old-1'],
      ['好行二', '', '和平社区', 'ok-2'],
    ];
    const bytes = sheet(rows, 'gb18030');
    const expected = [
      { line: 3, external_ref: 'bad-org', code: 'unknown_org' },
      { line: 4, external_ref: 'out-1', code: 'forbidden' },
      { line: 5, external_ref: 'no-name', code: 'validation_failed' },
      { line: 6, external_ref: 'bad-platform', code: 'unknown_platform' },
      { line: 7, external_ref: null, code: 'import_ref_missing' },
      { line: 8, external_ref: 'ok-1', code: 'duplicate_external_ref' },
    ];
    // The organizer's street holds 和平社区 but not 雨湖区.
    const dry = await importSheet(h, e.organizer, bytes, '?dry_run=true');
    expect(dry.body).toMatchObject({ lines: 9, created: 2, existing: 1 });
    expect(dry.body.refused.map(({ line, external_ref, code }: any) => ({ line, external_ref, code }))).toEqual(expected);
    expect(dry.body.refused[5].detail).toBe('Line 2 has the same external_ref');

    const before = await stateFingerprint(h);
    const atomic = await importSheet(h, e.organizer, bytes);
    expect(atomic.status).toBe(422);
    expect(atomic.body.code).toBe('import_refused');
    expect(atomic.body.errors.map((x: any) => x.path)).toEqual(expected.map((x) => `line.${x.line}`));
    expect(atomic.body.errors[0].message).toMatch(/^unknown_org: /);
    expect(await stateFingerprint(h)).toEqual(before);

    const rest = await importSheet(h, e.organizer, bytes, '?atomic=false');
    expect(rest.status, rest.text).toBe(201);
    expect(rest.body).toMatchObject({ created: 2, existing: 1 });
    expect(rest.body.refused).toHaveLength(6);
    const names = await h.sql.all<{ display_name: string; platform: string | null }>('SELECT display_name, platform FROM members ORDER BY member_no');
    expect(names).toEqual([
      { display_name: '老会员', platform: null },
      { display_name: '好行一', platform: 'delivery' },
      { display_name: '好行二', platform: null },
    ]);
    // The outsider organizer's subtree holds none of these orgs.
    const outside = await importSheet(h, e.outsider, sheet([HEADER, ['外人', '外卖', '和平社区', 'z-1']], 'utf-8'), '?dry_run=true');
    expect(outside.body.refused.map((r: any) => r.code)).toEqual(['forbidden']);
    expect((await importSheet(h, await h.token('worker', { member_id: 'x' }), bytes)).status).toBe(403);
  });

  it('refuses a file without the columns it needs, and keys a retry by the file’s bytes and the query', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 0 });
    const noRef = await importSheet(h, e.admin, sheet([['姓名', '所属组织'], ['张三', '和平社区']], 'utf-8'));
    expect(noRef.status).toBe(422);
    expect(noRef.body.code).toBe('import_columns_missing');
    expect((await importSheet(h, e.admin, new Uint8Array())).body.code).toBe('import_columns_missing');

    const one = sheet([HEADER, ['张三', '外卖', '和平社区', 'k-1']], 'gb18030');
    const other = sheet([HEADER, ['李四', '外卖', '和平社区', 'k-2']], 'gb18030');
    // A dry run writes nothing, not even its answer under the key.
    expect((await importSheet(h, e.admin, one, '?dry_run=true', 'text/csv', 'dry-1')).status).toBe(200);
    expect(await h.sql.all("SELECT key FROM idempotency_keys WHERE key = 'dry-1'")).toEqual([]);
    // A refused file's answer is kept under its key; the same file with another query is another request.
    const bad = sheet([HEADER, ['张三', '外卖', '和平社区', 'k-9'], ['无组织', '外卖', '无此社区', 'k-10']], 'utf-8');
    expect((await importSheet(h, e.admin, bad, '', 'text/csv', 'import-1')).body.code).toBe('import_refused');
    expect((await importSheet(h, e.admin, bad, '', 'text/csv', 'import-1')).headers.get('Idempotent-Replayed')).toBe('true');
    expect((await importSheet(h, e.admin, bad, '?atomic=false', 'text/csv', 'import-1')).body.code).toBe('idempotency_key_reused');
    const first = await importSheet(h, e.admin, one, '', 'text/csv', 'import-2');
    expect(first.status).toBe(201);
    const replay = await importSheet(h, e.admin, one, '', 'text/csv', 'import-2');
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    // Other bytes under the same key: refused, not replayed.
    expect((await importSheet(h, e.admin, other, '', 'text/csv', 'import-2')).body.code).toBe('idempotency_key_reused');
    expect(await h.sql.all('SELECT external_ref FROM members')).toEqual([{ external_ref: 'k-1' }]);
  });
});
