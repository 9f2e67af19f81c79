import { describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { earningProgramme } from './support/earning.js';
import { redemptionProgramme } from './support/redemption.js';

const past = (h: Harness) => new Date(h.clock.now().getTime() - 3_600_000).toISOString();

describe("what others see of a shared transaction and of the leaderboard", () => {
  it("a worker reading a roster's credit sees only its own posting; the hash stays the whole transaction's", async () => {
    const h = await createHarness();
    const e = await earningProgramme(h);
    const event = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: { org_id: e.community.id, activity_code: 'hazard_resolved', title: '清理积水', starts_at: past(h), roster: e.riders.map((r) => ({ member_id: r.id })) },
    });
    expect(event.status, event.text).toBe(201);
    const path = `/v1/transactions/${event.body.transaction.id}`;
    const whole = await h.call('GET', path, { token: e.admin });
    expect(whole.body.postings).toHaveLength(4);
    expect(whole.body.other_postings).toBeUndefined();
    const before = await stateFingerprint(h);

    const mine = await h.call('GET', path, { token: await e.workerToken(1) });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.postings).toEqual([{ account_id: e.riders[1]!.account_id, amount: '20.00' }]);
    expect(mine.body.other_postings).toBe(3);
    expect(mine.body).toMatchObject({ hash: whole.body.hash, prev_hash: whole.body.prev_hash, seq: whole.body.seq });
    for (const other of [e.riders[0]!, e.riders[2]!]) expect(mine.text).not.toContain(other.id);
    expect(mine.text).not.toContain(e.street.budget_account_id);

    // The organizer of the street reads its budget and its members: the whole roster.
    const organizer = await h.call('GET', path, { token: e.organizer });
    expect([organizer.body.postings.length, organizer.body.other_postings]).toEqual([4, 0]);
    // An organizer of the community reads its members' postings, not the street's budget.
    const below = await h.call('GET', path, { token: await h.token('organizer', { sub: 'community-zhou', org_id: e.community.id }) });
    expect(below.body.postings.map((p: any) => p.account_id).sort()).toEqual(e.riders.map((r) => r.account_id).sort());
    expect(below.body.other_postings).toBe(1);
    // An organizer elsewhere reads nothing of it.
    expect((await h.call('GET', path, { token: e.outsider })).status).toBe(403);
    expect(await stateFingerprint(h)).toEqual(before);
    await expectSoundLedger(h, e.admin);
  });

  it("a merchant sees its own leg of a redemption and of a refund, never the worker's account", async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    const redeemed = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.charger.id });
    expect(redeemed.status, redeemed.text).toBe(201);
    const seen = await h.call('GET', `/v1/transactions/${redeemed.body.transaction.id}`, { token: r.shopToken });
    expect(seen.status, seen.text).toBe(200);
    expect(seen.body.postings).toEqual([{ account_id: r.shop.account_id, amount: '10.00' }]);
    expect(seen.body.other_postings).toBe(1);
    expect(seen.text).not.toContain(r.riders[0]!.account_id);
    const refund = await h.call('POST', `/v1/redemptions/${redeemed.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: 'no stock' } });
    expect(refund.status, refund.text).toBe(200);
    expect(refund.body.transaction.postings).toEqual([{ account_id: r.shop.account_id, amount: '-10.00' }]);
    expect(refund.body.transaction.other_postings).toBe(1);
    // The worker sees its own leg of the same refund; the ledger moved as a whole.
    const workerSide = await h.call('GET', `/v1/transactions/${refund.body.transaction.id}`, { token: await r.workerToken(0) });
    expect(workerSide.body.postings).toEqual([{ account_id: r.riders[0]!.account_id, amount: '10.00' }]);
    expect((await h.call('GET', `/v1/accounts/${r.riders[0]!.account_id}`, { token: r.admin })).body.balance.posted).toBe('100.00');
    await expectSoundLedger(h, r.admin);
  });

  it('the leaderboard shows ranks and names, member ids only to admins and auditors, and marks a worker its own entry', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    for (const [i, code] of [[0, 'hazard_resolved'], [1, 'hazard_resolved'], [2, 'volunteer_hour']] as const) {
      const res = await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: r.riders[i]!.id, activity_code: code, occurred_at: past(h), units: '1' } });
      expect(res.status, res.text).toBe(201);
    }
    const board = (token: string) => h.call('GET', `/v1/leaderboards?org_id=${r.street.id}`, { token });
    const ids = r.riders.map((x) => x.id);

    const audited = await board(await h.token('auditor'));
    expect(audited.body.items.map((i: any) => [i.rank, i.member_id, i.points])).toEqual([
      [1, [ids[0], ids[1]].sort()[0], '20.00'],
      [1, [ids[0], ids[1]].sort()[1], '20.00'],
      [3, ids[2], '10.00'],
    ]);
    const asWorker = await board(await r.workerToken(1));
    expect(asWorker.status).toBe(200);
    expect(asWorker.body.items.map((i: any) => [i.rank, i.display_name, i.points, i.is_me ?? false])).toEqual(
      audited.body.items.map((i: any) => [i.rank, i.display_name, i.points, i.member_id === ids[1]]),
    );
    for (const token of [r.shopToken, r.organizer, await r.workerToken(1)]) {
      const seen = await board(token);
      expect(seen.body.items).toHaveLength(3);
      for (const id of ids) expect(seen.text).not.toContain(id);
      if (token === r.shopToken) expect(seen.body.items.some((i: any) => i.is_me)).toBe(false);
    }
    await expectSoundLedger(h, r.admin);
  });
});
