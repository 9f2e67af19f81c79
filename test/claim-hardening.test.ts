import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { stateFingerprint, expectSoundLedger, member } from './support/fixtures.js';
import { earningProgramme, posted } from './support/earning.js';

// Issue 17, rules that could be walked around: backdating past the caps,
// maker-checker escaped by splitting, a roster crediting members outside the
// organizer's subtree, and self-approval answered with two codes.

let h: Harness;
let e: Awaited<ReturnType<typeof earningProgramme>>;
beforeEach(async () => {
  h = await createHarness();
  e = await earningProgramme(h);
});
const DAY = 86_400_000;
const ago = (ms: number) => new Date(h.clock.now().getTime() - ms).toISOString();
const claim = (token: string, body: Record<string, unknown>) => h.call('POST', '/v1/claims', { token, body });
const budget = () => posted(h, e.admin, e.street.budget_account_id);

describe('backdating', () => {
  it('refuses a claim older than JIFEN_CLAIM_MAX_AGE_DAYS or in the future, on every path, with nothing written', async () => {
    const before = await stateFingerprint(h, { withRefusalRecords: true });
    for (const occurred_at of [ago(31 * DAY), '0000-01-01T00:00:00Z', ago(-10 * 60_000)]) {
      const res = await claim(e.organizer, { member_id: e.riders[0]!.id, activity_code: 'volunteer_hour', units: '1', occurred_at });
      expect(res.status, `${occurred_at}: ${res.text}`).toBe(422);
      expect(res.body.code).toBe(occurred_at > h.clock.now().toISOString() ? 'occurred_in_future' : 'claim_too_old');
    }
    // An event that started 40 days ago, with its roster, and without one.
    const old = { org_id: e.community.id, activity_code: 'volunteer_hour', title: '旧活动', starts_at: ago(40 * DAY) };
    for (const body of [{ ...old, roster: [{ member_id: e.riders[0]!.id, units: '2' }] }, old]) {
      const res = await h.call('POST', '/v1/events', { token: e.organizer, body });
      expect(res.status, res.text).toBe(422);
      expect(res.body.code).toBe('claim_too_old');
    }
    // A worker's own report, spread over past months to escape the caps.
    const worker = await claim(await e.workerToken(0), { activity_code: 'grid_report', report_ref: 'GR-1', evidence_url: 'https://grid.example/1', occurred_at: ago(60 * DAY) });
    expect(worker.status).toBe(422);
    expect(await stateFingerprint(h, { withRefusalRecords: true })).toEqual(before);
    // Within the age limit it is taken (29 days back, 4 minutes ahead of the clock).
    for (const occurred_at of [ago(29 * DAY), ago(-4 * 60_000)]) {
      const res = await claim(e.organizer, { member_id: e.riders[1]!.id, activity_code: 'volunteer_hour', units: '1', occurred_at });
      expect(res.status, res.text).toBe(201);
    }
    expect(await posted(h, e.admin, e.riders[1]!.account_id)).toBe('20.00');
  });

  it('lets only an admin record an older claim, as a back-fill with a reason, which the anomaly report lists', async () => {
    const old = { member_id: e.riders[0]!.id, activity_code: 'volunteer_hour', units: '2', occurred_at: ago(45 * DAY) };
    const byOrganizer = await claim(e.organizer, { ...old, backfill: true, backfill_reason: '纸质签到表补录' });
    expect(byOrganizer.status).toBe(403);
    const noReason = await claim(e.admin, { ...old, backfill: true });
    expect(noReason.status).toBe(400);
    const res = await claim(e.admin, { ...old, backfill: true, backfill_reason: '纸质签到表补录' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.status).toBe('approved');
    const rows = await h.sql.all<{ backfill_reason: string }>('SELECT backfill_reason FROM claims WHERE id = ?', res.body.id);
    expect(rows).toEqual([{ backfill_reason: '纸质签到表补录' }]);
    const anomalies = await h.call('GET', '/v1/audit/anomalies', { token: e.admin });
    expect(anomalies.body.items).toContainEqual(expect.objectContaining({ kind: 'backfilled_claim', subject: 'admin:admin-1', evidence: [res.body.id] }));
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('20.00');
    await expectSoundLedger(h, e.admin);
  });

  it('is a guard in the schema, whatever path inserts the claim', async () => {
    const [row] = await h.sql.all<{ id: string }>("SELECT id FROM orgs WHERE kind = 'street'");
    const insert = (occurredAt: string, backfill: string | null, role = 'organizer') =>
      h.sql.exec(`INSERT INTO claims (id, member_id, org_id, activity_code, activity_version, units, occurred_at, multiplier, points,
                    submitted_by, submitted_sub, submitted_role, created_at, max_age_days, backfill_reason, programme_day, submitter_org_id)
                  VALUES ('clm_x', '${e.riders[0]!.id}', '${e.community.id}', 'volunteer_hour', 1, 100, '${occurredAt}', '1', 1000,
                    '${role}:x', 'x', '${role}', '2026-03-01T08:00:00.000Z', 30, ${backfill === null ? 'NULL' : `'${backfill}'`}, '2026-01-01', '${row!.id}')`);
    await expect(insert('2026-01-01T00:00:00.000Z', null)).rejects.toThrow(/claim_too_old/);
    await expect(insert('2026-03-01T08:06:00.000Z', null)).rejects.toThrow(/occurred_in_future/);
    await expect(insert('2026-01-01T00:00:00.000Z', 'late', 'organizer')).rejects.toThrow(/backfill_admin_only/);
  });
});

describe('maker-checker by splitting', () => {
  beforeEach(async () => {
    const res = await h.call('POST', '/v1/activity-types', {
      token: e.admin,
      body: { code: 'patrol', name: { zh: '巡逻', en: 'Patrol' }, unit: 'hour', points_per_unit: '10', maker_checker_threshold: '100' },
    });
    expect(res.status, res.text).toBe(201);
  });
  const patrol = (token: string, occurred_at = ago(60 * 60_000), member_id = e.riders[0]!.id) =>
    claim(token, { member_id, activity_code: 'patrol', units: '1', occurred_at });

  it("counts what one organizer auto-credits a member per activity and day, not per claim", async () => {
    const statuses: string[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await patrol(e.organizer)).body.status);
    expect(statuses).toEqual([...Array(10).fill('approved'), 'pending', 'pending']);
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('100.00');
    // Another day, another member: each its own allowance.
    expect((await patrol(e.organizer, ago(DAY + 60 * 60_000))).body.status).toBe('approved');
    expect((await patrol(e.organizer, undefined, e.riders[1]!.id)).body.status).toBe('approved');
    // The pending ones go to a second organizer, who may approve them.
    const pending = await h.call('GET', '/v1/claims?status=pending', { token: e.organizer2 });
    expect(pending.body.items).toHaveLength(2);
    expect((await h.call('POST', `/v1/claims/${pending.body.items[0].id}/approve`, { token: e.organizer2 })).body.status).toBe('approved');
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('120.00');
    await expectSoundLedger(h, e.admin);
  });

  it('holds for splits sent at once and for a roster', async () => {
    const results = await Promise.all(Array.from({ length: 15 }, () => patrol(e.organizer)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(results.filter((r) => r.body.status === 'approved')).toHaveLength(10);
    const totals = await h.sql.all<{ points: number }>('SELECT points FROM auto_approval_totals');
    expect(totals).toEqual([{ points: 10000 }]);
    // A roster of the same day for the same member is counted with them.
    const event = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: { org_id: e.community.id, activity_code: 'patrol', title: '夜巡', starts_at: ago(30 * 60_000), roster: [{ member_id: e.riders[0]!.id, units: '1' }, { member_id: e.riders[1]!.id, units: '1' }] },
    });
    expect(event.status, event.text).toBe(201);
    expect(event.body.claims.map((c: { member_id: string; status: string }) => [c.member_id, c.status])).toEqual([
      [e.riders[0]!.id, 'pending'],
      [e.riders[1]!.id, 'approved'],
    ]);
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('100.00');
    await expectSoundLedger(h, e.admin);
  });
});

describe('one scope for every path that credits a member', () => {
  it('refuses a roster crediting a member whose home org is outside the organizer subtree', async () => {
    const outsider = await member(h, e.admin, e.otherDistrict.id, { display_name: '外区骑手' });
    const before = await stateFingerprint(h, { withRefusalRecords: true });
    const roster = (atomic: boolean) =>
      h.call('POST', '/v1/events', {
        token: e.organizer,
        body: { org_id: e.community.id, activity_code: 'volunteer_hour', title: '劝导', starts_at: ago(60 * 60_000), atomic, roster: [{ member_id: e.riders[0]!.id, units: '1' }, { member_id: outsider.id, units: '1' }] },
      });
    const all = await roster(true);
    expect(all.status, all.text).toBe(422);
    expect(all.body.code).toBe('claims_refused');
    expect(await stateFingerprint(h, { withRefusalRecords: true })).toEqual(before);
    const single = await claim(e.organizer, { member_id: outsider.id, activity_code: 'volunteer_hour', units: '1', occurred_at: ago(60 * 60_000) });
    expect(single.status).toBe(403);
    const some = await roster(false);
    expect(some.status, some.text).toBe(201);
    expect(some.body.refused).toEqual([expect.objectContaining({ member_id: outsider.id, status: 403, code: 'forbidden' })]);
    expect(await posted(h, e.admin, outsider.account_id)).toBe('0.00');
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('10.00');
    await expectSoundLedger(h, e.admin);
  });

  it('refuses approving a claim for a member outside the subtree, and the schema refuses such a claim', async () => {
    const outsider = await member(h, e.admin, e.otherDistrict.id, { display_name: '外区骑手' });
    // An admin records it on an event of the street (above the award threshold, so it waits).
    const event = await h.call('POST', '/v1/events', {
      token: e.admin,
      body: { org_id: e.community.id, activity_code: 'pioneer_award', title: '评选', starts_at: ago(60 * 60_000), roster: [{ member_id: outsider.id }] },
    });
    expect(event.body.claims[0].status).toBe('pending');
    const approve = await h.call('POST', `/v1/claims/${event.body.claims[0].id}/approve`, { token: e.organizer });
    expect(approve.status).toBe(403);
    expect(await posted(h, e.admin, outsider.account_id)).toBe('0.00');
    await expect(
      h.sql.exec(`INSERT INTO claims (id, member_id, org_id, activity_code, activity_version, units, occurred_at, multiplier, points,
                    submitted_by, submitted_sub, submitted_role, created_at, max_age_days, programme_day, submitter_org_id)
                  VALUES ('clm_y', '${outsider.id}', '${e.community.id}', 'volunteer_hour', 1, 100, '2026-03-01T07:00:00.000Z', '1', 1000,
                    'organizer:x', 'x', 'organizer', '2026-03-01T08:00:00.000Z', 30, '2026-03-01', '${e.street.id}')`),
    ).rejects.toThrow(/outside_scope/);
  });
});
