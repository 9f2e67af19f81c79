import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { redemptionProgramme, stockOf } from './support/redemption.js';

// What a merchant's counter lists (issue 20): its redemptions, newest first, with the member's name
// and number and whether each can still be refunded; and the reservations waiting to be picked up.

let h: Harness;
let r: Awaited<ReturnType<typeof redemptionProgramme>>;
beforeEach(async () => {
  h = await createHarness();
  r = await redemptionProgramme(h);
});

const MINUTE = 60_000;
type Listed = { id: string; member_name: string | null; member_no: string; reward_name: string; refunded: boolean; can_refund: boolean; refund: { reason: string } | null };

/** Every page of a merchant list, following next_cursor. */
async function allPages(token: string, path: string, limit: number) {
  const pages: Listed[][] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; text: string; body: { items: Listed[]; next_cursor: string | null } } = await h.call('GET', `${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
    expect(res.status, res.text).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    pages.push(res.body.items);
    cursor = res.body.next_cursor;
    expect(pages.length).toBeLessThan(20);
  } while (cursor);
  return pages;
}

const memberNo = async (id: string) => (await h.call('GET', `/v1/members/${id}`, { token: r.admin })).body.member_no as string;
const account = async (id: string) => (await h.call('GET', `/v1/accounts/${id}`, { token: r.admin })).body.balance as { available: string; held: string; posted: string };

/** Redeems at the shop for rider i, a minute after the last one. */
async function sale(i: number, rewardId: string, quantity = 1) {
  h.clock.advance(MINUTE);
  const res = await r.redeem(r.shopToken, { redeem_code: (await r.code(i)).code, reward_id: rewardId, quantity });
  expect(res.status, res.text).toBe(201);
  return res.body.redemption as { id: string };
}

describe('GET /v1/merchants/{id}/redemptions', () => {
  it('lists the shop’s own redemptions newest first, page by page, with names and member numbers', async () => {
    const a = await sale(0, r.water.id);
    const b = await sale(1, r.charger.id, 2);
    h.clock.advance(MINUTE);
    await r.redeem(r.barberToken, { redeem_code: (await r.code(2)).code, reward_id: r.haircut.id });
    const c = await sale(2, r.charger.id);

    const pages = await allPages(r.shopToken, `/v1/merchants/${r.shop.id}/redemptions`, 2);
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    const items = pages.flat();
    expect(items.map((x) => x.id)).toEqual([c.id, b.id, a.id]);
    expect(items[1]).toMatchObject({ reward_name: '充电宝租用', quantity: 2, points: '20.00', member_name: '骑手1', member_no: await memberNo(r.riders[1]!.id), picked_up: false, refunded: false, refund: null, can_refund: true });
    expect(items[2]).toMatchObject({ reward_name: '矿泉水一箱', member_name: '骑手0', member_no: await memberNo(r.riders[0]!.id) });
    // Never a raw member id in the rows.
    expect(JSON.stringify(items)).not.toContain(r.riders[0]!.id);

    // Admins and auditors read any shop's; the barber's list has only its own.
    const auditor = await h.token('auditor', { sub: 'auditor-1' });
    expect((await h.call('GET', `/v1/merchants/${r.shop.id}/redemptions`, { token: auditor })).body.items.map((x: Listed) => x.id)).toEqual([c.id, b.id, a.id]);
    const barber = await h.call('GET', `/v1/merchants/${r.barber.id}/redemptions`, { token: r.admin });
    expect(barber.body.items.map((x: Listed) => x.reward_name)).toEqual(['理发85折卡']);

    // A cursor from another shop's list, or no cursor at all, is refused.
    const other = await h.call('GET', `/v1/merchants/${r.shop.id}/redemptions?cursor=${barber.body.items[0].id}`, { token: r.shopToken });
    expect([other.status, other.body.code]).toEqual([400, 'invalid_cursor']);
    expect((await h.call('GET', `/v1/merchants/${r.shop.id}/redemptions?cursor=%27%3B--`, { token: r.shopToken })).status).toBe(400);
  });

  it('keeps a merchant to its own list and refuses workers and organizers', async () => {
    await sale(0, r.charger.id);
    const before = await stateFingerprint(h);
    for (const path of [`/v1/merchants/${r.shop.id}/redemptions`, `/v1/merchants/${r.shop.id}/holds`]) {
      const barber = await h.call('GET', path, { token: r.barberToken });
      expect([barber.status, barber.body.code], path).toEqual([403, 'forbidden']);
      expect((await h.call('GET', path, { token: await r.workerToken(0) })).status, path).toBe(403);
      expect((await h.call('GET', path, { token: r.organizer })).status, path).toBe(403);
    }
    expect((await h.call('GET', '/v1/merchants/mer_nope/redemptions', { token: r.admin })).status).toBe(404);
    expect((await h.call('GET', '/v1/merchants/mer_nope/holds', { token: r.admin })).status).toBe(404);
    expect(await stateFingerprint(h)).toEqual(before);
  });

  it('shows a refund (when and why) and which redemptions can still be refunded, by the one window', async () => {
    const a = await sale(0, r.water.id);
    const b = await sale(1, r.charger.id);
    const refund = await h.call('POST', `/v1/redemptions/${a.id}/refund`, { token: r.shopToken, body: { reason: '顾客买错了' } });
    expect(refund.status, refund.text).toBe(200);
    // A used discount card cannot be refunded; an unused one can.
    h.clock.advance(MINUTE);
    const card = (await r.redeem(r.barberToken, { redeem_code: (await r.code(2)).code, reward_id: r.haircut.id })).body;
    expect((await h.call('GET', `/v1/merchants/${r.barber.id}/redemptions`, { token: r.barberToken })).body.items[0].can_refund).toBe(true);
    expect((await h.call('POST', `/v1/cards/${card.card.code}/uses`, { token: r.barberToken })).status).toBe(201);
    expect((await h.call('GET', `/v1/merchants/${r.barber.id}/redemptions`, { token: r.barberToken })).body.items[0].can_refund).toBe(false);

    const list = async () => (await h.call('GET', `/v1/merchants/${r.shop.id}/redemptions`, { token: r.shopToken })).body.items as Listed[];
    const [second, first] = await list();
    expect(second).toMatchObject({ id: b.id, refunded: false, refund: null, can_refund: true });
    expect(first).toMatchObject({ id: a.id, refunded: true, can_refund: false, refund: { reason: '顾客买错了', created_at: expect.any(String) } });
    expect(await stockOf(h, r.admin, r.shop.id, r.water.id)).toBe(5);

    // Up to the last moment of the window a refund is offered; a moment later it is not, and is refused.
    const windowMs = h.deps.programme.refundWindowDays * 86_400_000;
    h.clock.advance(windowMs - 2 * MINUTE);
    expect((await list())[0]!.can_refund).toBe(true);
    h.clock.advance(MINUTE + 1);
    expect((await list()).map((x) => x.can_refund)).toEqual([false, false]);
    const before = await stateFingerprint(h);
    const late = await h.call('POST', `/v1/redemptions/${b.id}/refund`, { token: r.shopToken, body: { reason: '太晚了' } });
    expect([late.status, late.body.code]).toEqual([409, 'refund_window_closed']);
    expect(await stateFingerprint(h)).toEqual(before);
    await expectSoundLedger(h, r.admin);
  });
});

describe('GET /v1/merchants/{id}/holds', () => {
  it('lists open reservations soonest to lapse first; a pickup, a cancellation and a lapse each take one off', async () => {
    const reserve = async (i: number, rewardId: string, quantity = 1) => {
      h.clock.advance(MINUTE);
      const res = await h.call('POST', '/v1/holds', { token: await r.workerToken(i), body: { reward_id: rewardId, quantity } });
      expect(res.status, res.text).toBe(201);
      return res.body as { id: string; expires_at: string };
    };
    const x = await reserve(0, r.water.id, 2);
    const y = await reserve(1, r.charger.id);
    const z = await reserve(2, r.water.id);
    await reserve(2, r.haircut.id);
    expect(await stockOf(h, r.admin, r.shop.id, r.water.id)).toBe(2);

    const pages = await allPages(r.shopToken, `/v1/merchants/${r.shop.id}/holds`, 2);
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    const items = pages.flat() as unknown as Array<Record<string, unknown>>;
    expect(items.map((i) => i.id)).toEqual([x.id, y.id, z.id]);
    expect(items[0]).toEqual({
      id: x.id,
      created_at: expect.any(String),
      expires_at: x.expires_at,
      reward_id: r.water.id,
      reward_name: '矿泉水一箱',
      quantity: 2,
      points: '60.00',
      member_name: '骑手0',
      member_no: await memberNo(r.riders[0]!.id),
    });
    expect(Date.parse(x.expires_at) - Date.parse(items[0]!.created_at as string)).toBe(h.deps.programme.holdTtlHours * 3_600_000);
    expect((await h.call('GET', `/v1/merchants/${r.barber.id}/holds`, { token: r.barberToken })).body.items.map((i: Listed) => i.reward_name)).toEqual(['理发85折卡']);

    // Handed over: off the list, the points paid, the stock stays taken.
    const rider0 = r.riders[0]!.account_id;
    expect(await account(rider0)).toMatchObject({ posted: '100.00', held: '60.00' });
    expect((await h.call('POST', `/v1/holds/${x.id}/capture`, { token: r.shopToken })).status).toBe(201);
    expect(await account(rider0)).toMatchObject({ posted: '40.00', held: '0.00' });
    // Cancelled: off the list, the points and the stock back.
    const rider2 = r.riders[2]!.account_id;
    const heldBefore = (await account(rider2)).held;
    expect((await h.call('POST', `/v1/holds/${z.id}/void`, { token: r.shopToken })).status).toBe(200);
    expect(Number((await account(rider2)).held)).toBe(Number(heldBefore) - 30);
    expect(await stockOf(h, r.admin, r.shop.id, r.water.id)).toBe(3);
    const after = await h.call('GET', `/v1/merchants/${r.shop.id}/holds`, { token: r.shopToken });
    expect(after.body).toEqual({ items: [expect.objectContaining({ id: y.id })], next_cursor: null });
    // The pickup is now a redemption on the shop's list, marked as one.
    expect((await h.call('GET', `/v1/merchants/${r.shop.id}/redemptions`, { token: r.shopToken })).body.items).toEqual([expect.objectContaining({ reward_name: '矿泉水一箱', quantity: 2, picked_up: true, member_name: '骑手0' })]);

    // Lapsed: past its time it is no longer waiting, though the sweep has not run.
    h.clock.advance(h.deps.programme.holdTtlHours * 3_600_000);
    expect((await h.call('GET', `/v1/merchants/${r.shop.id}/holds`, { token: r.admin })).body).toEqual({ items: [], next_cursor: null });
    await expectSoundLedger(h, r.admin);
  });
});

describe('the pickups list at scale', () => {
  it('finds a merchant’s reservations by its index, not by reading every hold', async () => {
    if (h.backend === 'postgres') {
      // PostgreSQL plans by table size (a handful of rows is read whole): the index itself is what must be there.
      const indexes = await h.sql.all<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'reward_holds'");
      expect(indexes.map((i) => i.indexdef)).toContainEqual(expect.stringMatching(/reward_holds_merchant ON public\.reward_holds USING btree \(merchant_id\)/));
      return;
    }
    const plan = await h.sql.all<{ detail: string }>(
      `EXPLAIN QUERY PLAN SELECT h.id FROM reward_holds rh JOIN holds h ON h.id = rh.hold_id
       LEFT JOIN hold_resolutions x ON x.hold_id = h.id WHERE rh.merchant_id = ? AND x.hold_id IS NULL ORDER BY h.expires_at, h.id`,
      r.shop.id,
    );
    const steps = plan.map((p) => p.detail).join('\n');
    expect(steps).toContain('reward_holds_merchant');
    expect(steps).not.toMatch(/SCAN rh\b/);
  });
});
