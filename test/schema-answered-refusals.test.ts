import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { posted } from './support/earning.js';
import { redemptionProgramme } from './support/redemption.js';
import { captureHold, reserveHold } from '../src/ledger/holds.js';

// Refusals the routes no longer check in code before the write: the schema's
// guard answers them (its word mapped through src/refusals/), with the same
// status and code as the check did, and nothing is written.

let h: Harness;
let r: Awaited<ReturnType<typeof redemptionProgramme>>;
beforeEach(async () => {
  h = await createHarness();
  r = await redemptionProgramme(h);
});

describe('refusals answered by the schema', () => {
  it("refuses a discount card at another merchant's till (card_wrong_merchant), using nothing", async () => {
    const card = (await r.redeem(r.barberToken, { redeem_code: (await r.code(0)).code, reward_id: r.haircut.id })).body.card;
    const before = await stateFingerprint(h);
    const elsewhere = await h.call('POST', `/v1/cards/${card.code}/uses`, { token: r.shopToken, body: { bill_cny: '50.00' } });
    expect(elsewhere.status, elsewhere.text).toBe(403);
    expect(elsewhere.body).toMatchObject({ code: 'card_wrong_merchant', detail: 'This discount card is for another merchant' });
    expect(await stateFingerprint(h)).toEqual(before);
    expect(await h.sql.all('SELECT count(*) AS n FROM card_uses')).toEqual([{ n: 0 }]);
    // Its own merchant still has both uses.
    const own = await h.call('POST', `/v1/cards/${card.code}/uses`, { token: r.barberToken, body: {} });
    expect(own.body).toMatchObject({ use: 1, card: { uses_left: 1 } });
  });

  it('refuses a refund past the window (refund_window_closed), and a second refund late too (already_refunded)', async () => {
    const goods = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.charger.id });
    const refunded = await r.redeem(r.shopToken, { redeem_code: (await r.code(1)).code, reward_id: r.charger.id });
    expect((await h.call('POST', `/v1/redemptions/${refunded.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: 'changed mind' } })).status).toBe(200);
    h.clock.advance(7 * 86_400_000 + 1);
    const before = await stateFingerprint(h);
    const late = await h.call('POST', `/v1/redemptions/${goods.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: 'too late' } });
    expect(late.status, late.text).toBe(409);
    expect(late.body).toMatchObject({ code: 'refund_window_closed', detail: 'The refund window for this redemption has closed' });
    const again = await h.call('POST', `/v1/redemptions/${refunded.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: 'again' } });
    expect(again.status, again.text).toBe(409);
    expect(again.body.code).toBe('already_refunded');
    expect(await stateFingerprint(h)).toEqual(before);
    expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('90.00');
    expect(await posted(h, r.admin, r.riders[1]!.account_id)).toBe('100.00');
    await expectSoundLedger(h, r.admin);
  });

  it('refuses capturing more than a hold reserved (capture_exceeds_hold), moving nothing', async () => {
    const worker = r.riders[0]!.account_id;
    const now = h.clock.now();
    const { statements, hold } = reserveHold(h.deps.db, {
      account_id: worker, destination_account_id: `merchant:${r.shop.id}:redeemed`, amount: 2_000, ref_type: null, ref_id: null, actor: 't',
      expires_at: new Date(now.getTime() + 60_000).toISOString(), created_at: now.toISOString(),
    });
    await h.deps.executor.write(() => ({ statements, result: null }));
    const before = await stateFingerprint(h);
    const capture = h.deps.executor.write((head) => {
      const c = captureHold(h.deps.db, head, hold, { amount: 2_001, actor: 't', created_at: h.clock.now().toISOString() });
      return { statements: c.statements, result: c.transaction, head: c.head };
    });
    await expect(capture).rejects.toMatchObject({ status: 422, code: 'capture_exceeds_hold' });
    expect(await stateFingerprint(h)).toEqual(before);
    expect(await h.sql.all('SELECT posted, held FROM accounts WHERE id = ?', worker)).toEqual([{ posted: 10_000, held: 2_000 }]);
    expect(await h.sql.all('SELECT count(*) AS n FROM hold_resolutions')).toEqual([{ n: 0 }]);
    await expectSoundLedger(h, r.admin);
  });
});
