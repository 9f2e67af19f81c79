import { describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { earningProgramme, posted } from './support/earning.js';

/** Registers `count` members in one set-based write (test set-up, not the API under test). */
async function manyMembers(h: Harness, homeOrg: string, count: number): Promise<string[]> {
  const seq = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})`;
  await h.sql.exec(
    `INSERT INTO accounts (id, kind, owner_id, no_overdraft, created_at) ${seq} SELECT 'worker:bulk_' || i, 'worker', 'bulk_' || i, 1, 'x' FROM n`,
    `INSERT INTO members (id, home_org_id, account_id, created_at) ${seq} SELECT 'bulk_' || i, '${homeOrg}', 'worker:bulk_' || i, 'x' FROM n`,
  );
  return Array.from({ length: count }, (_, i) => `bulk_${i + 1}`);
}

describe('a roster of 1,000 participants', () => {
  it('is one request, one claim each, one crediting transaction', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { budget: '50000' });
    const ids = await manyMembers(h, e.community.id, 1000);
    const headBefore = (await h.call('GET', '/health')).body.head_seq;
    const res = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: {
        org_id: e.community.id,
        activity_code: 'volunteer_hour',
        title: '高考护航 exam-day support',
        starts_at: new Date(h.clock.now().getTime() - 3_600_000).toISOString(),
        location: '湘潭市第一中学',
        roster: ids.map((member_id, i) => ({ member_id, units: i % 2 ? '2' : '1.5' })),
      },
    });
    expect(res.status, res.text.slice(0, 500)).toBe(201);
    expect(res.body.claims).toHaveLength(1000);
    expect(res.body.refused).toEqual([]);
    expect(res.body.claims.every((c: any) => c.status === 'approved')).toBe(true);
    // 500 × 15 + 500 × 20 = 17,500 points
    expect(res.body.transaction.points).toBe('17500.00');
    expect((await h.call('GET', '/health')).body.head_seq).toBe(headBefore + 1);
    expect(await posted(h, e.admin, 'worker:bulk_1')).toBe('15.00');
    expect(await posted(h, e.admin, 'worker:bulk_1000')).toBe('20.00');
    expect(await posted(h, e.admin, e.street.budget_account_id)).toBe('32500.00');
    const event = await h.call('GET', `/v1/events/${res.body.event.id}`, { token: e.organizer });
    expect(event.body.claims).toHaveLength(1000);
    await expectSoundLedger(h, e.admin);
  });

  it('records nothing when one participant is refused and the request is atomic', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { budget: '50000' });
    const ids = await manyMembers(h, e.community.id, 1000);
    ids[500] = 'mem_nobody';
    const before = await stateFingerprint(h);
    const res = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: {
        org_id: e.community.id,
        activity_code: 'hazard_resolved',
        title: '清理积水',
        starts_at: new Date(h.clock.now().getTime() - 3_600_000).toISOString(),
        roster: ids.map((member_id) => ({ member_id })),
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('claims_refused');
    expect(res.body.errors).toEqual([{ path: 'claims.500', message: expect.stringMatching(/^unknown_member/) }]);
    expect(await stateFingerprint(h)).toEqual(before);
    expect(await h.sql.all('SELECT count(*) AS n FROM claims')).toEqual([{ n: 0 }]);
    expect(await h.sql.all('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
  });

  it('records the rest and lists the refused when asked not to be atomic', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { budget: '50000' });
    const ids = await manyMembers(h, e.community.id, 1000);
    const roster = ids.map((member_id) => ({ member_id }));
    roster[10] = { member_id: 'mem_nobody' };
    roster[20] = { member_id: ids[19]! }; // listed twice
    const res = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: { org_id: e.community.id, activity_code: 'hazard_resolved', title: '清理积水', starts_at: new Date(h.clock.now().getTime() - 60_000).toISOString(), roster, atomic: false },
    });
    expect(res.status, res.text.slice(0, 300)).toBe(201);
    expect(res.body.claims).toHaveLength(998);
    expect(res.body.refused.map((r: any) => [r.index, r.code])).toEqual([[10, 'unknown_member'], [20, 'duplicate_claim']]);
    expect(res.body.transaction.points).toBe('19960.00');
    expect(await posted(h, e.admin, e.street.budget_account_id)).toBe('30040.00');
    await expectSoundLedger(h, e.admin);
  });

  it('refuses the whole roster when the budget cannot cover it', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { budget: '100' });
    const ids = await manyMembers(h, e.community.id, 10);
    const before = await stateFingerprint(h);
    const res = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: { org_id: e.community.id, activity_code: 'hazard_resolved', title: '清理积水', starts_at: new Date(h.clock.now().getTime() - 60_000).toISOString(), roster: ids.map((member_id) => ({ member_id })), atomic: false },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('budget_exhausted');
    expect(await stateFingerprint(h)).toEqual(before);
  });
});

describe('concurrent decisions on one claim', () => {
  it('approve many times at once: exactly one credit', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h);
    const pending = await h.call('POST', '/v1/claims', {
      token: e.organizer,
      body: { member_id: e.riders[0]!.id, activity_code: 'pioneer_award', occurred_at: new Date(h.clock.now().getTime() - 60_000).toISOString() },
    });
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.call('POST', `/v1/claims/${pending.body.id}/approve`, { token: e.organizer2 })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('200.00');
    await expectSoundLedger(h, e.admin);
  });
});

describe('an event with no roster yet', () => {
  it('is recorded with no claims and no transaction (it answered 500 before)', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h);
    const res = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: { org_id: e.community.id, activity_code: 'volunteer_hour', title: '文明交通劝导', starts_at: new Date(h.clock.now().getTime() - 3_600_000).toISOString() },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.claims).toEqual([]);
    expect(await h.sql.all('SELECT count(*) AS n FROM events')).toEqual([{ n: 1 }]);
  });
});
