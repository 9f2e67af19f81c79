import { describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { allocate, stateFingerprint } from './support/fixtures.js';
import { earningProgramme } from './support/earning.js';
import { redemptionProgramme } from './support/redemption.js';

// The lists people pick from (issue 19): the org tree, merchants, events and budget
// allocations — each scoped to the caller and paged with ?limit=&cursor= → { items, next_cursor }.

interface Node {
  id: string;
  name: string;
  kind: string;
  parent_id: string | null;
  budget_account_id: string;
  depth: number;
  children: Node[];
}

/** Follows next_cursor from the first page to the last; every page's answer is 200. */
async function allPages<T>(h: Harness, token: string, path: string, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: { status: number; text: string; body: { items: T[]; next_cursor: string | null } } = await h.call('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(res.status, res.text).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    pages.push(res.body.items);
    cursor = res.body.next_cursor;
    expect(pages.length).toBeLessThan(50);
  } while (cursor);
  return pages;
}

/** The nodes of a forest in tree order (each before its children). */
const walk = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...walk(n.children)]);
/** A forest reduced to ids: [id, [children]]. */
type Shape = [string, Shape[]];
const shapeOf = (nodes: Node[]): Shape[] => nodes.map((n) => [n.id, shapeOf(n.children)]);

/** A programme with a bushier tree: two cities; grids, a station and an industry committee. */
async function orgTree(h: Harness) {
  const e = await earningProgramme(h, { riders: 1 });
  const grid = await e.org('第一网格', 'grid', e.community.id);
  const station = await e.org('和平红色驿站', 'station', e.community.id);
  const industry = await e.org('快递行业党委', 'industry', e.street.id);
  const otherStreet = await e.org('窑湾街道', 'street', e.otherDistrict.id);
  const city2 = await e.org('株洲市', 'city');
  const district2 = await e.org('荷塘区', 'district', city2.id);
  // parent → children, as made: the expected tree is walked with siblings in id order (ids sort by creation).
  const under: Record<string, string[]> = {
    [e.city.id]: [e.district.id, e.otherDistrict.id],
    [e.district.id]: [e.street.id],
    [e.street.id]: [e.community.id, industry.id],
    [e.community.id]: [grid.id, station.id],
    [e.otherDistrict.id]: [otherStreet.id],
    [city2.id]: [district2.id],
  };
  const tree = (id: string): Shape => [id, [...(under[id] ?? [])].sort().map(tree)];
  return { ...e, grid, station, industry, otherStreet, city2, district2, tree };
}

describe('GET /v1/orgs', () => {
  it('gives admins and auditors the whole tree, nested, each node with its budget account and depth', async () => {
    const h = await createHarness();
    const t = await orgTree(h);
    const res = await h.call('GET', '/v1/orgs', { token: t.admin });
    expect(res.status, res.text).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    expect(shapeOf(res.body.items)).toEqual([t.city.id, t.city2.id].sort().map(t.tree));
    const nodes = walk(res.body.items);
    expect(nodes).toHaveLength(11);
    const community = nodes.find((n) => n.id === t.community.id)!;
    expect(community).toMatchObject({
      name: '和平社区',
      kind: 'community',
      parent_id: t.street.id,
      budget_account_id: t.community.budget_account_id,
      depth: 3,
    });
    expect(nodes.find((n) => n.id === t.city2.id)).toMatchObject({ name: '株洲市', kind: 'city', parent_id: null, depth: 0 });
    expect(nodes.find((n) => n.id === t.station.id)).toMatchObject({ kind: 'station', depth: 4, children: [] });

    const auditor = await h.token('auditor');
    const audited = await h.call('GET', '/v1/orgs', { token: auditor });
    expect(audited.status).toBe(200);
    expect(audited.body).toEqual(res.body);
  });

  it('pages the tree walk: every org exactly once, in tree order, later pages hanging by parent_id', async () => {
    const h = await createHarness();
    const t = await orgTree(h);
    const whole = walk((await h.call('GET', '/v1/orgs', { token: t.admin })).body.items);
    for (const limit of [1, 3, 5]) {
      const pages = await allPages<Node>(h, t.admin, '/v1/orgs', limit);
      expect(pages).toHaveLength(Math.ceil(11 / limit));
      const flat = pages.flatMap(walk);
      expect(flat.map((n) => n.id)).toEqual(whole.map((n) => n.id));
      expect(new Set(flat.map((n) => n.id)).size).toBe(11);
      for (const page of pages) {
        const ids = new Set(walk(page).map((n) => n.id));
        // A top-level node of a page is one whose parent is not on it; a nested one's parent is.
        for (const top of page) expect(top.parent_id === null || !ids.has(top.parent_id), `${limit}: ${top.name}`).toBe(true);
        expect(walk(page).length).toBeLessThanOrEqual(limit);
      }
      // depth is the same wherever the page cut falls.
      expect(flat.map((n) => n.depth)).toEqual(whole.map((n) => n.depth));
    }
  });

  it("keeps an organizer to its own org and below, and org_id to a subtree in scope", async () => {
    const h = await createHarness();
    const t = await orgTree(h);
    const own = await h.call('GET', '/v1/orgs', { token: t.organizer });
    expect(own.status, own.text).toBe(200);
    expect(shapeOf(own.body.items)).toEqual([t.tree(t.street.id)]);
    expect(own.body.items[0]).toMatchObject({ id: t.street.id, depth: 0, parent_id: t.district.id });
    const theirs = await h.call('GET', '/v1/orgs', { token: t.outsider });
    expect(shapeOf(theirs.body.items)).toEqual([t.tree(t.otherDistrict.id)]);
    // Paged, the organizer still sees nothing outside its subtree.
    const pages = await allPages<Node>(h, t.organizer, '/v1/orgs', 2);
    expect(pages.flatMap(walk).map((n) => n.id)).toEqual(walk(own.body.items).map((n) => n.id));

    const sub = await h.call('GET', `/v1/orgs?org_id=${t.community.id}`, { token: t.organizer });
    expect(shapeOf(sub.body.items)).toEqual([t.tree(t.community.id)]);
    expect(sub.body.items[0].depth).toBe(0);
    const adminSub = await h.call('GET', `/v1/orgs?org_id=${t.city2.id}`, { token: t.admin });
    expect(shapeOf(adminSub.body.items)).toEqual([t.tree(t.city2.id)]);

    for (const [token, query, status, code] of [
      [t.organizer, `?org_id=${t.otherDistrict.id}`, 403, 'forbidden'],
      [t.organizer, `?org_id=${t.district.id}`, 403, 'forbidden'],
      [t.outsider, `?org_id=${t.community.id}`, 403, 'forbidden'],
      [t.organizer, '?org_id=org_nope', 404, 'not_found'],
      // A cursor naming an org outside the caller's scope, or none, or not an id at all.
      [t.organizer, `?cursor=${t.otherStreet.id}`, 400, 'invalid_cursor'],
      [t.admin, '?cursor=org_nope', 400, 'invalid_cursor'],
      [t.admin, '?cursor=%2F..%2F', 400, 'invalid_cursor'],
      [t.admin, '?limit=0', 400, 'validation_failed'],
      [t.admin, '?limit=501', 400, 'validation_failed'],
    ] as const) {
      const res = await h.call('GET', `/v1/orgs${query}`, { token });
      expect(res.status, `${query}: ${res.text}`).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body.code).toBe(code);
    }
    for (const token of [await t.workerToken(0), await h.token('merchant', { merchant_id: 'mer_x' })]) {
      expect((await h.call('GET', '/v1/orgs', { token })).status).toBe(403);
    }
  });
});

describe('GET /v1/merchants', () => {
  it('lists every merchant by name for admins and auditors, only itself for a merchant, never for others', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    const register = async (name: string, org_id: string) => {
      const res = await h.call('POST', '/v1/merchants', { token: r.admin, body: { name, org_id } });
      expect(res.status, res.text).toBe(201);
      return res.body as { id: string; account_id: string; created_at: string };
    };
    const garage = await register('A修车铺', r.street.id);
    const pharmacy = await register('雨湖药店', r.otherDistrict.id);
    // The barber's only card reward is taken off: no card rewards now, one goods reward left.
    const retire = await h.call('PATCH', `/v1/merchants/${r.barber.id}/rewards/${r.repair.id}`, { token: r.barberToken, body: { active: false } });
    expect(retire.status, retire.text).toBe(200);

    const res = await h.call('GET', '/v1/merchants', { token: r.admin });
    expect(res.status, res.text).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    // Names in code-point order (ASCII first), then id.
    expect(res.body.items.map((m: { name: string }) => m.name)).toEqual(['A修车铺', '和平便利店', '建设路理发店', '雨湖药店']);
    const byId = new Map(res.body.items.map((m: { id: string }) => [m.id, m]));
    expect(byId.get(r.shop.id)).toEqual({
      id: r.shop.id,
      name: '和平便利店',
      org_id: r.community.id,
      org_name: '和平社区',
      account_id: r.shop.account_id,
      created_at: h.clock.now().toISOString(),
      has_card_rewards: false,
      active_rewards: 2,
    });
    expect(byId.get(r.barber.id)).toMatchObject({ has_card_rewards: true, active_rewards: 1 });
    expect(byId.get(garage.id)).toMatchObject({ org_id: r.street.id, org_name: '建设路街道', has_card_rewards: false, active_rewards: 0 });

    const auditor = await h.token('auditor');
    expect((await h.call('GET', '/v1/merchants', { token: auditor })).body).toEqual(res.body);
    const inOther = await h.call('GET', `/v1/merchants?org_id=${r.otherDistrict.id}`, { token: auditor });
    expect(inOther.body.items.map((m: { id: string }) => m.id)).toEqual([pharmacy.id]);
    const inStreet = await h.call('GET', `/v1/merchants?org_id=${r.street.id}`, { token: r.admin });
    expect(inStreet.body.items.map((m: { id: string }) => m.id)).toEqual([garage.id, r.shop.id, r.barber.id]);

    const pages = await allPages<{ id: string }>(h, r.admin, '/v1/merchants', 1);
    expect(pages.map((p) => p.map((m) => m.id))).toEqual(res.body.items.map((m: { id: string }) => [m.id]));

    const mine = await h.call('GET', '/v1/merchants', { token: r.barberToken });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ items: [byId.get(r.barber.id)], next_cursor: null });
    const filtered = await h.call('GET', `/v1/merchants?org_id=${r.community.id}`, { token: r.barberToken });
    expect([filtered.status, filtered.body.code]).toEqual([400, 'forbidden_filter']);
    expect((await h.call('GET', `/v1/merchants?cursor=${r.shop.id}x`, { token: r.admin })).body.code).toBe('invalid_cursor');
    expect((await h.call('GET', `/v1/merchants?cursor=${r.shop.id}`, { token: r.barberToken })).body.code).toBe('invalid_cursor');
    expect((await h.call('GET', `/v1/merchants?org_id=${r.otherDistrict.id}&cursor=${r.shop.id}`, { token: r.admin })).body.code).toBe('invalid_cursor');
    expect((await h.call('GET', `/v1/merchants?org_id=org_nope`, { token: r.admin })).status).toBe(404);
    for (const token of [r.organizer, await r.workerToken(0)]) expect((await h.call('GET', '/v1/merchants', { token })).status).toBe(403);
  });
});

describe('GET /v1/events', () => {
  async function events(h: Harness) {
    const e = await earningProgramme(h, { riders: 3 });
    const ago = (hours: number) => new Date(h.clock.now().getTime() - hours * 3_600_000).toISOString();
    const record = async (token: string, org_id: string, title: string, hours: number, activity_code = 'volunteer_hour', roster: unknown[] = []) => {
      const res = await h.call('POST', '/v1/events', { token, body: { org_id, activity_code, title, starts_at: ago(hours), roster } });
      expect(res.status, res.text).toBe(201);
      return res.body as { event: { id: string; starts_at: string }; claims: Array<{ id: string; status: string }> };
    };
    const [r0, r1, r2] = e.riders.map((r) => r.id);
    const cleanup = await record(e.organizer, e.community.id, '清理楼道', 5, 'volunteer_hour', [{ member_id: r0, units: '2' }, { member_id: r1, units: '3' }]);
    const award = await record(e.organizer, e.street.id, '先锋骑手评选', 30, 'pioneer_award', [{ member_id: r2 }]);
    const talk = await record(e.organizer2, e.community.id, '交通安全宣讲', 50);
    const far = await record(e.outsider, e.otherDistrict.id, '雨湖区义诊', 10);
    const farOld = await record(e.outsider, e.otherDistrict.id, '雨湖区献血', 200);
    // Revoke one of the cleanup's credits: it counts no more.
    const revoke = await h.call('POST', `/v1/claims/${cleanup.claims[1]!.id}/revoke`, { token: e.organizer2, body: { reason: '当天没有到场' } });
    expect(revoke.status, revoke.text).toBe(200);
    return { ...e, ago, cleanup, award, talk, far, farOld };
  }
  const idsOf = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((x) => x.id);

  it('lists events latest first with roster size and points credited; organizers only their subtree', async () => {
    const h = await createHarness();
    const v = await events(h);
    const res = await h.call('GET', '/v1/events', { token: v.admin });
    expect(res.status, res.text).toBe(200);
    expect(idsOf(res)).toEqual([v.cleanup, v.far, v.award, v.talk, v.farOld].map((x) => x.event.id));
    const [cleanup, , award, talk] = res.body.items;
    expect(cleanup).toMatchObject({
      org_id: v.community.id,
      org_name: '和平社区',
      title: '清理楼道',
      activity_code: 'volunteer_hour',
      starts_at: v.cleanup.event.starts_at,
      created_by: 'organizer:organizer-wang',
      roster_size: 2,
      pending: 0,
      credited_claims: 1,
      credited: '20.00',
    });
    expect(award).toMatchObject({ org_name: '建设路街道', roster_size: 1, pending: 1, credited_claims: 0, credited: '0.00' });
    expect(talk).toMatchObject({ roster_size: 0, pending: 0, credited: '0.00' });
    expect((await h.call('GET', '/v1/events', { token: await h.token('auditor') })).body).toEqual(res.body);

    const own = await h.call('GET', '/v1/events', { token: v.organizer });
    expect(idsOf(own)).toEqual([v.cleanup, v.award, v.talk].map((x) => x.event.id));
    const theirs = await h.call('GET', '/v1/events', { token: v.outsider });
    expect(idsOf(theirs)).toEqual([v.far, v.farOld].map((x) => x.event.id));
    const community = await h.call('GET', `/v1/events?org_id=${v.community.id}`, { token: v.organizer });
    expect(idsOf(community)).toEqual([v.cleanup, v.talk].map((x) => x.event.id));
    const adminFar = await h.call('GET', `/v1/events?org_id=${v.otherDistrict.id}`, { token: v.admin });
    expect(idsOf(adminFar)).toEqual([v.far, v.farOld].map((x) => x.event.id));
  });

  it('filters by when the event happened and pages every event exactly once', async () => {
    const h = await createHarness();
    const v = await events(h);
    // from inclusive, to exclusive, on the start.
    const window = await h.call('GET', `/v1/events?from=${encodeURIComponent(v.award.event.starts_at)}&to=${encodeURIComponent(v.cleanup.event.starts_at)}`, { token: v.admin });
    expect(window.status, window.text).toBe(200);
    expect(idsOf(window)).toEqual([v.far, v.award].map((x) => x.event.id));
    const since = await h.call('GET', `/v1/events?from=${encodeURIComponent(v.ago(40))}`, { token: v.organizer });
    expect(idsOf(since)).toEqual([v.cleanup, v.award].map((x) => x.event.id));
    // An offset is an instant like any other.
    const beijing = new Date(new Date(v.ago(40)).getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    expect(idsOf(await h.call('GET', `/v1/events?to=${encodeURIComponent(beijing)}`, { token: v.admin }))).toEqual([v.talk, v.farOld].map((x) => x.event.id));

    const all = idsOf(await h.call('GET', '/v1/events', { token: v.admin }));
    for (const limit of [1, 2]) {
      const pages = await allPages<{ id: string }>(h, v.admin, '/v1/events', limit);
      expect(pages).toHaveLength(Math.ceil(5 / limit));
      expect(pages.flat().map((x) => x.id)).toEqual(all);
    }
    const scoped = await allPages<{ id: string }>(h, v.organizer, `/v1/events?from=${encodeURIComponent(v.ago(100))}`, 1);
    expect(scoped.flat().map((x) => x.id)).toEqual([v.cleanup, v.award, v.talk].map((x) => x.event.id));
  });

  it('refuses out-of-scope orgs, bad dates and cursors, and roles without events', async () => {
    const h = await createHarness();
    const v = await events(h);
    const before = await stateFingerprint(h);
    for (const [token, query, status, code] of [
      [v.organizer, `?org_id=${v.otherDistrict.id}`, 403, 'forbidden'],
      [v.outsider, `?org_id=${v.community.id}`, 403, 'forbidden'],
      [v.organizer, `?org_id=${v.city.id}`, 403, 'forbidden'],
      [v.admin, '?org_id=org_nope', 404, 'not_found'],
      [v.admin, '?from=2026-02-30T00:00:00Z', 400, 'validation_failed'],
      [v.admin, '?from=yesterday', 400, 'validation_failed'],
      [v.admin, '?to=2026-03-01', 400, 'validation_failed'],
      [v.admin, `?from=${encodeURIComponent(v.ago(1))}&to=${encodeURIComponent(v.ago(2))}`, 400, 'validation_failed'],
      [v.admin, '?cursor=evt_nope', 400, 'invalid_cursor'],
      [v.organizer, `?cursor=${v.far.event.id}`, 400, 'invalid_cursor'],
      [v.admin, '?cursor=%E9%95%BF', 400, 'invalid_cursor'],
    ] as const) {
      const res = await h.call('GET', `/v1/events${query}`, { token });
      expect(res.status, `${query}: ${res.text}`).toBe(status);
      expect(res.body.code).toBe(code);
    }
    for (const token of [await v.workerToken(0), await h.token('merchant', { merchant_id: 'mer_x' })]) {
      const res = await h.call('GET', '/v1/events', { token });
      expect([res.status, res.body.code]).toEqual([403, 'forbidden']);
    }
    expect(await stateFingerprint(h)).toEqual(before);
  });
});

describe('GET /v1/budget-allocations', () => {
  it('lists allocations newest first with amounts and reversals; organizers see only their subtree', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 0 });
    const street = (await h.call('GET', '/v1/audit/transactions?kind=budget_allocation', { token: e.admin })).body.items[0];
    const community = await allocate(h, e.admin, e.community.id, '500');
    const far = await allocate(h, e.admin, e.otherDistrict.id, '300.5');
    const district = await allocate(h, e.admin, e.district.id, '200');
    const reversal = await h.call('POST', '/v1/adjustments', { token: e.admin, body: { reason: '拨错了', reverses_transaction_id: district.transaction.id } });
    expect(reversal.status, reversal.text).toBe(201);
    const ids = (res: { body: { items: Array<{ transaction_id: string }> } }) => res.body.items.map((a) => a.transaction_id);

    const res = await h.call('GET', '/v1/budget-allocations', { token: e.admin });
    expect(res.status, res.text).toBe(200);
    expect(ids(res)).toEqual([district.transaction.id, far.transaction.id, community.transaction.id, street.id]);
    expect(res.body.items.map((a: { org_name: string; amount: string }) => [a.org_name, a.amount])).toEqual([
      ['岳塘区', '200.00'],
      ['雨湖区', '300.50'],
      ['和平社区', '500.00'],
      ['建设路街道', '10000.00'],
    ]);
    expect(res.body.items[0]).toEqual({
      transaction_id: district.transaction.id,
      seq: district.transaction.seq,
      org_id: e.district.id,
      org_name: '岳塘区',
      amount: '200.00',
      memo: null,
      actor: 'admin:admin-1',
      created_at: h.clock.now().toISOString(),
      hash: district.transaction.hash,
      reversed_by: reversal.body.id,
    });
    expect(res.body.items[1].reversed_by).toBeNull();
    expect((await h.call('GET', '/v1/budget-allocations', { token: await h.token('auditor') })).body).toEqual(res.body);

    expect(ids(await h.call('GET', '/v1/budget-allocations', { token: e.organizer }))).toEqual([community.transaction.id, street.id]);
    expect(ids(await h.call('GET', '/v1/budget-allocations', { token: e.outsider }))).toEqual([far.transaction.id]);
    expect(ids(await h.call('GET', `/v1/budget-allocations?org_id=${e.community.id}`, { token: e.organizer }))).toEqual([community.transaction.id]);
    expect(ids(await h.call('GET', `/v1/budget-allocations?org_id=${e.district.id}`, { token: e.admin }))).toEqual([district.transaction.id, community.transaction.id, street.id]);

    const pages = await allPages<{ transaction_id: string }>(h, e.admin, '/v1/budget-allocations', 1);
    expect(pages.map((p) => p.map((a) => a.transaction_id))).toEqual(ids(res).map((id) => [id]));
    const scoped = await allPages<{ transaction_id: string }>(h, e.organizer, '/v1/budget-allocations', 1);
    expect(scoped.flat().map((a) => a.transaction_id)).toEqual([community.transaction.id, street.id]);

    for (const [token, query, status, code] of [
      [e.organizer, `?org_id=${e.district.id}`, 403, 'forbidden'],
      [e.outsider, `?org_id=${e.street.id}`, 403, 'forbidden'],
      [e.admin, '?org_id=org_nope', 404, 'not_found'],
      [e.admin, `?cursor=${street.id}`, 400, 'invalid_cursor'],
      [e.admin, '?cursor=0', 400, 'invalid_cursor'],
    ] as const) {
      const r = await h.call('GET', `/v1/budget-allocations${query}`, { token });
      expect(r.status, `${query}: ${r.text}`).toBe(status);
      expect(r.body.code).toBe(code);
    }
    for (const token of [await h.token('worker', { member_id: 'mem_x' }), await h.token('merchant', { merchant_id: 'mer_x' })]) {
      expect((await h.call('GET', '/v1/budget-allocations', { token })).status).toBe(403);
    }
  });
});
