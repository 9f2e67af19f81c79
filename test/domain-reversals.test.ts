import { describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expirePoints } from '../src/audit/expiry.js';
import { appendTransaction, reversingPostings } from '../src/ledger/transactions.js';
import { findTransaction } from '../src/ledger/read.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { earningProgramme, posted } from './support/earning.js';
import { redemptionProgramme } from './support/redemption.js';

const past = (h: Harness) => new Date(h.clock.now().getTime() - 3_600_000).toISOString();

/** The generic admin reversal of a transaction, through the API. */
const reverse = (h: Harness, token: string, txId: string) =>
  h.call('POST', '/v1/adjustments', { token, body: { reason: 'undo it', reverses_transaction_id: txId } });

/** Asserts a generic reversal is refused with `code`, naming `operation`, and changes nothing. */
async function expectRefused(h: Harness, token: string, txId: string, code: string, operation: RegExp) {
  const before = await stateFingerprint(h);
  const res = await reverse(h, token, txId);
  expect(res.status, res.text).toBe(409);
  expect(res.body.code).toBe(code);
  expect(res.body.detail).toMatch(operation);
  expect(await stateFingerprint(h)).toEqual(before);
}

describe('the generic reversal refuses what a domain record owns', () => {
  it("a claim's credit (one claim or a roster's shared one) and its revocation: undone by revoking the claim, once", async () => {
    const h = await createHarness();
    const e = await earningProgramme(h);
    const budget = e.street.budget_account_id;
    const one = await h.call('POST', '/v1/claims', { token: e.organizer, body: { member_id: e.riders[0]!.id, activity_code: 'hazard_resolved', occurred_at: past(h) } });
    expect(one.status, one.text).toBe(201);
    await expectRefused(h, e.admin, one.body.transaction_id, 'reversal_owned_by_claim', /revoke/);

    const event = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: { org_id: e.community.id, activity_code: 'hazard_resolved', title: '清理积水', starts_at: past(h), roster: [{ member_id: e.riders[1]!.id }, { member_id: e.riders[2]!.id }] },
    });
    expect(event.status, event.text).toBe(201);
    await expectRefused(h, e.admin, event.body.transaction.id, 'reversal_owned_by_claim', /revoke/);
    expect(await posted(h, e.admin, budget)).toBe('9940.00');

    // The claims' own operation: each claim pays its own points back, once.
    const revoke = await h.call('POST', `/v1/claims/${one.body.id}/revoke`, { token: e.organizer2, body: { reason: 'not there' } });
    expect(revoke.status, revoke.text).toBe(200);
    const rosterClaim = event.body.claims[0].id;
    expect((await h.call('POST', `/v1/claims/${rosterClaim}/revoke`, { token: e.organizer2, body: { reason: 'not there' } })).status).toBe(200);
    await expectRefused(h, e.admin, revoke.body.revocation_transaction_id, 'reversal_owned_by_claim', /revoke/);
    expect(await posted(h, e.admin, budget)).toBe('9980.00'); // 60 credited, 40 paid back: each revocation once
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('0.00');
    expect(await posted(h, e.admin, e.riders[2]!.account_id)).toBe('20.00');
    const kinds = await h.sql.all<{ kind: string; n: number }>("SELECT kind, count(*) AS n FROM transactions WHERE kind LIKE 'claim%' OR kind = 'reversal' GROUP BY kind ORDER BY kind");
    expect(kinds).toEqual([{ kind: 'claim_credit', n: 2 }, { kind: 'claim_revocation', n: 2 }]);

    // The guard is the schema's: a reversal written straight to the executor is refused the same way.
    const credit = (await findTransaction(h.deps.db, one.body.transaction_id))!;
    const direct = h.deps.executor.write((head) => {
      const r = appendTransaction(h.deps.db, head, { kind: 'reversal', actor: 'test', reverses_id: credit.id, created_at: h.clock.now().toISOString(), postings: reversingPostings(credit.postings) });
      return { statements: r.statements, head: r.head, result: null };
    });
    await expect(direct).rejects.toMatchObject({ code: 'reversal_owned_by_claim' });
    await expectSoundLedger(h, e.admin);
  });

  it('a card redemption and its refund: undone by refunding, which revokes the card', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    const redeemed = await r.redeem(r.barberToken, { redeem_code: (await r.code(0)).code, reward_id: r.haircut.id });
    expect(redeemed.status, redeemed.text).toBe(201);
    await expectRefused(h, r.admin, redeemed.body.transaction.id, 'reversal_owned_by_redemption', /refund/);
    expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('60.00');

    const refund = await h.call('POST', `/v1/redemptions/${redeemed.body.redemption.id}/refund`, { token: r.barberToken, body: { reason: 'changed mind' } });
    expect(refund.status, refund.text).toBe(200);
    const use = await h.call('POST', `/v1/cards/${redeemed.body.card.code}/uses`, { token: r.barberToken, body: {} });
    expect(use.body.code).toBe('card_revoked');
    await expectRefused(h, r.admin, refund.body.transaction.id, 'reversal_owned_by_redemption', /refund/);
    expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('100.00');
    expect(await posted(h, r.admin, r.barber.account_id)).toBe('0.00');
    await expectSoundLedger(h, r.admin);
  });

  it('a settlement: reversed once by its own operation, after which the balance is settled again exactly once', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    expect((await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.water.id })).status).toBe(201);
    const settle = () => h.call('POST', '/v1/settlements', { token: r.admin, body: { merchant_id: r.shop.id, reference: 'BANK-1' } });
    const first = await settle();
    expect(first.status, first.text).toBe(201);
    await expectRefused(h, r.admin, first.body.transaction.id, 'reversal_owned_by_settlement', /settlements\/\{id\}\/reverse/);

    const undo = (token: string) => h.call('POST', `/v1/settlements/${first.body.settlement.id}/reverse`, { token, body: { reason: 'transfer bounced' } });
    expect((await undo(r.shopToken)).status).toBe(403);
    const reversed = await undo(r.admin);
    expect(reversed.status, reversed.text).toBe(201);
    expect(reversed.body.transaction).toMatchObject({ kind: 'settlement_reversal', reverses_id: first.body.transaction.id });
    expect(await posted(h, r.admin, r.shop.account_id)).toBe('30.00');
    expect(await posted(h, r.admin, 'program:settled')).toBe('0.00');
    const again = await undo(r.admin);
    expect([again.status, again.body.code]).toEqual([409, 'settlement_already_reversed']);
    await expectRefused(h, r.admin, reversed.body.transaction.id, 'reversal_owned_by_settlement', /reverse/);

    const second = await settle();
    expect(second.status, second.text).toBe(201);
    expect(second.body.settlement.points).toBe('30.00');
    expect((await settle()).body.code).toBe('nothing_to_settle');
    expect(await posted(h, r.admin, r.shop.account_id)).toBe('0.00');
    expect(await posted(h, r.admin, 'program:settled')).toBe('30.00');
    const rows = await h.sql.all('SELECT settlement_id, reason FROM settlement_reversals');
    expect(rows).toEqual([{ settlement_id: first.body.settlement.id, reason: 'transfer bounced' }]);
    const to = new Date(h.clock.now().getTime() + 1_000).toISOString();
    const statement = await h.call('GET', `/v1/merchants/${r.shop.id}/settlement?to=${encodeURIComponent(to)}`, { token: r.shopToken });
    expect(statement.body).toMatchObject({ settled_in_period: { count: 2, points: '60.00' }, settlements_reversed_in_period: { count: 1, points: '30.00' }, unsettled_balance: '0.00' });
    await expectSoundLedger(h, r.admin);
  });

  it('only budget allocations and adjustments are reversed generically, once; a reversal is final', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h);
    const opening = await h.call('POST', '/v1/adjustments', {
      token: e.admin,
      body: { reason: 'opening points', postings: [{ account_id: e.street.budget_account_id, amount: '-5' }, { account_id: e.riders[0]!.account_id, amount: '5' }] },
    });
    const undone = await reverse(h, e.admin, opening.body.id);
    expect(undone.status, undone.text).toBe(201);
    expect((await reverse(h, e.admin, opening.body.id)).body.code).toBe('already_reversed');
    await expectRefused(h, e.admin, undone.body.id, 'not_reversible', /adjustment/);
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('0.00');
    expect(await posted(h, e.admin, e.street.budget_account_id)).toBe('10000.00');
    // Expired points are not un-expired by a reversal either.
    await h.call('POST', '/v1/adjustments', {
      token: e.admin,
      body: { reason: 'points to lapse', postings: [{ account_id: e.street.budget_account_id, amount: '-3' }, { account_id: e.riders[1]!.account_id, amount: '3' }] },
    });
    h.deps.programme = { ...h.deps.programme, pointsExpiry: 'days:1' };
    h.clock.advance(2 * 86_400_000);
    expect(await expirePoints(h.deps)).toBe(1);
    const [expiry] = await h.sql.all<{ id: string }>("SELECT id FROM transactions WHERE kind = 'points_expiry'");
    await expectRefused(h, e.admin, expiry!.id, 'reversal_owned_by_expiry', /adjustment/);
    expect(await posted(h, e.admin, 'program:expired')).toBe('3.00');
    await expectSoundLedger(h, e.admin);
  });
});
