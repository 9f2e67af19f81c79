import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { earningProgramme, posted } from './support/earning.js';

let h: Harness;
let e: Awaited<ReturnType<typeof earningProgramme>>;
beforeEach(async () => {
  h = await createHarness();
  e = await earningProgramme(h);
});
const at = (offsetMinutes = -60) => new Date(h.clock.now().getTime() + offsetMinutes * 60_000).toISOString();
const claim = (token: string, body: Record<string, unknown>) => h.call('POST', '/v1/claims', { token, body: { occurred_at: at(), ...body } });
const decide = (token: string, id: string, action: string, reason?: string) =>
  h.call('POST', `/v1/claims/${id}/${action}`, { token, ...(reason ? { body: { reason } } : {}) });
const budget = () => posted(h, e.admin, e.street.budget_account_id);
const balance = (i: number) => posted(h, e.admin, e.riders[i]!.account_id);

describe('activity types', () => {
  it('versions a change and keeps each claim on the version it was priced with', async () => {
    const first = await claim(e.organizer2, { member_id: e.riders[0]!.id, activity_code: 'hazard_resolved' });
    expect(first.body).toMatchObject({ activity_version: 1, points: '20.00', status: 'approved' });
    const put = await h.call('PUT', '/v1/activity-types/hazard_resolved', {
      token: e.admin,
      body: { name: { zh: '协助解决问题隐患', en: 'Hazard resolved' }, unit: 'participation', points_per_unit: '25', maker_checker_threshold: '30' },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({ version: 2, points_per_unit: '25.00' });
    const second = await claim(e.organizer2, { member_id: e.riders[1]!.id, activity_code: 'hazard_resolved' });
    expect(second.body).toMatchObject({ activity_version: 2, points: '25.00' });
    const again = await h.call('GET', `/v1/claims/${first.body.id}`, { token: e.admin });
    expect(again.body).toMatchObject({ activity_version: 1, points: '20.00', points_credited: '20.00' });
    const history = await h.call('GET', '/v1/activity-types/hazard_resolved', { token: e.organizer });
    expect(history.body.items.map((t: any) => [t.version, t.points_per_unit])).toEqual([[2, '25.00'], [1, '20.00']]);
    const list = await h.call('GET', '/v1/activity-types', { token: await e.workerToken(0) });
    expect(list.body.items.find((t: any) => t.code === 'hazard_resolved').version).toBe(2);
  });
});

describe('pricing', () => {
  it('prices per hour and per participation, rounding half-even', async () => {
    const hours = await claim(e.organizer, { member_id: e.riders[0]!.id, activity_code: 'volunteer_hour', units: '2.5' });
    expect(hours.body).toMatchObject({ units: '2.50', points: '25.00', points_credited: '25.00', status: 'approved' });
    await h.call('PUT', '/v1/activity-types/volunteer_hour', {
      token: e.admin,
      body: { name: { zh: '志愿服务', en: 'Volunteer service' }, unit: 'hour', points_per_unit: '0.01' },
    });
    const tiny = await claim(e.organizer, { member_id: e.riders[1]!.id, activity_code: 'volunteer_hour', units: '0.5' });
    expect(tiny.body.points).toBe('0.00'); // 0.005 → half-even → 0.00
    const odd = await claim(e.organizer, { member_id: e.riders[2]!.id, activity_code: 'volunteer_hour', units: '1.5' });
    expect(odd.body.points).toBe('0.02'); // 0.015 → 0.02
    expect(await balance(0)).toBe('25.00');
  });

  it('applies the highest matching campaign multiplier, without stacking', async () => {
    const window = { starts_at: at(-24 * 60), ends_at: at(24 * 60) };
    const make = (body: Record<string, unknown>) => h.call('POST', '/v1/campaigns', { token: e.admin, body: { ...window, ...body } });
    expect((await make({ name: '文明城市 double', multiplier: '2', activity_codes: ['volunteer_hour'] })).status).toBe(201);
    expect((await make({ name: 'street drive', multiplier: '1.5', org_id: e.street.id })).status).toBe(201);
    expect((await make({ name: 'other district', multiplier: '5', org_id: e.otherDistrict.id })).status).toBe(201);
    expect((await make({ name: 'over', multiplier: '9', starts_at: at(-3 * 24 * 60), ends_at: at(-2 * 24 * 60) })).status).toBe(201);
    const hour = await claim(e.organizer, { member_id: e.riders[0]!.id, activity_code: 'volunteer_hour', units: '1' });
    expect(hour.body).toMatchObject({ multiplier: '2', points: '20.00' }); // max(2, 1.5), not 3
    const hazard = await claim(e.organizer, { member_id: e.riders[1]!.id, activity_code: 'hazard_resolved' });
    expect(hazard.body).toMatchObject({ multiplier: '1.5', points: '30.00' });
    const bad = await make({ name: 'x', multiplier: '1.234' });
    expect(bad.status).toBe(400);
  });

  it('clips by daily and monthly caps and records what was refused and why', async () => {
    const a = await claim(e.organizer, { member_id: e.riders[0]!.id, activity_code: 'volunteer_hour', units: '4', occurred_at: at(-120) });
    expect(a.body).toMatchObject({ points: '40.00', points_credited: '40.00', points_capped: '0.00', cap_reason: null });
    const b = await claim(e.organizer, { member_id: e.riders[0]!.id, activity_code: 'volunteer_hour', units: '3', occurred_at: at(-60) });
    expect(b.body).toMatchObject({ points: '30.00', points_credited: '10.00', points_capped: '20.00', cap_reason: 'daily_cap' });
    const c = await claim(e.organizer, { member_id: e.riders[0]!.id, activity_code: 'volunteer_hour', units: '1', occurred_at: at(-30) });
    expect(c.body).toMatchObject({ points_credited: '0.00', points_capped: '10.00', transaction_id: null });
    expect(await balance(0)).toBe('50.00');
    // Revoking gives the cap back.
    await decide(e.organizer2, a.body.id, 'revoke', 'wrong rider');
    const d = await claim(e.organizer, { member_id: e.riders[0]!.id, activity_code: 'volunteer_hour', units: '2', occurred_at: at(-10) });
    expect(d.body.points_credited).toBe('20.00');
  });
});

describe('claim states', () => {
  it('walks pending → approved → revoked, with balances and budget after each', async () => {
    const worker = await e.workerToken(0);
    const report = await claim(worker, { activity_code: 'grid_report', report_ref: 'GR-001', evidence_url: 'https://grid.example/GR-001' });
    expect(report.status, report.text).toBe(201);
    expect(report.body).toMatchObject({ status: 'pending', member_id: e.riders[0]!.id, points: '5.00', points_credited: null });
    expect(await balance(0)).toBe('0.00');
    expect(await budget()).toBe('10000.00');

    const approved = await decide(e.organizer, report.body.id, 'approve');
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', points_credited: '5.00', decided_by: 'organizer:organizer-wang' });
    expect(await balance(0)).toBe('5.00');
    expect(await budget()).toBe('9995.00');
    const tx = await h.call('GET', `/v1/transactions/${approved.body.transaction_id}`, { token: worker });
    expect(tx.body).toMatchObject({ kind: 'claim_credit', ref_type: 'claim', ref_id: report.body.id });

    expect((await decide(e.organizer2, report.body.id, 'approve')).status).toBe(409);
    expect((await decide(e.organizer2, report.body.id, 'reject', 'changed my mind')).status).toBe(409);

    const revoked = await decide(e.organizer2, report.body.id, 'revoke', 'duplicate of GR-000');
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revocation_reason: 'duplicate of GR-000' });
    expect(await balance(0)).toBe('0.00');
    expect(await budget()).toBe('10000.00');
    const again = await decide(e.organizer2, report.body.id, 'revoke', 'again');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('claim_already_revoked');
    await expectSoundLedger(h, e.admin);
  });

  it('walks pending → rejected, and refuses revoking what was never approved', async () => {
    const report = await claim(await e.workerToken(1), { activity_code: 'grid_report', report_ref: 'GR-9', evidence_url: 'https://grid.example/9' });
    expect((await decide(e.organizer, report.body.id, 'revoke', 'not approved')).body.code).toBe('claim_not_approved');
    const rejected = await decide(e.organizer, report.body.id, 'reject', 'photo does not show a hazard');
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'photo does not show a hazard' });
    expect((await decide(e.organizer2, report.body.id, 'approve')).status).toBe(409);
    expect((await decide(e.organizer2, report.body.id, 'reject', 'again')).status).toBe(409);
    expect(await balance(1)).toBe('0.00');
    const pending = await h.call('GET', '/v1/claims?status=rejected', { token: e.organizer });
    expect(pending.body.items.map((c: any) => c.id)).toEqual([report.body.id]);
  });

  it('lets a revocation take a worker who already spent the points below zero', async () => {
    const credited = await claim(e.organizer, { member_id: e.riders[0]!.id, activity_code: 'hazard_resolved' });
    expect(await balance(0)).toBe('20.00');
    const spend = await h.call('POST', '/v1/adjustments', {
      token: e.admin,
      body: { reason: 'spent at a shop', postings: [{ account_id: e.riders[0]!.account_id, amount: '-15' }, { account_id: 'program:settled', amount: '15' }] },
    });
    expect(spend.status).toBe(201);
    const revoked = await decide(e.organizer2, credited.body.id, 'revoke', 'credited to the wrong rider');
    expect(revoked.status, revoked.text).toBe(200);
    expect(await balance(0)).toBe('-15.00');
    const tb = await h.call('GET', '/v1/audit/trial-balance', { token: e.admin });
    expect(tb.body.total).toBe('0.00');
    const verify = await h.call('GET', '/v1/audit/verify', { token: e.admin });
    expect(verify.body.ok).toBe(true);
    // Ordinary debits still cannot take it further down.
    const more = await h.call('POST', '/v1/adjustments', {
      token: e.admin,
      body: { reason: 'one more spend', postings: [{ account_id: e.riders[0]!.account_id, amount: '-1' }, { account_id: 'program:settled', amount: '1' }] },
    });
    expect(more.body.code).toBe('insufficient_funds');
  });
});

describe('controls', () => {
  it('refuses self-approval and records the attempt', async () => {
    const big = await claim(e.organizer, { member_id: e.riders[0]!.id, activity_code: 'pioneer_award' });
    expect(big.body).toMatchObject({ status: 'pending', points: '200.00' }); // above the threshold of 0
    const self = await decide(e.organizer, big.body.id, 'approve');
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('self_approval'); // the schema's word too: one code whichever refuses
    const refusals = await h.sql.all('SELECT kind, actor, subject_id FROM control_refusals');
    expect(refusals).toEqual([{ kind: 'self_approval', actor: 'organizer:organizer-wang', subject_id: big.body.id }]);
    expect(await balance(0)).toBe('0.00');
    const second = await decide(e.organizer2, big.body.id, 'approve');
    expect(second.body).toMatchObject({ status: 'approved', points_credited: '200.00' });
  });

  it('refuses a decision that credits the decider, and the database refuses it too', async () => {
    const riderOrganizer = await h.token('organizer', { sub: 'organizer-rider', org_id: e.street.id, member_id: e.riders[2]!.id });
    const own = await claim(riderOrganizer, { member_id: e.riders[2]!.id, activity_code: 'hazard_resolved' });
    expect(own.body.status).toBe('pending'); // never credited on submission to the recorder
    const pending = await claim(await e.workerToken(2), { activity_code: 'grid_report', report_ref: 'GR-77', evidence_url: 'https://grid.example/77' });
    expect((await decide(riderOrganizer, pending.body.id, 'approve')).status).toBe(403);
    await expect(
      h.sql.exec(`INSERT INTO claim_decisions (claim_id, decision, mode, decided_by, decided_sub, decided_member_id, created_at)
                  VALUES ('${pending.body.id}', 'reject', 'manual', 'x', 'rider-2', NULL, 'now')`),
    ).rejects.toThrow(/self_approval/);
  });

  it('needs a second organizer above the threshold, and credits within it on submission', async () => {
    const within = await claim(e.organizer, { member_id: e.riders[0]!.id, activity_code: 'hazard_resolved' });
    expect(within.body.status).toBe('approved');
    await h.call('PUT', '/v1/activity-types/hazard_resolved', {
      token: e.admin,
      body: { name: { zh: '协助解决问题隐患', en: 'Hazard resolved' }, unit: 'participation', points_per_unit: '40', maker_checker_threshold: '30' },
    });
    const above = await claim(e.organizer, { member_id: e.riders[1]!.id, activity_code: 'hazard_resolved' });
    expect(above.body).toMatchObject({ status: 'pending', points: '40.00' });
    await expect(
      h.sql.exec(`INSERT INTO claim_decisions (claim_id, decision, mode, decided_by, decided_sub, points_credited, created_at)
                  VALUES ('${above.body.id}', 'approve', 'auto', 'organizer:organizer-wang', 'organizer-wang', 4000, 'now')`),
    ).rejects.toThrow(/needs_second_approver/);
    expect((await decide(e.organizer2, above.body.id, 'approve')).body.status).toBe('approved');
  });

  it('credits a member once per event and per report reference', async () => {
    const event = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: { org_id: e.community.id, activity_code: 'hazard_resolved', title: '清理路障', starts_at: at(), roster: [{ member_id: e.riders[0]!.id }] },
    });
    expect(event.status, event.text).toBe(201);
    const twice = await claim(e.organizer, { member_id: e.riders[0]!.id, event_id: event.body.event.id });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('duplicate_claim');
    const worker = await e.workerToken(1);
    const first = await claim(worker, { activity_code: 'grid_report', report_ref: 'GR-5', evidence_url: 'https://grid.example/5' });
    expect((await claim(worker, { activity_code: 'grid_report', report_ref: 'GR-5', evidence_url: 'https://grid.example/5b' })).status).toBe(409);
    // A rejected report may be sent again; the database still credits it once.
    await decide(e.organizer, first.body.id, 'reject', 'blurry photo');
    const resent = await claim(worker, { activity_code: 'grid_report', report_ref: 'GR-5', evidence_url: 'https://grid.example/5c' });
    expect(resent.status).toBe(201);
    expect((await decide(e.organizer, resent.body.id, 'approve')).status).toBe(200);
    expect(await balance(1)).toBe('5.00');
  });

  it('keeps organizers to their subtree', async () => {
    const res = await claim(e.outsider, { member_id: e.riders[0]!.id, activity_code: 'hazard_resolved' });
    expect(res.status).toBe(403);
    const pending = await claim(await e.workerToken(0), { activity_code: 'grid_report', report_ref: 'GR-1', evidence_url: 'https://grid.example/1' });
    expect((await decide(e.outsider, pending.body.id, 'approve')).status).toBe(403);
    const event = await h.call('POST', '/v1/events', { token: e.outsider, body: { org_id: e.community.id, activity_code: 'hazard_resolved', title: 'x', starts_at: at() } });
    expect(event.status).toBe(403);
    expect((await h.call('GET', `/v1/orgs/${e.street.id}/budget`, { token: e.outsider })).status).toBe(403);
    const list = await h.call('GET', '/v1/claims', { token: e.outsider });
    expect(list.body.items).toEqual([]);
  });

  it('makes self-reports pending and insists on evidence where the type needs it', async () => {
    const worker = await e.workerToken(0);
    const before = await stateFingerprint(h);
    const missing = await claim(worker, { activity_code: 'grid_report', report_ref: 'GR-2' });
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('evidence_required');
    const forOther = await claim(worker, { member_id: e.riders[1]!.id, activity_code: 'hazard_resolved' });
    expect(forOther.status).toBe(403);
    expect(await stateFingerprint(h)).toEqual(before);
    const hazard = await claim(worker, { activity_code: 'hazard_resolved' });
    expect(hazard.body.status).toBe('pending');
    expect((await decide(worker, hazard.body.id, 'approve')).status).toBe(403);
    const mine = await h.call('GET', '/v1/claims', { token: worker });
    expect(mine.body.items.map((c: any) => c.id)).toEqual([hazard.body.id]);
  });

  it('refuses an approval the budget cannot cover, changing nothing', async () => {
    const h2 = await createHarness();
    const poor = await earningProgramme(h2, { budget: '15' });
    const pending = await h2.call('POST', '/v1/claims', {
      token: poor.organizer,
      body: { member_id: poor.riders[0]!.id, activity_code: 'pioneer_award', occurred_at: new Date(h2.clock.now().getTime() - 60_000).toISOString() },
    });
    expect(pending.body.status).toBe('pending');
    const before = await stateFingerprint(h2);
    const refused = await h2.call('POST', `/v1/claims/${pending.body.id}/approve`, { token: poor.organizer2 });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('budget_exhausted');
    expect(await stateFingerprint(h2)).toEqual(before);
    expect((await h2.call('GET', `/v1/claims/${pending.body.id}`, { token: poor.admin })).body.status).toBe('pending');
    const direct = await h2.call('POST', '/v1/claims', {
      token: poor.organizer,
      body: { member_id: poor.riders[1]!.id, activity_code: 'hazard_resolved', occurred_at: new Date(h2.clock.now().getTime() - 60_000).toISOString() },
    });
    expect(direct.body.code).toBe('budget_exhausted');
  });
});

describe('budgets', () => {
  it('shows allocated, credited, revoked, remaining and the pace to organizers in scope', async () => {
    const a = await claim(e.organizer, { member_id: e.riders[0]!.id, activity_code: 'hazard_resolved' });
    await claim(e.organizer, { member_id: e.riders[1]!.id, activity_code: 'volunteer_hour', units: '3' });
    await decide(e.organizer2, a.body.id, 'revoke', 'mistake');
    const view = await h.call('GET', `/v1/orgs/${e.street.id}/budget`, { token: e.organizer });
    expect(view.status, view.text).toBe(200);
    expect(view.body).toMatchObject({
      allocated: '10000.00',
      credited: '50.00',
      revoked: '20.00',
      remaining: '9970.00',
      // All credited today: a one-day window (the budget's first credit), not thirty.
      pace: { window_days: 1, credited_in_window: '30.00', per_day: '30.00', days_left: 332 },
    });
  });
});
