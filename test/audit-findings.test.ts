import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { allocate, expectSoundLedger, member, programme } from './support/fixtures.js';
import { earningProgramme } from './support/earning.js';
import { redemptionProgramme } from './support/redemption.js';
import { expirePoints } from '../src/audit/expiry.js';
import { formatPoints, parsePoints } from '../src/ledger/amount.js';
import { ANOMALY_THRESHOLDS } from '../src/audit/thresholds.js';

const past = (h: Harness, minutes = 60) => new Date(h.clock.now().getTime() - minutes * 60_000).toISOString();

describe('anomalies', () => {
  it('name each finding with the ids behind it', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    const auditor = await h.token('auditor');
    const claim = (token: string, body: Record<string, unknown>) => h.call('POST', '/v1/claims', { token, body: { occurred_at: past(h), ...body } });
    // A refused self-approval.
    const award = await claim(r.organizer, { member_id: r.riders[0]!.id, activity_code: 'pioneer_award' });
    await h.call('POST', `/v1/claims/${award.body.id}/approve`, { token: r.organizer });
    // A revocation that leaves a worker negative (rider 1 spends first).
    const credited = await claim(r.organizer, { member_id: r.riders[1]!.id, activity_code: 'hazard_resolved' });
    await r.redeem(r.shopToken, { redeem_code: (await r.code(1)).code, reward_id: r.water.id, quantity: 2 }); // 120 → 60
    await r.redeem(r.shopToken, { redeem_code: (await r.code(1)).code, reward_id: r.charger.id, quantity: 5 }); // 60 → 10
    const revoked = await h.call('POST', `/v1/claims/${credited.body.id}/revoke`, { token: r.organizer2, body: { reason: 'wrong rider' } });
    // One report_ref claimed by two members.
    const dup1 = await claim(await r.workerToken(0), { activity_code: 'grid_report', report_ref: 'GR-SAME', evidence_url: 'https://grid.example/a' });
    const dup2 = await claim(await r.workerToken(2), { activity_code: 'grid_report', report_ref: 'GR-SAME', evidence_url: 'https://grid.example/b' });
    // Ten claims for one member within a day.
    const burst = [];
    for (let i = 0; i < 10; i++) burst.push((await claim(await r.workerToken(2), { activity_code: 'grid_report', report_ref: `GR-B${i}`, evidence_url: `https://grid.example/${i}` })).body.id);
    // A merchant refunding 2 of 5.
    const sales = [];
    for (let i = 0; i < 5; i++) sales.push((await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.charger.id })).body.redemption.id);
    for (const id of sales.slice(0, 2)) await h.call('POST', `/v1/redemptions/${id}/refund`, { token: r.shopToken, body: { reason: 'returned' } });

    const res = await h.call('GET', '/v1/audit/anomalies', { token: auditor });
    expect(res.status).toBe(200);
    const of = (kind: string) => res.body.items.filter((a: any) => a.kind === kind);
    expect(of('self_approval_refused')).toEqual([expect.objectContaining({ subject: 'organizer:organizer-wang', evidence: [award.body.id] })]);
    expect(of('revocation_left_negative')).toEqual([expect.objectContaining({ subject: r.riders[1]!.account_id, evidence: [revoked.body.revocation_transaction_id] })]);
    expect(of('repeated_report_ref')[0].evidence.sort()).toEqual([dup1.body.id, dup2.body.id].sort());
    expect(of('claims_burst')[0]).toMatchObject({ subject: r.riders[2]!.id, facts: { n: String(of('claims_burst')[0].evidence.length) } });
    // Named as people know the rider, for the pages' sentence in their own language.
    const burstNo = (await h.call('GET', `/v1/members/${r.riders[2]!.id}`, { token: r.admin })).body.member_no;
    expect(of('claims_burst')[0].subject_name).toBe(`骑手2 ${burstNo}`);
    expect(of('revocation_left_negative')[0].subject_name).toMatch(/^骑手1 \d{6}$/);
    expect(of('claims_burst')[0].evidence).toEqual(expect.arrayContaining(burst));
    expect(of('merchant_refund_rate')[0]).toMatchObject({ subject: r.shop.id });
    expect(of('merchant_refund_rate')[0].evidence.sort()).toEqual(sales.slice(0, 2).sort());
    // Each finding carries its records as people know them: names and numbers, points, what, when.
    const riderName = async (i: number) => `骑手${i} ${(await h.call('GET', `/v1/members/${r.riders[i]!.id}`, { token: r.admin })).body.member_no}`;
    expect(of('self_approval_refused')[0].records).toEqual([
      expect.objectContaining({ id: award.body.id, type: 'claim', kind: 'pending', member: await riderName(0), points: '200.00', what_zh: '先锋骑手', what_en: 'Pioneer rider award', occurred_on: award.body.occurred_at.slice(0, 10) }),
    ]);
    expect(of('revocation_left_negative')[0].records).toEqual([
      expect.objectContaining({ id: revoked.body.revocation_transaction_id, type: 'transaction', kind: 'claim_revocation', member: await riderName(1), points: '20.00' }),
    ]);
    expect(of('claims_burst')[0].records).toHaveLength(of('claims_burst')[0].evidence.length);
    expect(of('claims_burst')[0].records.every((x: any) => x.type === 'claim' && x.member === `骑手2 ${burstNo}` && x.what_zh === '上报有价值信息' && x.points === '5.00')).toBe(true);
    expect(of('merchant_refund_rate')[0].records.map((x: any) => [x.type, x.kind, x.what_zh, x.points, x.member])).toEqual([
      ['redemption', 'refunded', '充电宝租用', '10.00', await riderName(0)],
      ['redemption', 'refunded', '充电宝租用', '10.00', await riderName(0)],
    ]);
    expect((await h.call('GET', '/v1/audit/trial-balance', { token: auditor })).body).toMatchObject({ balanced: true, total: '0.00' });
  });

  it('flag an organizer crediting far above enough peers, and not a budget spent at an ordinary pace', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { budget: '4000' });
    const auditor = await h.token('auditor');
    const o = await organizersCrediting(h, e, [1, 1, 1], 3); // three peers of 20.00; the fourth approves three awards: 600.00
    const res = await h.call('GET', '/v1/audit/anomalies', { token: auditor });
    const above = res.body.items.filter((a: any) => a.kind === 'organizer_above_peers');
    expect(above.map((a: any) => a.subject)).toEqual([o.outlier]);
    expect(above[0]).toMatchObject({ facts: { points: '600.00', median: '20.00', peers: '3' } });
    expect(above[0].evidence.sort()).toEqual([...o.awards].sort());
    // The records behind it, as people know them: the three awards, approved, to named riders.
    expect(above[0].records).toHaveLength(3);
    for (const record of above[0].records) expect(record).toMatchObject({ type: 'claim', kind: 'approved', points: '200.00', what_zh: '先锋骑手', what_en: 'Pioneer rider award', member: expect.stringMatching(/^骑手\d \d{6}$/) });
    expect(res.body.thresholds).toMatchObject({ multiple: '3', min_peers: String(ANOMALY_THRESHOLDS.MIN_PEERS), min_points: ANOMALY_THRESHOLDS.PEER_MIN_POINTS });
    expect(res.body.items.filter((a: any) => a.kind === 'budget_pace')).toEqual([]); // 660 of 4000 in a week: fine
    // What the finding says is what the ledger holds: the budget paid exactly these credits.
    expect((await h.call('GET', `/v1/orgs/${e.street.id}/budget`, { token: e.admin })).body.remaining).toBe('3340.00');
    await expectSoundLedger(h, e.admin);
  });

  it('flag nobody among four organizers who each credited a little, however uneven', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h);
    // 20, 20, 20 and 100: five times the median, but 100.00 is below the floor.
    await organizersCrediting(h, e, [1, 1, 1, 5], 0);
    const res = await h.call('GET', '/v1/audit/anomalies', { token: await h.token('auditor') });
    expect(res.body.items.filter((a: any) => a.kind === 'organizer_above_peers')).toEqual([]);
    expect((await h.call('GET', `/v1/orgs/${e.street.id}/budget`, { token: e.admin })).body.remaining).toBe('9840.00');
    await expectSoundLedger(h, e.admin);
  });

  it('flag nobody with fewer peers than the minimum, however far above them', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h);
    await organizersCrediting(h, e, [1, 1], 3); // two peers of 20.00 and 600.00
    const res = await h.call('GET', '/v1/audit/anomalies', { token: await h.token('auditor') });
    expect(res.body.items.filter((a: any) => a.kind === 'organizer_above_peers')).toEqual([]);
    expect((await h.call('GET', `/v1/orgs/${e.street.id}/budget`, { token: e.admin })).body.remaining).toBe('9360.00');
    await expectSoundLedger(h, e.admin);
  });
});

/**
 * Organizers of the street, each crediting `hazards[i]` hazard claims of
 * 20.00 (approved on submission); then, when `awards` > 0, one more
 * organizer approving that many pioneer awards of 200.00 others recorded.
 */
async function organizersCrediting(h: Harness, e: Awaited<ReturnType<typeof earningProgramme>>, hazards: number[], awards: number) {
  const tokens = await Promise.all(hazards.map((_, i) => h.token('organizer', { sub: `o-${i}`, org_id: e.street.id })));
  for (const [i, n] of hazards.entries()) {
    for (let k = 0; k < n; k++) {
      const res = await h.call('POST', '/v1/claims', { token: tokens[i]!, body: { member_id: e.riders[(i + k) % 3]!.id, activity_code: 'hazard_resolved', occurred_at: past(h, 600 + k * 1440) } }); // a day apart: within the approval threshold
      expect(res.body.status, res.text).toBe('approved');
    }
  }
  const outlier = 'organizer:o-outlier';
  const approver = await h.token('organizer', { sub: 'o-outlier', org_id: e.street.id });
  const ids: string[] = [];
  for (let k = 0; k < awards; k++) {
    const res = await h.call('POST', '/v1/claims', { token: e.organizer, body: { member_id: e.riders[k % 3]!.id, activity_code: 'pioneer_award', occurred_at: past(h, 60 + k) } });
    expect((await h.call('POST', `/v1/claims/${res.body.id}/approve`, { token: approver })).status).toBe(200);
    ids.push(res.body.id);
  }
  return { outlier, awards: ids };
}

describe('points expiry', () => {
  type Op = { op: 'credit'; amount: number } | { op: 'spend'; amount: number } | { op: 'tick'; days: number } | { op: 'expire' };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('credit' as const), amount: fc.integer({ min: 1, max: 5_000 }) }),
    fc.record({ op: fc.constant('spend' as const), amount: fc.integer({ min: 1, max: 5_000 }) }),
    fc.record({ op: fc.constant('tick' as const), days: fc.integer({ min: 1, max: 20 }) }),
    fc.constant({ op: 'expire' as const }),
  );

  it('expires exactly what a first-expiring-first lot simulation says', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30 }), async (ops) => {
        runs++;
        const h = await createHarness();
        const p = await programme(h);
        await allocate(h, p.admin, p.community.id, '1000000');
        const m = await member(h, p.admin, p.community.id);
        h.deps.programme = { ...h.deps.programme, pointsExpiry: 'days:30' };
        const lots: Array<{ expires: number; left: number }> = [];
        let expiredBySim = 0;
        let balance = 0;
        const move = (from: string, to: string, amount: number) =>
          h.call('POST', '/v1/adjustments', { token: p.admin, body: { reason: 'expiry property', postings: [{ account_id: from, amount: `-${formatPoints(amount)}` }, { account_id: to, amount: formatPoints(amount) }] } });
        for (const op of ops) {
          const now = h.clock.now().getTime();
          if (op.op === 'tick') h.clock.advance(op.days * 86_400_000);
          if (op.op === 'credit') {
            expect((await move(p.community.budget_account_id, m.account_id, op.amount)).status).toBe(201);
            lots.push({ expires: now + 30 * 86_400_000, left: op.amount });
            balance += op.amount;
          }
          if (op.op === 'spend' && op.amount <= balance) {
            expect((await move(m.account_id, 'program:settled', op.amount)).status).toBe(201);
            let rest = op.amount;
            for (const lot of lots) {
              const take = Math.min(lot.left, rest);
              lot.left -= take;
              rest -= take;
            }
            balance -= op.amount;
          }
          if (op.op === 'expire') {
            await expirePoints(h.deps);
            for (const lot of lots) {
              if (lot.expires <= now) {
                expiredBySim += lot.left;
                balance -= lot.left;
                lot.left = 0;
              }
            }
            const expired = await h.sql.all<{ posted: number }>("SELECT posted FROM accounts WHERE id = 'program:expired'");
            expect(expired[0]!.posted).toBe(expiredBySim);
          }
        }
        const me = await h.sql.all<{ posted: number }>('SELECT posted FROM accounts WHERE id = ?', m.account_id);
        expect(me[0]!.posted).toBe(balance);
      }),
      { numRuns: 25, examples: [[[{ op: 'credit', amount: 1 }, { op: 'tick', days: 30 }, { op: 'expire' }]]] },
    );
    expect(runs).toBeGreaterThanOrEqual(25);
  });

  it('shows what will expire when, and a scheduled run posts one transaction per member', async () => {
    const h = await createHarness();
    const p = await programme(h);
    h.deps.programme = { ...h.deps.programme, pointsExpiry: 'days:30' };
    await allocate(h, p.admin, p.community.id, '1000');
    const a = await member(h, p.admin, p.community.id);
    const b = await member(h, p.admin, p.community.id);
    const credit = (acct: string, amount: string) =>
      h.call('POST', '/v1/adjustments', { token: p.admin, body: { reason: 'credit', postings: [{ account_id: p.community.budget_account_id, amount: `-${amount}` }, { account_id: acct, amount }] } });
    await credit(a.account_id, '10');
    await credit(b.account_id, '4');
    h.clock.advance(10 * 86_400_000);
    await credit(a.account_id, '5');
    const schedule = await h.call('GET', `/v1/accounts/${a.account_id}/expiring`, { token: p.admin });
    expect(schedule.body.policy).toBe('days:30');
    expect(schedule.body.items.map((i: any) => i.amount)).toEqual(['10.00', '5.00']);
    h.clock.advance(21 * 86_400_000);
    const before = (await h.call('GET', '/health')).body.head_seq;
    expect(await expirePoints(h.deps)).toBe(2);
    expect((await h.call('GET', '/health')).body.head_seq).toBe(before + 2);
    const kinds = await h.call('GET', `/v1/audit/transactions?kind=points_expiry`, { token: p.admin });
    expect(kinds.body.items.map((t: any) => t.ref_id).sort()).toEqual([a.account_id, b.account_id].sort());
    expect(parsePoints((await h.call('GET', `/v1/accounts/${a.account_id}`, { token: p.admin })).body.balance.posted)).toBe(500);
    expect(await expirePoints(h.deps)).toBe(0);
  });
});

describe('leaderboards', () => {
  it('rank by credited points in the period and subtree, share ties, skip revoked claims and opted-out members', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 4 });
    const claim = (i: number, code: string, extra: Record<string, unknown> = {}) =>
      h.call('POST', '/v1/claims', { token: e.organizer, body: { member_id: e.riders[i]!.id, activity_code: code, occurred_at: past(h), ...extra } });
    await claim(0, 'hazard_resolved'); // 20
    await claim(1, 'hazard_resolved'); // 20 (tie)
    const wrong = await claim(2, 'volunteer_hour', { units: '4' }); // 40, revoked below
    await claim(2, 'hazard_resolved'); // 20 → rider 2 also ties at 20 after revocation
    await claim(3, 'volunteer_hour', { units: '1' }); // 10
    await h.call('POST', `/v1/claims/${wrong.body.id}/revoke`, { token: e.organizer2, body: { reason: 'not there' } });
    await h.call('PUT', '/v1/me/preferences', { token: await e.workerToken(1), body: { leaderboard_opt_out: true } });
    // Member ids are for admins and auditors (a worker's view: ledger-hardening).
    const board = await h.call('GET', `/v1/leaderboards?org_id=${e.street.id}&period=month`, { token: await h.token('auditor') });
    expect(board.status, board.text).toBe(200);
    expect(board.body.items.map((i: any) => [i.rank, i.member_id, i.points])).toEqual(
      [
        [1, e.riders[0]!.id, '20.00'],
        [1, e.riders[2]!.id, '20.00'],
        [3, e.riders[3]!.id, '10.00'],
      ].sort((a, b) => (a[0] === b[0] ? String(a[1]).localeCompare(String(b[1])) : Number(a[0]) - Number(b[0]))),
    );
    const elsewhere = await h.call('GET', `/v1/leaderboards?org_id=${e.otherDistrict.id}`, { token: e.admin });
    expect(elsewhere.body.items).toEqual([]);
    const lastYear = await h.call('GET', `/v1/leaderboards?period=year&at=2020-06-01T00:00:00Z`, { token: e.admin });
    expect(lastYear.body.items).toEqual([]);
  });
});
