import { beforeEach, describe, expect, it } from 'vitest';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { redemptionProgramme } from './support/redemption.js';

let h: Harness;
let r: Awaited<ReturnType<typeof redemptionProgramme>>;
beforeEach(async () => {
  h = await createHarness();
  r = await redemptionProgramme(h);
});
const DAY = 86_400_000;
const ago = (ms: number) => new Date(h.clock.now().getTime() - ms).toISOString();
const claim = async (token: string, body: Record<string, unknown>) => {
  const res = await h.call('POST', '/v1/claims', { token, body: { member_id: r.riders[0]!.id, occurred_at: ago(60_000), ...body } });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string };
};
const period = () => ({ from: ago(60 * DAY), to: ago(-DAY) });
type Issued = { certificates: Array<{ number: string; jws: string; url: string }> };
const issue = async (token: string, body = period(), key?: string) => {
  const res = await h.call('POST', '/v1/me/certificates', { token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
  expect(res.status, res.text).toBe(201);
  return res.body as Issued;
};
const publicView = async (number: string) => {
  const res = await h.call('GET', `/v1/public/certificates/${number}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
};
/** Hours in two orgs: 3 + 1.5 recorded by the street's organizer, 2 back-filled by an admin (the member's home community). */
const hoursInTwoOrgs = async () => {
  const three = await claim(r.organizer, { activity_code: 'volunteer_hour', units: '3' });
  const long = await claim(r.organizer, { activity_code: 'volunteer_hour', units: '1.5' });
  await claim(r.admin, { activity_code: 'volunteer_hour', units: '2', occurred_at: ago(40 * DAY), backfill: true, backfill_reason: '纸质签到表补录' });
  return { three, long };
};

describe('service-record certificates', () => {
  it('issues one signed certificate per recording org, numbered from its register, verifiable with the published key', async () => {
    await hoursInTwoOrgs();
    const worker = await r.workerToken(0);
    const issued = await issue(worker, period(), 'cert-1');
    expect(issued.certificates).toHaveLength(2);
    const [{ member_no }] = (await h.sql.all<{ member_no: number }>('SELECT member_no FROM members WHERE id = ?', r.riders[0]!.id)) as [{ member_no: number }];
    const head = (await h.call('GET', '/health')).body.head_seq as number;

    const jwks = createLocalJWKSet((await h.call('GET', '/.well-known/jwks.json')).body as JSONWebKeySet);
    const byOrg = new Map<string, { number: string; jws: string; url: string; content: any }>();
    for (const cert of issued.certificates) {
      const { payload, protectedHeader } = await compactVerify(cert.jws, jwks);
      expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'jifen-certificate+jwt' });
      const content = JSON.parse(new TextDecoder().decode(payload));
      expect(cert.url).toBe(`/verify/certificates/${cert.number}`);
      byOrg.set(content.issuing_org.id, { ...cert, content });
      // A changed byte of the content fails the signature.
      const [header, body, signature] = cert.jws.split('.') as [string, string, string];
      const flipped = body.slice(0, 10) + (body[10] === 'A' ? 'B' : 'A') + body.slice(11);
      await expect(compactVerify(`${header}.${flipped}.${signature}`, jwks)).rejects.toThrow();
    }
    const street = byOrg.get(r.street.id)!, community = byOrg.get(r.community.id)!;
    expect(street.content).toMatchObject({
      number: `${r.street.id}-000001`,
      issuing_org: { id: r.street.id, name: '建设路街道' },
      member: { member_no },
      hours_by_activity: [{ activity_code: 'volunteer_hour', name_zh: '志愿服务', hours: '4.50' }],
      total_hours: '4.50',
      level: 0,
      ledger_seq: head,
    });
    expect(community.content).toMatchObject({ number: `${r.community.id}-000001`, issuing_org: { name: '和平社区' }, total_hours: '2.00' });

    // The public check: valid, not revoked, exactly the content — nothing else about the member.
    const shown = await publicView(street.number);
    expect(shown).toEqual({ valid: true, revoked: false, content: street.content });
    // The page anyone opens from the QR code says so, in Chinese by default, with the pages' CSP.
    const page = await h.call('GET', street.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.text).toContain('data-verdict="valid"');
    expect(page.text).toContain('这份证明真实有效');
    expect(page.text).toContain('建设路街道');
    expect(page.text).toContain(`<dd>${member_no}</dd>`);
    expect(page.text).toContain('志愿服务: 4.50 小时');
    expect(page.text).not.toContain(r.riders[0]!.id);
    const english = await h.call('GET', `${street.url}?lang=en`);
    expect(english.text).toContain('This certificate is authentic and in force');
    expect(english.text).toContain('Volunteer service: 4.50 hours');

    // The same key replays the first answer; a second request is the org's next number.
    const replay = await h.call('POST', '/v1/me/certificates', { token: worker, body: JSON.parse(JSON.stringify(period())), headers: { 'idempotency-key': 'cert-1' } });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(issued);
    const again = await issue(worker);
    expect(again.certificates.map((c) => c.number).sort()).toEqual([`${r.community.id}-000002`, `${r.street.id}-000002`].sort());
    expect(Number((await h.sql.all<{ n: number }>('SELECT count(*) AS n FROM certificates'))[0]!.n)).toBe(4);
    // The register is the database's: only the org's next number is admitted, and a certificate never changes.
    const row = `'${r.street.id}', 'mem', 'a', 'b', '{}', 'x.y.z', '[]', 'worker:x', 'now'`;
    await expect(h.sql.exec(`INSERT INTO certificates (number, org_seq, org_id, member_id, period_from, period_to, content, jws, claim_ids, issued_by, created_at) VALUES ('skip', 9, ${row})`)).rejects.toThrow(/certificate_number_moved/);
    await expect(h.sql.exec(`INSERT INTO certificates (number, org_seq, org_id, member_id, period_from, period_to, content, jws, claim_ids, issued_by, created_at) VALUES ('again', 2, ${row})`)).rejects.toThrow(/certificate_number_moved|UNIQUE/);
    await expect(h.sql.exec(`UPDATE certificates SET content = '{}' WHERE number = '${street.number}'`)).rejects.toThrow(/append_only/);

    // The register, for admins and auditors, within an org's subtree when asked.
    // The community lies under the street: the street's subtree holds all four, the community's its own two.
    expect((await h.call('GET', `/v1/certificates?org_id=${r.street.id}`, { token: r.admin })).body.items).toHaveLength(4);
    const register = await h.call('GET', `/v1/certificates?org_id=${r.community.id}&limit=1`, { token: await h.token('auditor') });
    expect(register.status, register.text).toBe(200);
    expect(register.body.items).toHaveLength(1);
    expect(register.body.items[0]).toMatchObject({ org_id: r.community.id, member_no, member_name: '骑手0', total_hours: '2.00', revoked: false });
    const next = await h.call('GET', `/v1/certificates?org_id=${r.community.id}&limit=1&cursor=${register.body.next_cursor}`, { token: r.admin });
    expect(next.body.items.map((i: { number: string }) => i.number)).toEqual([`${r.community.id}-000001`]);
    expect(next.body.next_cursor).toBeNull();
    expect((await h.call('GET', '/v1/certificates', { token: r.organizer })).status).toBe(403);
  });

  it('shows a certificate revoked by hand, or because hours it certifies were revoked since; a new one can be issued', async () => {
    const { long } = await hoursInTwoOrgs();
    const worker = await r.workerToken(0);
    const { certificates } = await issue(worker);
    const street = certificates.find((c) => c.number.startsWith(r.street.id))!;
    const community = certificates.find((c) => c.number.startsWith(r.community.id))!;

    // An organizer elsewhere cannot revoke it (as if there were none); the issuing org's organizer can.
    const outsider = await h.call('POST', `/v1/certificates/${community.number}/revoke`, { token: r.outsider, body: { reason: '信息有误' } });
    expect(outsider.status).toBe(404);
    expect((await publicView(community.number)).valid).toBe(true);
    const revoked = await h.call('POST', `/v1/certificates/${community.number}/revoke`, { token: r.admin, body: { reason: '信息有误，重新开具' } });
    expect(revoked.status, revoked.text).toBe(200);
    expect(await publicView(community.number)).toMatchObject({ valid: false, revoked: true, revoked_reason: '信息有误，重新开具' });
    const twice = await h.call('POST', `/v1/certificates/${community.number}/revoke`, { token: r.admin, body: { reason: '再次作废' } });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('certificate_already_revoked');

    // Revoking a claim it certifies revokes the street's certificate.
    expect((await publicView(street.number)).valid).toBe(true);
    const claimRevoked = await h.call('POST', `/v1/claims/${long.id}/revoke`, { token: r.organizer2, body: { reason: '重复登记' } });
    expect(claimRevoked.status, claimRevoked.text).toBe(200);
    expect(await publicView(street.number)).toMatchObject({ valid: false, revoked: true, revoked_reason: 'hours revoked', content: { total_hours: '4.50' } });
    const page = await h.call('GET', `/verify/certificates/${street.number}`);
    expect(page.text).toContain('data-verdict="revoked"');
    expect(page.text).toContain('证明中的部分服务时长后来被撤销了');
    expect((await h.call('GET', `/verify/certificates/${community.number}`)).text).toContain('作废原因：信息有误，重新开具');
    // A new one states the hours that stand.
    const fresh = await issue(worker);
    const newStreet = fresh.certificates.find((c) => c.number.startsWith(r.street.id))!;
    expect(await publicView(newStreet.number)).toMatchObject({ valid: true, revoked: false, content: { number: `${r.street.id}-000002`, total_hours: '3.00' } });
  });

  it('takes a period of programme days, lists the worker’s own certificates, and prints each as an A4 sheet whose QR code opens its check', async () => {
    // 18:00 UTC: in the programme's time (+08:00) it is already the next day.
    h.clock.advance(10 * 3600_000);
    await hoursInTwoOrgs();
    const offset = h.deps.programme.utcOffsetMinutes;
    const local = (ms: number) => new Date(ms + offset * 60_000).toISOString().slice(0, 10);
    const [first, last] = [local(h.clock.now().getTime() - 60 * DAY), local(h.clock.now().getTime())];
    const worker = await r.workerToken(0);
    const { certificates } = await issue(worker, { from: first, to: last });
    expect(certificates).toHaveLength(2);
    const street = certificates.find((c) => c.number.startsWith(r.street.id))!;
    const content = (await publicView(street.number)).content;
    // The days are the programme's (JIFEN_UTC_OFFSET): from its first midnight to the midnight after its last day.
    expect(content.period).toEqual({
      from: new Date(Date.parse(first) - offset * 60_000).toISOString(),
      to: new Date(Date.parse(last) + DAY - offset * 60_000).toISOString(),
      first_day: first,
      last_day: last,
    });
    expect(content.total_hours).toBe('4.50');
    // One day is a period too (a minute later); a last day before the first is refused in plain words.
    h.clock.advance(60_000);
    expect((await issue(worker, { from: last, to: last })).certificates.map((c) => c.number).sort()).toEqual([`${r.street.id}-000002`].sort());
    const backwards = await h.call('POST', '/v1/me/certificates', { token: worker, body: { from: last, to: first } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.code).toBe('certificate_period_invalid');

    // The worker's own list, newest first; another worker's list is its own (empty); others are refused.
    const mine = await h.call('GET', '/v1/me/certificates', { token: worker });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.items.map((i: { number: string }) => i.number)).toEqual([`${r.street.id}-000002`, ...certificates.map((c) => c.number).sort().reverse()]);
    expect(mine.body.items[0]).toMatchObject({ org_name: '建设路街道', register_no: '000002', period: { first_day: last, last_day: last }, revoked: false, url: `/verify/certificates/${r.street.id}-000002` });
    expect((await h.call('GET', '/v1/me/certificates', { token: await r.workerToken(1) })).body.items).toEqual([]);
    expect((await h.call('GET', '/v1/me/certificates', { token: r.organizer })).status).toBe(403);

    // The print sheet: the statement in words, hours by activity, the org, the date, and a QR code of the check's address.
    const sheet = await h.call('GET', `${street.url}/print`);
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(sheet.text).toContain('data-verdict="valid"');
    expect(sheet.text).toContain('建设路街道 证字第 000001 号');
    expect(sheet.text).toContain(`出具日期：${last}`);
    expect(sheet.text).toContain('志愿者星级：未评星（按累计服务时长评定）');
    expect(last).not.toBe(h.clock.now().toISOString().slice(0, 10));
    expect(sheet.text).toContain(`于 ${first} 至 ${last} 期间参加由建设路街道组织的志愿服务活动，累计服务时长 4.50 小时`);
    expect(sheet.text).toContain('<td class="num" data-total-hours="true">4.50</td>');
    expect(sheet.text).toMatch(/<div class="qr" role="img" aria-label="核验二维码：http[^"]+\/verify\/certificates\/[^"]+"><svg/);
    expect(sheet.text).not.toContain(r.riders[0]!.id);
    // With the first level at 5 hours the member's 6.5 hours are 1 star, printed as such.
    (h.deps.programme as { hoursLevels: number[] }).hoursLevels = [5, 10];
    const starred = (await issue(worker, { from: last, to: last })).certificates[0]!;
    expect((await h.call('GET', `${starred.url}/print`)).text).toContain('志愿者星级：1 星（按累计服务时长评定）');
    expect((await h.call('GET', starred.url)).text).toContain('<dd>1 星</dd>');
    const english = await h.call('GET', `${street.url}/print?lang=en`);
    expect(english.text).toContain(`This certifies that 骑手0 (member number ${content.member.member_no}) took part in volunteer service organised by 建设路街道 from ${first} to ${last}, for 4.50 hours in all`);
    expect(english.text).toContain('<h2>Volunteer service record certificate</h2>');
    const unknown = await h.call('GET', '/verify/certificates/no-such-number/print');
    expect(unknown.status).toBe(404);
  });

  it('numbers concurrent certificates of one org one after another, each once', async () => {
    for (const i of [0, 1, 2]) await claim(r.organizer, { member_id: r.riders[i]!.id, activity_code: 'volunteer_hour', units: '1' });
    const tokens = await Promise.all([0, 1, 2].map((i) => r.workerToken(i)));
    const answers = await Promise.all(tokens.map((token) => h.call('POST', '/v1/me/certificates', { token, body: period() })));
    for (const a of answers) expect(a.status, a.text).toBe(201);
    const numbers = answers.map((a) => (a.body as Issued).certificates[0]!.number).sort();
    expect(numbers).toEqual([1, 2, 3].map((n) => `${r.street.id}-00000${n}`));
    const rows = await h.sql.all<{ number: string; member_id: string }>('SELECT number, member_id FROM certificates ORDER BY org_seq');
    expect(new Set(rows.map((row) => row.member_id)).size).toBe(3);
    for (const n of numbers) expect((await publicView(n)).valid).toBe(true);
  });

  it('is issued only to the calling worker, for a period with hours; an unknown number is not found in plain words', async () => {
    await hoursInTwoOrgs();
    // Another worker gets its own (it has none); organizers and admins do not issue for anyone through /me.
    const other = await h.call('POST', '/v1/me/certificates', { token: await r.workerToken(1), body: period() });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('certificate_no_hours');
    expect((await h.call('POST', '/v1/me/certificates', { token: r.organizer, body: period() })).status).toBe(403);
    expect(Number((await h.sql.all<{ n: number }>('SELECT count(*) AS n FROM certificates'))[0]!.n)).toBe(0);
    const backwards = await h.call('POST', '/v1/me/certificates', { token: await r.workerToken(0), body: { from: ago(0), to: ago(DAY) } });
    expect(backwards.status).toBe(400);
    const unknown = await h.call('GET', '/v1/public/certificates/no-such-number');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'certificate_not_found', detail: 'No certificate has this number' });
    const unknownPage = await h.call('GET', '/verify/certificates/no-such-number');
    expect(unknownPage.status).toBe(404);
    expect(unknownPage.text).toContain('没有这个编号的证明');
  });
});
