import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { earningProgramme, posted } from './support/earning.js';
import { ATTENDANCE_CODE } from '../src/attendance/code.js';

const MIN = 60_000;
const STEP = ATTENDANCE_CODE.stepSeconds * 1000;

let h: Harness;
let e: Awaited<ReturnType<typeof earningProgramme>>;
let workers: string[];

beforeEach(async () => {
  h = await createHarness();
  e = await earningProgramme(h);
  workers = [await e.workerToken(0), await e.workerToken(1), await e.workerToken(2)];
});

/** An event of the community starting now and ending in three hours, taking attendance. */
async function eventTakingAttendance(options: { org_id?: string; token?: string; title?: string; window?: Record<string, string> } = {}) {
  const start = h.clock.now();
  const created = await h.call('POST', '/v1/events', {
    token: options.token ?? e.organizer,
    body: {
      org_id: options.org_id ?? e.community.id,
      activity_code: 'volunteer_hour',
      title: options.title ?? '文明交通劝导',
      starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + 180 * MIN).toISOString(),
    },
  });
  expect(created.status, created.text).toBe(201);
  const opened = await h.call('POST', `/v1/events/${created.body.event.id}/attendance`, { token: options.token ?? e.organizer, body: options.window ?? {} });
  expect(opened.status, opened.text).toBe(201);
  return { id: created.body.event.id as string, window: opened.body };
}

async function codeOf(eventId: string, token = e.organizer): Promise<string> {
  const res = await h.call('GET', `/v1/events/${eventId}/attendance/code`, { token });
  expect(res.status, res.text).toBe(200);
  expect(res.body.code).toMatch(new RegExp(`^[${ATTENDANCE_CODE.alphabet}]{${ATTENDANCE_CODE.length}}$`));
  expect(res.body.qr_svg.startsWith('<svg')).toBe(true);
  return res.body.code;
}

const checkIn = (token: string, code: string, headers: Record<string, string> = {}) => h.call('POST', '/v1/me/check-ins', { token, body: { code }, headers });
const checkOut = (token: string, code: string) => h.call('POST', '/v1/me/check-outs', { token, body: { code } });
const list = async (eventId: string, token = e.organizer) => {
  const res = await h.call('GET', `/v1/events/${eventId}/attendance`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body;
};

/** Asserts a refusal by its code and that nothing at all was written. */
async function expectRefusedUnchanged(call: () => Promise<{ status: number; body: any; text: string }>, status: number, code: string) {
  const before = await stateFingerprint(h);
  const res = await call();
  expect(res.status, res.text).toBe(status);
  expect(res.body.code).toBe(code);
  expect(await stateFingerprint(h)).toEqual(before);
  return res;
}

describe('check-in and check-out with the rotating code', () => {
  it('gives the hours from check-in to check-out, clipped to the event and rounded down to the step', async () => {
    // Attendance stays open an hour after the event's end; hours count only to the end.
    const start = h.clock.now().getTime();
    const ev = await eventTakingAttendance({ window: { closes_at: new Date(start + 240 * MIN).toISOString() } });
    h.clock.advance(10 * MIN);
    const code = await codeOf(ev.id);
    const first = await checkIn(workers[0]!, code);
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ event_id: ev.id, member_id: e.riders[0]!.id, checked_in_at: h.clock.now().toISOString(), checked_out_at: null, hours: null });
    expect((await checkIn(workers[1]!, code)).status).toBe(201);

    h.clock.advance(145 * MIN); // 2 h 25 min after checking in
    const out = await checkOut(workers[0]!, await codeOf(ev.id));
    expect(out.status, out.text).toBe(201);
    expect(out.body.hours).toBe('2.00'); // rounded down to 0.5 h
    h.clock.advance(65 * MIN); // 40 minutes past the event's end
    const late = await checkOut(workers[1]!, await codeOf(ev.id));
    expect(late.body.hours).toBe('2.50'); // 08:10 to 11:00

    const l = await list(ev.id);
    expect(l.hours_step).toBe('0.50');
    expect(l.attendees).toEqual([
      expect.objectContaining({ member_id: e.riders[0]!.id, display_name: '骑手0', member_no: expect.stringMatching(/^\d+$/), hours: '2.00', measured_hours: '2.00', source: 'checked_in', corrections: [] }),
      expect.objectContaining({ member_id: e.riders[1]!.id, hours: '2.50', source: 'checked_in' }),
    ]);
    const rows = await h.sql.all('SELECT member_id, at FROM attendance_check_ins ORDER BY member_id');
    expect(rows).toHaveLength(2);
    // No coordinates anywhere: the rows hold the event, the member, the time and the step.
    expect(Object.keys((await h.sql.all('SELECT * FROM attendance_check_outs'))[0]!).sort()).toEqual(['at', 'created_at', 'event_id', 'member_id', 'step']);
  });

  it("accepts the previous step's code, refuses an older one as stale, and writes nothing", async () => {
    const ev = await eventTakingAttendance();
    const code = await codeOf(ev.id);
    h.clock.advance(STEP);
    expect((await checkIn(workers[0]!, code)).status).toBe(201);
    h.clock.advance(STEP);
    const stale = await expectRefusedUnchanged(() => checkIn(workers[1]!, code), 422, 'attendance_code_stale');
    expect(stale.body.detail).toMatch(/expired/);
    await expectRefusedUnchanged(() => checkIn(workers[1]!, 'ZZZZZZ'), 422, 'attendance_code_unknown');
  });

  it("refuses another org's event's code, and a code outside the window, writing nothing", async () => {
    const own = await eventTakingAttendance();
    const foreign = await eventTakingAttendance({ org_id: e.otherDistrict.id, token: e.outsider, title: '雨湖区活动' });
    const foreignCode = await codeOf(foreign.id, e.outsider);
    await expectRefusedUnchanged(() => checkIn(workers[0]!, foreignCode), 403, 'attendance_other_event');

    // A code shown 10 seconds before the window closes, presented 15 seconds later.
    h.clock.advance(180 * MIN - 10_000);
    const lastCode = await codeOf(own.id);
    h.clock.advance(15_000);
    await expectRefusedUnchanged(() => checkIn(workers[0]!, lastCode), 422, 'attendance_window_closed');
    expect((await h.call('GET', `/v1/events/${own.id}/attendance/code`, { token: e.organizer })).body.code).toBe('attendance_window_closed');
  });

  it('refuses a second check-in (replayed code), a check-out without check-in, and replays an Idempotency-Key', async () => {
    const ev = await eventTakingAttendance();
    const code = await codeOf(ev.id);
    const first = await checkIn(workers[0]!, code, { 'Idempotency-Key': 'check-in-1' });
    expect(first.status).toBe(201);
    const again = await checkIn(workers[0]!, code, { 'Idempotency-Key': 'check-in-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    await expectRefusedUnchanged(() => checkIn(workers[0]!, code), 409, 'already_checked_in');
    h.clock.advance(5 * MIN);
    await expectRefusedUnchanged(async () => checkIn(workers[0]!, await codeOf(ev.id)), 409, 'already_checked_in');
    await expectRefusedUnchanged(async () => checkOut(workers[1]!, await codeOf(ev.id)), 409, 'not_checked_in');
    expect(await h.sql.all('SELECT count(*) AS n FROM attendance_check_ins')).toEqual([{ n: 1 }]);
    const out = await checkOut(workers[0]!, await codeOf(ev.id));
    expect(out.status).toBe(201);
    await expectRefusedUnchanged(async () => checkOut(workers[0]!, await codeOf(ev.id)), 409, 'already_checked_out');
  });

  it('keeps the rotating code to the organizers in scope and the check-ins to workers', async () => {
    const ev = await eventTakingAttendance();
    expect((await h.call('GET', `/v1/events/${ev.id}/attendance/code`, { token: e.outsider })).status).toBe(403);
    expect((await h.call('GET', `/v1/events/${ev.id}/attendance/code`, { token: workers[0]! })).status).toBe(403);
    expect((await h.call('GET', `/v1/events/${ev.id}/attendance`, { token: e.outsider })).status).toBe(403);
    expect((await h.call('GET', `/v1/events/${ev.id}/attendance`, { token: await h.token('auditor', { sub: 'auditor-1' }) })).status).toBe(200);
    expect((await h.call('POST', `/v1/events/${ev.id}/attendance`, { token: e.outsider, body: {} })).status).toBe(403);
    expect((await h.call('POST', '/v1/me/check-ins', { token: e.organizer, body: { code: await codeOf(ev.id) } })).status).toBe(403);
    expect((await h.call('POST', `/v1/events/${ev.id}/attendance/confirm`, { token: workers[0]! })).status).toBe(403);
    await expectRefusedUnchanged(() => h.call('POST', `/v1/events/${ev.id}/attendance`, { token: e.organizer, body: {} }), 409, 'attendance_already_open');
  });
});

describe("the organizer's corrections and the confirmation", () => {
  it('keeps every correction, marks it back-filled, adds who could not check in, and confirms what the rules allow', async () => {
    const ev = await eventTakingAttendance();
    const code = await codeOf(ev.id);
    for (const w of workers.slice(0, 2)) expect((await checkIn(w, code)).status).toBe(201);
    h.clock.advance(150 * MIN);
    expect((await checkOut(workers[1]!, await codeOf(ev.id))).body.hours).toBe('2.50');

    // Rider 0 checked in and never out: nothing until the organizer settles it.
    let l = await list(ev.id);
    expect(l.attendees.find((a: any) => a.member_id === e.riders[0]!.id)).toMatchObject({ hours: null, checked_out_at: null });
    await expectRefusedUnchanged(() => h.call('POST', `/v1/events/${ev.id}/attendance/confirm`, { token: e.organizer }), 409, 'attendance_unsettled');

    const correct = (member: string, hours: string, reason: string) =>
      h.call('PATCH', `/v1/events/${ev.id}/attendance/${member}`, { token: e.organizer, body: { hours, reason } });
    expect((await correct(e.riders[0]!.id, '4', '手机没电，无法签退')).status).toBe(200);
    const second = await correct(e.riders[0]!.id, '6', '留下来清理现场');
    expect(second.status, second.text).toBe(200);
    expect(second.body).toMatchObject({ hours: '6.00', source: 'back_filled', measured_hours: null });
    expect(second.body.corrections.map((c: any) => [c.hours, c.reason])).toEqual([['4.00', '手机没电，无法签退'], ['6.00', '留下来清理现场']]);
    const added = await correct(e.riders[2]!.id, '1.5', '没有智能手机，现场登记');
    expect(added.body).toMatchObject({ checked_in_at: null, hours: '1.50', source: 'back_filled' });
    await expectRefusedUnchanged(() => correct(e.riders[2]!.id, '1.25', '不是半小时的整数倍'), 422, 'hours_off_step');
    expect((await h.call('PATCH', `/v1/events/${ev.id}/attendance/${e.riders[2]!.id}`, { token: e.outsider, body: { hours: '1', reason: 'x' } })).status).toBe(403);
    expect(await h.sql.all('SELECT count(*) AS n FROM attendance_corrections')).toEqual([{ n: 3 }]);

    l = await list(ev.id);
    expect(l.attendees.map((a: any) => [a.display_name, a.hours, a.source])).toEqual([
      ['骑手0', '6.00', 'back_filled'],
      ['骑手1', '2.50', 'checked_in'],
      ['骑手2', '1.50', 'back_filled'],
    ]);

    // Confirmed: 6 h × 10 = 60 points capped at the daily 50; 25; 15. One transaction.
    const headBefore = (await h.call('GET', '/health')).body.head_seq;
    const budgetBefore = await posted(h, e.admin, e.street.budget_account_id);
    const confirmed = await h.call('POST', `/v1/events/${ev.id}/attendance/confirm`, { token: e.organizer });
    expect(confirmed.status, confirmed.text).toBe(201);
    expect(confirmed.body.claims.map((c: any) => [c.member_id, c.units, c.status, c.points_credited])).toEqual([
      [e.riders[0]!.id, '6.00', 'approved', '50.00'],
      [e.riders[1]!.id, '2.50', 'approved', '25.00'],
      [e.riders[2]!.id, '1.50', 'approved', '15.00'],
    ]);
    expect(confirmed.body.transaction.points).toBe('90.00');
    expect((await h.call('GET', '/health')).body.head_seq).toBe(headBefore + 1);
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('50.00');
    expect(await posted(h, e.admin, e.riders[1]!.account_id)).toBe('25.00');
    expect(await posted(h, e.admin, e.riders[2]!.account_id)).toBe('15.00');
    expect(Number(budgetBefore) - Number(await posted(h, e.admin, e.street.budget_account_id))).toBe(90);
    await expectSoundLedger(h, e.admin);
    // The service-hours record keeps the whole hours (the cap clips points only), marked by where they came from.
    const hoursOf = async (i: number) => (await h.call('GET', `/v1/members/${e.riders[i]!.id}/hours`, { token: e.admin })).body;
    expect(await hoursOf(0)).toMatchObject({ total_hours: '6.00', by_source: { checked_in: '0.00', recorded: '0.00', back_filled: '6.00' } });
    expect(await hoursOf(1)).toMatchObject({ total_hours: '2.50', by_source: { checked_in: '2.50', recorded: '0.00', back_filled: '0.00' } });
    expect(await hoursOf(2)).toMatchObject({ total_hours: '1.50', by_source: { back_filled: '1.50' }, by_org: [{ org_id: e.community.id, name: '和平社区', hours: '1.50' }] });

    // Twice: the same claims, nothing written. After it, nothing changes.
    const before = await stateFingerprint(h);
    const again = await h.call('POST', `/v1/events/${ev.id}/attendance/confirm`, { token: e.organizer });
    expect(again.status, again.text).toBe(200);
    expect(again.body.claims.map((c: any) => c.id)).toEqual(confirmed.body.claims.map((c: any) => c.id));
    expect(await stateFingerprint(h)).toEqual(before);
    await expectRefusedUnchanged(() => correct(e.riders[1]!.id, '3', '太晚了'), 409, 'attendance_confirmed');
    expect((await list(ev.id)).confirmed).toMatchObject({ confirmed_by: 'organizer:organizer-wang' });
  });

  it('credits once when two confirmations race', async () => {
    const ev = await eventTakingAttendance();
    expect((await checkIn(workers[0]!, await codeOf(ev.id))).status).toBe(201);
    h.clock.advance(60 * MIN);
    expect((await checkOut(workers[0]!, await codeOf(ev.id))).body.hours).toBe('1.00');
    const answers = await Promise.all([e.organizer, e.organizer2, e.organizer].map((token) => h.call('POST', `/v1/events/${ev.id}/attendance/confirm`, { token })));
    expect(answers.filter((a) => a.status === 201), answers.map((a) => a.text).join('\n')).toHaveLength(1);
    for (const a of answers.filter((a) => a.status !== 201)) {
      expect([200, 409], a.text).toContain(a.status);
      if (a.status === 409) expect(a.body.code).toBe('attendance_confirmed');
    }
    expect(await h.sql.all('SELECT count(*) AS n FROM claims')).toEqual([{ n: 1 }]);
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('10.00');
    await expectSoundLedger(h, e.admin);
  });

  it('leaves claims above the maker-checker threshold pending, as a roster does', async () => {
    // pioneer_award: 200 points a participation, threshold 0: a second organizer decides every claim.
    const created = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: { org_id: e.community.id, activity_code: 'pioneer_award', title: '先锋骑手表彰', starts_at: h.clock.now().toISOString(), ends_at: new Date(h.clock.now().getTime() + 60 * MIN).toISOString() },
    });
    const id = created.body.event.id;
    expect((await h.call('POST', `/v1/events/${id}/attendance`, { token: e.organizer, body: {} })).status).toBe(201);
    const code = await codeOf(id);
    expect((await checkIn(workers[0]!, code)).status).toBe(201);
    h.clock.advance(40 * MIN);
    expect((await checkOut(workers[0]!, await codeOf(id))).status).toBe(201);
    const confirmed = await h.call('POST', `/v1/events/${id}/attendance/confirm`, { token: e.organizer });
    expect(confirmed.status, confirmed.text).toBe(201);
    expect(confirmed.body.claims.map((c: any) => [c.units, c.status, c.points])).toEqual([['1.00', 'pending', '200.00']]);
    expect(confirmed.body.transaction).toBeNull();
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('0.00');
    const approved = await h.call('POST', `/v1/claims/${confirmed.body.claims[0].id}/approve`, { token: e.organizer2 });
    expect(approved.status, approved.text).toBe(200);
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('200.00');
    await expectSoundLedger(h, e.admin);
  });
});
