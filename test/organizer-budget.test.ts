import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger } from './support/fixtures.js';
import { earningProgramme, posted } from './support/earning.js';

let h: Harness;
let e: Awaited<ReturnType<typeof earningProgramme>>;
let community: string;
beforeEach(async () => {
  h = await createHarness();
  e = await earningProgramme(h);
  // An organizer of the community, which has no budget: the street above it pays.
  community = await h.token('organizer', { sub: 'organizer-community', org_id: e.community.id });
});
const credit = (units: string) =>
  h.call('POST', '/v1/claims', {
    token: community,
    body: { member_id: e.riders[0]!.id, activity_code: 'volunteer_hour', units, occurred_at: new Date(h.clock.now().getTime() - 60_000).toISOString() },
  });
const budget = (token: string, orgId: string) => h.call('GET', `/v1/orgs/${orgId}/budget`, { token });

describe('the budget an organizer reads', () => {
  it("is the budget that pays: the street's, for an organizer of a community without one", async () => {
    const before = await budget(community, e.community.id);
    expect(before.status, before.text).toBe(200);
    expect(before.body).toMatchObject({
      org_id: e.community.id,
      paying_org_id: e.street.id,
      paying_org_name: '建设路街道',
      account_id: e.street.budget_account_id,
      allocated: '10000.00',
      remaining: '10000.00',
      pace: { since: null, window_days: 0, credited_in_window: '0.00', per_day: '0.00', days_left: null },
    });
    const claim = await credit('3');
    expect(claim.body).toMatchObject({ status: 'approved', points_credited: '30.00' });
    const after = await budget(community, e.community.id);
    // The same budget crediting drew from: the street's account went down by what the rider got.
    expect(after.body).toMatchObject({ paying_org_id: e.street.id, credited: '30.00', remaining: '9970.00' });
    expect(await posted(h, e.admin, e.street.budget_account_id)).toBe('9970.00');
    expect(await posted(h, e.admin, e.community.budget_account_id)).toBe('0.00');
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('30.00');
    // The street's own organizer reads the same figures.
    expect((await budget(e.organizer, e.street.id)).body).toMatchObject({ paying_org_id: e.street.id, remaining: '9970.00' });
    // An org with no budget above it pays for itself (and has nothing).
    const alone = await budget(e.outsider, e.otherDistrict.id);
    expect(alone.body).toMatchObject({ paying_org_id: e.otherDistrict.id, allocated: '0.00', remaining: '0.00', pace: { since: null, days_left: null } });
    // Scope: a community organizer cannot ask about the street itself, nor an outsider about the community.
    expect((await budget(community, e.street.id)).status).toBe(403);
    expect((await budget(e.outsider, e.community.id)).status).toBe(403);
    await expectSoundLedger(h, e.admin);
  });

  it("paces from the budget's first credit: one day when it began today, then the days since, at most thirty", async () => {
    // 1,055 points credited today read as 1,055 a day, not 35.16.
    await h.call('POST', '/v1/activity-types', { token: e.admin, body: { code: 'big_day', name: { zh: '大型活动', en: 'Big day' }, unit: 'participation', points_per_unit: '1055' } });
    const big = await h.call('POST', '/v1/claims', {
      token: community,
      body: { member_id: e.riders[1]!.id, activity_code: 'big_day', occurred_at: new Date(h.clock.now().getTime() - 60_000).toISOString() },
    });
    expect(big.body).toMatchObject({ status: 'approved', points_credited: '1055.00' });
    const today = await budget(community, e.community.id);
    expect(today.body.pace).toEqual({ since: h.clock.now().toISOString(), window_days: 1, credited_in_window: '1055.00', per_day: '1055.00', days_left: 8 });
    expect(today.body.remaining).toBe('8945.00');

    // Ten days later another 30: 1,085 over ten days.
    h.clock.advance(10 * 86_400_000);
    await credit('3');
    const tenDays = await budget(community, e.community.id);
    expect(tenDays.body.pace).toMatchObject({ window_days: 10, credited_in_window: '1085.00', per_day: '108.50', days_left: 82 });
    expect(tenDays.body.remaining).toBe('8915.00');
    expect(await posted(h, e.admin, e.street.budget_account_id)).toBe('8915.00');

    // Fifty days in, the window is the last thirty, which saw no credit.
    h.clock.advance(40 * 86_400_000);
    const later = await budget(community, e.community.id);
    expect(later.body.pace).toMatchObject({ since: new Date(h.clock.now().getTime() - 30 * 86_400_000).toISOString(), window_days: 30, credited_in_window: '0.00', per_day: '0.00', days_left: null });
    await expectSoundLedger(h, e.admin);
  });
});
