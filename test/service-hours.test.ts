import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger } from './support/fixtures.js';
import { posted } from './support/earning.js';
import { redemptionProgramme } from './support/redemption.js';
import { expirePoints } from '../src/audit/expiry.js';

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
  return res.body as { id: string; status: string; points_credited: string; points_capped: string };
};
const hours = async (token: string, query = '', member = r.riders[0]!.id) => {
  const res = await h.call('GET', `/v1/members/${member}/hours${query}`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body;
};

describe('the service-hours record', () => {
  it('counts approved hour claims by activity, org and source, apart from points, and a revocation takes its hours back', async () => {
    await claim(r.organizer, { activity_code: 'volunteer_hour', units: '3' });
    const long = await claim(r.organizer, { activity_code: 'volunteer_hour', units: '1.5' });
    // Participations and reports are not hours.
    await claim(r.organizer, { activity_code: 'hazard_resolved' });
    // 6 more hours the same day pass the 50-point daily cap: points are clipped, the hours are not.
    const capped = await claim(r.organizer, { activity_code: 'volunteer_hour', units: '6' });
    expect(capped).toMatchObject({ status: 'approved', points_credited: '5.00', points_capped: '55.00' });
    // A back-fill an admin recorded past the age limit is marked as such.
    await claim(r.admin, { activity_code: 'volunteer_hour', units: '2', occurred_at: ago(40 * DAY), backfill: true, backfill_reason: '纸质签到表补录' });

    const record = await hours(r.admin);
    expect(record).toMatchObject({
      member_id: r.riders[0]!.id,
      total_hours: '12.50',
      by_activity: [{ activity_code: 'volunteer_hour', name_zh: '志愿服务', name_en: 'Volunteer service', hours: '12.50' }],
      // Recorded by the street's organizer, or back-filled by an admin (the member's home org then).
      by_org: expect.arrayContaining([
        { org_id: r.street.id, name: '建设路街道', hours: '10.50' },
        { org_id: r.community.id, name: '和平社区', hours: '2.00' },
      ]),
      by_source: { checked_in: '0.00', recorded: '10.50', back_filled: '2.00' },
      level: { level: 0, thresholds: [100, 300, 600, 1000, 1500], next_at_hours: 100 },
    });
    // The points went where the rules say: 30 + 15 + 20 + 5 + 20 (the back-fill is capped by its own day).
    expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('190.00');

    // A revocation takes that claim's hours back, and only them.
    const revoked = await h.call('POST', `/v1/claims/${long.id}/revoke`, { token: r.organizer2, body: { reason: '重复登记' } });
    expect(revoked.status, revoked.text).toBe(200);
    expect(await hours(r.admin)).toMatchObject({ total_hours: '11.00', by_source: { recorded: '9.00', back_filled: '2.00' } });
    // Redeeming and expiring points leave the hours alone.
    const { code } = await r.code(0);
    const redeemed = await r.redeem(r.shopToken, { redeem_code: code, reward_id: r.water.id, quantity: 1 });
    expect(redeemed.status, redeemed.text).toBe(201);
    // 190 − 15 revoked − 30 redeemed.
    expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('145.00');
    h.deps.programme = { ...h.deps.programme, pointsExpiry: 'days:1' };
    h.clock.advance(2 * DAY);
    expect(await expirePoints(h.deps)).toBeGreaterThan(0);
    expect(Number(await posted(h, r.admin, r.riders[0]!.account_id))).toBeLessThan(145);
    expect((await hours(r.admin)).total_hours).toBe('11.00');
    await expectSoundLedger(h, r.admin);
  });

  it('bounds the range by when the service happened, while the level counts every hour to date', async () => {
    h.deps.programme = { ...h.deps.programme, hoursLevels: [2, 4, 10] };
    await claim(r.admin, { activity_code: 'volunteer_hour', units: '3', occurred_at: ago(40 * DAY), backfill: true, backfill_reason: '年初活动补录' });
    await claim(r.organizer, { activity_code: 'volunteer_hour', units: '2' });
    // This year's hours count from 1 January, programme time, whatever the range.
    const thisYear = new Date(h.clock.now().getTime() + 8 * 3_600_000).getUTCFullYear();
    const recent = await hours(r.admin, `?from=${encodeURIComponent(ago(7 * DAY))}`);
    const back = new Date(Date.parse(ago(40 * DAY)) + 8 * 3_600_000).getUTCFullYear() === thisYear ? '5.00' : '2.00';
    expect(recent.this_year).toEqual({ year: thisYear, hours: back });
    expect(recent).toMatchObject({ total_hours: '2.00', by_source: { recorded: '2.00', back_filled: '0.00' }, level: { level: 2, next_at_hours: 10 } });
    const earlier = await hours(r.admin, `?to=${encodeURIComponent(ago(7 * DAY))}`);
    expect(earlier).toMatchObject({ total_hours: '3.00', level: { level: 2 } });
    // Ten hours reach the top level: nothing next.
    await claim(r.organizer, { activity_code: 'volunteer_hour', units: '5', member_id: r.riders[0]!.id, occurred_at: ago(2 * DAY) });
    expect((await hours(r.admin)).level).toEqual({ level: 3, thresholds: [2, 4, 10], next_at_hours: null });
    // A member with none is at level 0 with zeros everywhere.
    expect(await hours(r.admin, '', r.riders[1]!.id)).toMatchObject({ total_hours: '0.00', by_activity: [], by_org: [], level: { level: 0, next_at_hours: 2 } });
  });

  it('is read by the member itself, its organizers, admins and auditors, and nobody else', async () => {
    await claim(r.organizer, { activity_code: 'volunteer_hour', units: '1' });
    const own = await r.workerToken(0);
    expect((await hours(own)).total_hours).toBe('1.00');
    // By member number too.
    const [{ member_no }] = (await h.sql.all<{ member_no: number }>('SELECT member_no FROM members WHERE id = ?', r.riders[0]!.id)) as [{ member_no: number }];
    expect((await hours(r.organizer, '', String(member_no))).total_hours).toBe('1.00');
    expect((await hours(await h.token('auditor'))).total_hours).toBe('1.00');
    // Another worker, an organizer elsewhere: as if there were no such member. A merchant: not its business.
    const other = await h.call('GET', `/v1/members/${r.riders[0]!.id}/hours`, { token: await r.workerToken(1) });
    expect(other.status).toBe(404);
    expect((await h.call('GET', `/v1/members/${r.riders[0]!.id}/hours`, { token: r.outsider })).status).toBe(404);
    expect((await h.call('GET', `/v1/members/${r.riders[0]!.id}/hours`, { token: r.shopToken })).status).toBe(403);
    const bad = await h.call('GET', `/v1/members/${r.riders[0]!.id}/hours?from=yesterday`, { token: r.admin });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });
});
