import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { allocate, member, programme } from './support/fixtures.js';
import { earningProgramme } from './support/earning.js';
import { redemptionProgramme } from './support/redemption.js';
import { expirePoints } from '../src/audit/expiry.js';
import { formatPoints, parsePoints } from '../src/ledger/amount.js';

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
  });

  it('flag an organizer crediting far above its peers, and a budget spent too fast', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { budget: '400' });
    const auditor = await h.token('auditor');
    const organizers = await Promise.all(['a', 'b', 'c', 'd'].map((s) => h.token('organizer', { sub: `o-${s}`, org_id: e.street.id })));
    for (const [i, token] of organizers.entries()) {
      const units = i === 3 ? '5' : '0.5';
      await h.call('POST', '/v1/claims', { token, body: { member_id: e.riders[i % 3]!.id, activity_code: 'volunteer_hour', units, occurred_at: past(h, 600 + i) } });
    }
    const res = await h.call('GET', '/v1/audit/anomalies', { token: auditor });
    const above = res.body.items.filter((a: any) => a.kind === 'organizer_above_peers');
    expect(above.map((a: any) => a.subject)).toEqual(['organizer:o-d']);
    expect(above[0].evidence).toHaveLength(1);
    const pace = res.body.items.filter((a: any) => a.kind === 'budget_pace');
    expect(pace).toEqual([]); // 65 of 400 in a week: fine
  });
});

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
