import { expect } from 'vitest';
import type { Harness } from './harness-core.js';
import { allocate, member, programme } from './fixtures.js';

/** A programme ready to earn: activity types, two organizers of one street, a budget, riders. */
export async function earningProgramme(h: Harness, options: { budget?: string; riders?: number } = {}) {
  const p = await programme(h);
  const defineType = async (body: Record<string, unknown>) => {
    const res = await h.call('POST', '/v1/activity-types', { token: p.admin, body });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  await defineType({ code: 'volunteer_hour', name: { zh: '志愿服务', en: 'Volunteer service' }, unit: 'hour', points_per_unit: '10', daily_cap: '50', monthly_cap: '300' });
  await defineType({ code: 'grid_report', name: { zh: '上报有价值信息', en: 'Valuable grid report' }, unit: 'report', points_per_unit: '5', requires_evidence: true });
  await defineType({ code: 'hazard_resolved', name: { zh: '协助解决问题隐患', en: 'Hazard resolved' }, unit: 'participation', points_per_unit: '20', maker_checker_threshold: '30' });
  await defineType({ code: 'pioneer_award', name: { zh: '先锋骑手', en: 'Pioneer rider award' }, unit: 'participation', points_per_unit: '200', maker_checker_threshold: '0' });
  if (options.budget !== '0') await allocate(h, p.admin, p.street.id, options.budget ?? '10000');
  const organizer = await h.token('organizer', { sub: 'organizer-wang', org_id: p.street.id });
  const organizer2 = await h.token('organizer', { sub: 'organizer-li', org_id: p.street.id });
  const outsider = await h.token('organizer', { sub: 'organizer-zhao', org_id: p.otherDistrict.id });
  const riders: Array<{ id: string; account_id: string; member_no: string }> = [];
  for (let i = 0; i < (options.riders ?? 3); i++) riders.push(await member(h, p.admin, p.community.id, { display_name: `骑手${i}` }));
  const workerToken = (i: number) => h.token('worker', { sub: `rider-${i}`, member_id: riders[i]!.id });
  return { ...p, organizer, organizer2, outsider, riders, workerToken };
}

/** The posted balance of an account, as a decimal string. */
export async function posted(h: Harness, token: string, accountId: string): Promise<string> {
  const res = await h.call('GET', `/v1/accounts/${accountId}`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body.balance.posted;
}
