import { beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET } from './support/harness-core.js';
import { stateFingerprint, expectSoundLedger } from './support/fixtures.js';
import { redemptionProgramme } from './support/redemption.js';
import { mintToken } from '../src/auth/mint.js';

// Issue 17, integrity: text the database cannot store exactly as it was
// hashed, numbers past the safe range, and idempotency keys shared by two
// callers. Each case asserts the ledger, not just the status.

let h: Harness;
let p: Awaited<ReturnType<typeof redemptionProgramme>>;
beforeEach(async () => {
  h = await createHarness();
  p = await redemptionProgramme(h);
});

/** A redemption, an approved claim and a settled-ready merchant: something to refund, revoke and settle. */
async function records() {
  const redeemed = await p.redeem(p.shopToken, { redeem_code: (await p.code(0)).code, reward_id: p.charger.id, quantity: 1 });
  expect(redeemed.status, redeemed.text).toBe(201);
  const claim = await h.call('POST', '/v1/claims', {
    token: p.organizer,
    body: { member_id: p.riders[1]!.id, activity_code: 'volunteer_hour', units: '1', occurred_at: '2026-02-28T10:00:00Z' },
  });
  expect(claim.status, claim.text).toBe(201);
  expect(claim.body.status).toBe('approved');
  return { redemptionId: redeemed.body.redemption.id as string, claimId: claim.body.id as string };
}

describe('text that enters a hashed transaction', () => {
  // Every text field of a write that lands in a transaction's memo, ref or actor.
  const writes = (r: { redemptionId: string; claimId: string }, text: string) => [
    { path: '/v1/settlements', token: p.admin, body: { merchant_id: p.shop.id, reference: text } },
    { path: `/v1/redemptions/${r.redemptionId}/refund`, token: p.shopToken, body: { reason: text } },
    { path: '/v1/events', token: p.organizer, body: { org_id: p.community.id, activity_code: 'volunteer_hour', title: text, starts_at: '2026-02-28T09:00:00Z', roster: [{ member_id: p.riders[2]!.id, units: '1' }] } },
    { path: `/v1/claims/${r.claimId}/revoke`, token: p.organizer2, body: { reason: text } },
    { path: '/v1/budget-allocations', token: p.admin, body: { org_id: p.street.id, amount: '5', memo: text } },
    { path: '/v1/adjustments', token: p.admin, body: { reason: text, postings: [{ account_id: p.street.budget_account_id, amount: '-1' }, { account_id: p.riders[0]!.account_id, amount: '1' }] } },
  ];

  for (const [name, text] of [
    ['a lone high surrogate', 'refund \ud800'],
    ['a lone low surrogate', '\udc00 title'],
    ['NUL', 'before\u0000after'],
    ['a bell (C0 control)', 'ding\u0007'],
    ['DEL', 'x\u007f'],
    ['a C1 control', 'x\u0085y'],
    ['an over-long string', '长'.repeat(4001)],
  ] as const) {
    it(`refuses ${name} in every such field, with nothing written`, async () => {
      const r = await records();
      const before = await stateFingerprint(h, { withRefusalRecords: true });
      for (const write of writes(r, text)) {
        const res = await h.call('POST', write.path, { token: write.token, body: write.body, headers: { 'Idempotency-Key': `k-${write.path}` } });
        expect(res.status, `${write.path}: ${res.text}`).toBe(400);
        expect(res.body.code).toBe('invalid_text');
        expect(res.body.errors[0].path).toMatch(/^body\./);
      }
      expect(await stateFingerprint(h, { withRefusalRecords: true })).toEqual(before);
      await expectSoundLedger(h, p.admin);
    });
  }

  it('keeps well-formed text exactly as sent, so the chain verifies over it', async () => {
    const r = await records();
    const text = '退款：顾客改主意\n第二行\t制表 🚴‍♂️ “引号” \\ 反斜杠 \u2028 e\u0301';
    for (const write of writes(r, text)) {
      const res = await h.call('POST', write.path, { token: write.token, body: write.body });
      expect(res.status, `${write.path}: ${res.text}`).toBeLessThan(300);
    }
    const memos = await h.sql.all<{ memo: string }>('SELECT memo FROM transactions WHERE memo = ?', text);
    expect(memos.length).toBeGreaterThanOrEqual(4);
    // (The refund after the settlement leaves the shop owing points, as documented: so no no-overdraft check here.)
    const verify = await h.call('GET', '/v1/audit/verify', { token: p.admin });
    expect(verify.body, verify.text).toMatchObject({ ok: true, balance_mismatches: [] });
    expect((await h.call('GET', '/v1/audit/trial-balance', { token: p.admin })).body.total).toBe('0.00');
  });

  it('refuses a control character in a query or a path, and a token whose subject is not plain text', async () => {
    const query = await h.call('GET', `/v1/audit/transactions?actor=${encodeURIComponent('admin:\u0000')}`, { token: p.admin });
    expect(query.status).toBe(400);
    expect(query.body).toMatchObject({ code: 'invalid_text', errors: [{ path: 'query.actor' }] });
    const path = await h.call('GET', `/v1/accounts/${encodeURIComponent('worker:\u0001')}`, { token: p.admin });
    expect(path.status).toBe(400);
    const broken = await mintToken(TEST_SECRET, { role: 'admin', sub: 'admin\ud800', issuer: TEST_ISSUER, audience: TEST_AUDIENCE }, h.clock.now());
    const before = await stateFingerprint(h, { withRefusalRecords: true });
    const res = await h.call('POST', '/v1/budget-allocations', { token: broken, body: { org_id: p.street.id, amount: '5' } });
    expect(res.status).toBe(401);
    expect(await stateFingerprint(h, { withRefusalRecords: true })).toEqual(before);
  });
});

describe('numbers past the safe range', () => {
  it('refuses a claim priced past one billion points, alone or in a roster, before anything is written', async () => {
    const type = await h.call('POST', '/v1/activity-types', {
      token: p.admin,
      body: { code: 'huge', name: { zh: '巨额', en: 'Huge' }, unit: 'hour', points_per_unit: '1000000000' },
    });
    expect(type.status, type.text).toBe(201);
    await h.call('POST', '/v1/budget-allocations', { token: p.admin, body: { org_id: p.street.id, amount: '1000000000' } });
    const before = await stateFingerprint(h, { withRefusalRecords: true });
    // 1,000,000 h × 10^9 points = 10^15 points: 10^17 hundredths, past 2^53.
    const single = await h.call('POST', '/v1/claims', {
      token: p.organizer,
      body: { member_id: p.riders[0]!.id, activity_code: 'huge', units: '1000000', occurred_at: '2026-02-28T10:00:00Z' },
    });
    expect(single.status, single.text).toBe(422);
    expect(single.body.code).toBe('amount_out_of_range');
    expect(await stateFingerprint(h, { withRefusalRecords: true })).toEqual(before);

    const roster = await h.call('POST', '/v1/events', {
      token: p.organizer,
      body: {
        org_id: p.community.id, activity_code: 'huge', title: '大型活动', starts_at: '2026-02-28T09:00:00Z', atomic: false,
        roster: [{ member_id: p.riders[0]!.id, units: '0.5' }, { member_id: p.riders[1]!.id, units: '99999999' }],
      },
    });
    expect(roster.status, roster.text).toBeLessThan(300);
    expect(roster.body.refused).toEqual([expect.objectContaining({ code: 'amount_out_of_range', member_id: p.riders[1]!.id })]);
    await expectSoundLedger(h, p.admin);
  });

  it('refuses an allocation that would take a balance past 10^11 points, and changes nothing', async () => {
    // Ninety-nine allocations of 10^9 points take issuance to −9.9 × 10^10 (plus the 10,000 of the programme).
    for (let i = 0; i < 99; i++) {
      const res = await h.call('POST', '/v1/budget-allocations', { token: p.admin, body: { org_id: p.district.id, amount: '1000000000' } });
      expect(res.status, res.text).toBe(201);
    }
    const before = await stateFingerprint(h, { withRefusalRecords: true });
    const res = await h.call('POST', '/v1/budget-allocations', { token: p.admin, body: { org_id: p.district.id, amount: '1000000000' } });
    expect(res.status, res.text).toBe(422);
    expect(res.body.code).toBe('amount_out_of_range');
    expect(await stateFingerprint(h, { withRefusalRecords: true })).toEqual(before);
    const budget = await h.call('GET', `/v1/orgs/${p.district.id}/budget`, { token: p.admin });
    expect(budget.status).toBe(200);
    expect(budget.body.allocated).toBe('99000000000.00');
    await expectSoundLedger(h, p.admin);
  });

  it('reports sums past 2^53 hundredths exactly instead of failing', async () => {
    // Accounts written by hand (no posting may pass the bound, but a sum over many accounts may pass 2^53).
    const big = 4_503_599_627_370_497; // 2^52 + 1: two of them sum past 2^53
    await h.sql.exec(
      `INSERT INTO accounts (id, kind, owner_id, no_overdraft, posted, held, created_at) VALUES ('worker:big-a', 'worker', NULL, 1, ${big}, 0, '2026-03-01T00:00:00.000Z')`,
      `INSERT INTO accounts (id, kind, owner_id, no_overdraft, posted, held, created_at) VALUES ('worker:big-b', 'worker', NULL, 1, ${big}, 0, '2026-03-01T00:00:00.000Z')`,
    );
    const tb = await h.call('GET', '/v1/audit/trial-balance', { token: p.admin });
    expect(tb.status, tb.text).toBe(200);
    expect(tb.body.balanced).toBe(false);
    const workers = tb.body.by_kind.find((k: { kind: string }) => k.kind === 'worker');
    // 2 × (2^52 + 1) + the riders' 300.00 = 9007199254740994 + 30000 hundredths, exactly.
    expect(workers.posted).toBe('90071992547709.94');
    expect(tb.body.total).toBe('90071992547409.94');
  });
});

describe('idempotency keys belong to the whole caller', () => {
  it("gives two workers who share a token subject their own answers, never each other's code", async () => {
    const a = await h.token('worker', { sub: 'shared', member_id: p.riders[0]!.id });
    const b = await h.token('worker', { sub: 'shared', member_id: p.riders[1]!.id });
    const first = await h.call('POST', '/v1/me/redeem-codes', { token: a, headers: { 'Idempotency-Key': 'code-1' } });
    const second = await h.call('POST', '/v1/me/redeem-codes', { token: b, headers: { 'Idempotency-Key': 'code-1' } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('Idempotent-Replayed')).toBeNull();
    expect(second.body.code).not.toBe(first.body.code);
    const codes = await h.sql.all<{ member_id: string }>('SELECT member_id FROM redeem_codes ORDER BY member_id');
    expect(codes.map((c) => c.member_id).sort()).toEqual([p.riders[0]!.id, p.riders[1]!.id].sort());
    // B's code spends B's points.
    const res = await p.redeem(p.shopToken, { redeem_code: second.body.code, reward_id: p.charger.id, quantity: 1 });
    expect(res.status, res.text).toBe(201);
    const rows = await h.sql.all<{ id: string; posted: number }>('SELECT id, posted FROM accounts WHERE id IN (?, ?) ORDER BY id', p.riders[0]!.account_id, p.riders[1]!.account_id);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.posted]))).toEqual({ [p.riders[0]!.account_id]: 10000, [p.riders[1]!.account_id]: 9000 });
    // The same caller again still replays.
    const again = await h.call('POST', '/v1/me/redeem-codes', { token: a, headers: { 'Idempotency-Key': 'code-1' } });
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.body.code).toBe(first.body.code);
  });

  it('gives development tokens of different members different subjects', async () => {
    const token = (member_id: string) => mintToken(TEST_SECRET, { role: 'worker', member_id, issuer: TEST_ISSUER, audience: TEST_AUDIENCE }, h.clock.now());
    const [a, b] = await Promise.all([token(p.riders[0]!.id), token(p.riders[1]!.id)]);
    expect(decodeJwt(a).sub).not.toBe(decodeJwt(b).sub);
  });
});
