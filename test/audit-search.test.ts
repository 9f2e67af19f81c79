import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger } from './support/fixtures.js';
import { redemptionProgramme } from './support/redemption.js';
import { TRANSACTION_KINDS } from '../src/ledger/kinds.js';

type Who = { name: string | null; member_no: string | null } | null;
type Tx = {
  id: string;
  seq: number;
  kind: string;
  actor: string;
  memo: string | null;
  reverses_id: string | null;
  prev_hash: string;
  hash: string;
  postings: Array<{ account_id: string; amount: string; account_kind: string; owner_id: string | null; owner: Who }>;
  actor_who: Who;
  claim_ids: string[];
  claim_count: number;
  redemption_id: string | null;
  reversed_by: string | null;
};

let h: Harness;
let r: Awaited<ReturnType<typeof redemptionProgramme>>;
let auditor: string;
beforeEach(async () => {
  h = await createHarness();
  r = await redemptionProgramme(h);
  auditor = await h.token('auditor', { sub: 'auditor-1' });
});

const past = (minutes = 60) => new Date(h.clock.now().getTime() - minutes * 60_000).toISOString();
async function search(query: string, token = auditor): Promise<{ items: Tx[]; next_cursor: string | null }> {
  const res = await h.call('GET', `/v1/audit/transactions?${query}`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body;
}
const memberNo = async (id: string) => (await h.call('GET', `/v1/members/${id}`, { token: r.admin })).body.member_no as string;

describe('audit search: the kinds', () => {
  it('offers exactly the kinds the schema knows', async () => {
    const rows = await h.sql.all<{ kind: string }>('SELECT kind FROM transaction_kinds ORDER BY kind');
    expect([...TRANSACTION_KINDS].sort()).toEqual(rows.map((row) => row.kind));
  });
});

describe('audit search: names and links', () => {
  it('names every account, links credits to claims, redemptions and refunds to the redemption, and reversals both ways', async () => {
    const rider0 = r.riders[0]!, rider1 = r.riders[1]!;
    const no0 = await memberNo(rider0.id);
    // A claim credited on submission (20 points, within the threshold), then revoked.
    const claim = await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: rider0.id, activity_code: 'hazard_resolved', occurred_at: past() } });
    expect(claim.status, claim.text).toBe(201);
    expect(claim.body.status).toBe('approved');
    const revoked = await h.call('POST', `/v1/claims/${claim.body.id}/revoke`, { token: r.organizer2, body: { reason: '登记错了' } });
    expect(revoked.status, revoked.text).toBe(200);
    // A redemption by code, refunded by a till whose subject is the shop's own id (so the actor has a name).
    const bought = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.water.id, quantity: 1 });
    expect(bought.status, bought.text).toBe(201);
    const till = await h.token('merchant', { sub: r.shop.id, merchant_id: r.shop.id });
    const refund = await h.call('POST', `/v1/redemptions/${bought.body.redemption.id}/refund`, { token: till, body: { reason: '水桶漏了' } });
    expect(refund.status, refund.text).toBe(200);
    // A pickup of a reserved reward by rider 1.
    const hold = await h.call('POST', '/v1/holds', { token: await r.workerToken(1), body: { reward_id: r.charger.id, quantity: 2 } });
    expect(hold.status, hold.text).toBe(201);
    const pickup = await h.call('POST', `/v1/holds/${hold.body.id}/capture`, { token: r.shopToken });
    expect(pickup.status, pickup.text).toBe(201);
    // An adjustment and its reversal.
    const adjustment = await h.call('POST', '/v1/adjustments', {
      token: r.admin,
      body: { reason: '补发夜班积分', postings: [{ account_id: r.street.budget_account_id, amount: '-7' }, { account_id: rider1.account_id, amount: '7' }] },
    });
    expect(adjustment.status, adjustment.text).toBe(201);
    const reversal = await h.call('POST', '/v1/adjustments', { token: r.admin, body: { reason: '补发错了', reverses_transaction_id: adjustment.body.id } });
    expect(reversal.status, reversal.text).toBe(201);

    // By member number: everything that touched rider 0, newest first, with the rider's leg of each.
    const mine = (await search(`member_id=${no0}`)).items;
    expect(mine.map((t) => [t.kind, t.postings.find((p) => p.account_id === rider0.account_id)!.amount])).toEqual([
      ['redemption_refund', '30.00'],
      ['redemption', '-30.00'],
      ['claim_revocation', '-20.00'],
      ['claim_credit', '20.00'],
      ['adjustment', '100.00'],
    ]);
    const [refundTx, redemptionTx, revocationTx, creditTx] = mine as [Tx, Tx, Tx, Tx];

    // The accounts by name: the rider with its number, the street's budget, the shop.
    expect(creditTx.postings).toEqual([
      { account_id: r.street.budget_account_id, amount: '-20.00', account_kind: 'budget', owner_id: r.street.id, owner: { name: '建设路街道', member_no: null } },
      { account_id: rider0.account_id, amount: '20.00', account_kind: 'worker', owner_id: rider0.id, owner: { name: '骑手0', member_no: no0 } },
    ]);
    expect(redemptionTx.postings.find((p) => p.account_id === r.shop.account_id)).toMatchObject({ account_kind: 'merchant', owner_id: r.shop.id, owner: { name: '和平便利店', member_no: null } });
    expect(refundTx.actor_who).toEqual({ name: '和平便利店', member_no: null });
    expect(creditTx.actor_who).toBeNull();

    // Credit and revocation → the claim; the claim → its transactions (the ids its own view names).
    expect(creditTx).toMatchObject({ claim_ids: [claim.body.id], claim_count: 1, redemption_id: null, reversed_by: null });
    expect(revocationTx).toMatchObject({ claim_ids: [claim.body.id], claim_count: 1 });
    const claimView = (await h.call('GET', `/v1/claims/${claim.body.id}`, { token: auditor })).body;
    expect((await search(`claim_id=${claim.body.id}`)).items.map((t) => t.id)).toEqual([claimView.revocation_transaction_id, claimView.transaction_id]);
    expect(claimView.transaction_id).toBe(creditTx.id);

    // Redemption and refund → the redemption; the refund reverses the redemption, which names the refund back.
    expect(redemptionTx).toMatchObject({ redemption_id: bought.body.redemption.id, reversed_by: refundTx.id, reverses_id: null });
    expect(refundTx).toMatchObject({ redemption_id: bought.body.redemption.id, reverses_id: redemptionTx.id, reversed_by: null });
    expect((await search(`redemption_id=${bought.body.redemption.id}`)).items.map((t) => t.kind)).toEqual(['redemption_refund', 'redemption']);
    // A pickup belongs to the redemption it recorded.
    const pickupTx = (await search('kind=hold_capture')).items;
    expect(pickupTx.map((t) => [t.redemption_id, t.postings.find((p) => p.account_kind === 'worker')!.amount])).toEqual([[pickup.body.redemption.id, '-20.00']]);
    expect((await search(`redemption_id=${pickup.body.redemption.id}`)).items.map((t) => t.id)).toEqual([pickup.body.transaction.id]);

    // The adjustment names its reversal; one transaction by id.
    const [adjusted] = (await search(`transaction_id=${adjustment.body.id}`)).items;
    expect(adjusted).toMatchObject({ kind: 'adjustment', reversed_by: reversal.body.id, memo: '补发夜班积分' });
    expect((await search(`transaction_id=${reversal.body.id}`)).items).toMatchObject([{ kind: 'reversal', reverses_id: adjustment.body.id, reversed_by: null }]);

    // By merchant: the shop's redemption, refund and pickup, and no other kind.
    const shop = (await search(`merchant_id=${r.shop.id}`)).items;
    expect(shop.map((t) => t.kind)).toEqual(['hold_capture', 'redemption_refund', 'redemption']);
    // Filters combine: the shop's refunds of rider 0.
    expect((await search(`merchant_id=${r.shop.id}&member_id=${rider0.id}&kind=redemption_refund`)).items.map((t) => t.id)).toEqual([refundTx.id]);
    // Nothing for an unknown claim or redemption.
    expect((await search('claim_id=clm_nothing')).items).toEqual([]);
    expect((await search('redemption_id=rdm_nothing')).items).toEqual([]);

    // The older contract still holds: id, seq, hashes, ref fields and decimal amounts.
    const whole = (await h.call('GET', `/v1/transactions/${creditTx.id}`, { token: auditor })).body;
    expect(creditTx).toMatchObject({ id: whole.id, seq: whole.seq, hash: whole.hash, prev_hash: whole.prev_hash, ref_type: whole.ref_type, ref_id: whole.ref_id, memo: whole.memo });
    expect(creditTx.postings.map((p) => ({ account_id: p.account_id, amount: p.amount }))).toEqual(whole.postings);

    // The amounts the search shows are the ledger's: the rider's balance is the sum of the rider's legs.
    const all = (await search(`member_id=${rider0.id}&limit=100`)).items;
    const sum = all.reduce((n, t) => n + Math.round(Number(t.postings.find((p) => p.account_id === rider0.account_id)!.amount) * 100), 0);
    expect((await h.call('GET', `/v1/accounts/${rider0.account_id}`, { token: auditor })).body.balance.posted).toBe((sum / 100).toFixed(2));
    await expectSoundLedger(h, auditor);
  });

  it('links a roster\'s one credit to every claim it paid', async () => {
    const event = await h.call('POST', '/v1/events', {
      token: r.organizer,
      body: { org_id: r.community.id, activity_code: 'volunteer_hour', title: '文明交通劝导', starts_at: past(120), roster: [{ member_id: r.riders[0]!.id, units: '2' }, { member_id: r.riders[1]!.id, units: '1' }] },
    });
    expect(event.status, event.text).toBe(201);
    const [credit] = (await search('kind=claim_credit')).items;
    const claims = (await h.call('GET', `/v1/claims?event_id=${event.body.event.id}`, { token: auditor })).body.items as Array<{ id: string; transaction_id: string }>;
    expect(claims).toHaveLength(2);
    expect(claims.every((c) => c.transaction_id === credit!.id)).toBe(true);
    expect(credit).toMatchObject({ claim_count: 2, claim_ids: claims.map((c) => c.id).sort() });
    expect(credit!.postings.map((p) => [p.owner?.name, p.amount])).toEqual(
      [[r.street.budget_account_id, '建设路街道', '-30.00'], [r.riders[0]!.account_id, '骑手0', '20.00'], [r.riders[1]!.account_id, '骑手1', '10.00']]
        .sort((x, y) => (x[0]! < y[0]! ? -1 : 1))
        .map(([, name, amount]) => [name, amount]),
    );
    for (const c of claims) expect((await search(`claim_id=${c.id}`)).items.map((t) => t.id)).toEqual([credit!.id]);
  });

  it('is for auditors and admins only, and refuses a mistyped member number in words', async () => {
    expect((await h.call('GET', '/v1/audit/transactions', { token: r.admin })).status).toBe(200);
    for (const token of [r.organizer, r.shopToken, await r.workerToken(0)]) {
      const res = await h.call('GET', `/v1/audit/transactions?claim_id=x`, { token });
      expect(res.status).toBe(403);
    }
    const no = await memberNo(r.riders[0]!.id);
    const typo = no.slice(0, -1) + String((Number(no.at(-1)) + 1) % 10);
    const res = await h.call('GET', `/v1/audit/transactions?member_id=${typo}`, { token: auditor });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('member_number_mistyped');
  });
});
