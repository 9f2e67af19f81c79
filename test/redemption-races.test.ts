import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import { expectSoundLedger } from './support/fixtures.js';
import { posted } from './support/earning.js';
import { redemptionProgramme, stockOf } from './support/redemption.js';
import { earningProgramme } from './support/earning.js';
import type { Harness } from './support/harness-core.js';
import { expireDueHolds } from '../src/ledger/hold-expiry.js';

describe('concurrent redemptions', () => {
  it('many merchants against one worker\'s balance: never overdraw', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h, { riderPoints: '100' });
    // Three merchants' tills, each with an unlimited 30-point reward: 100 affords 3.
    const tills = await Promise.all(
      [r.shop, r.barber].map(async (m, i) => {
        const token = i === 0 ? r.shopToken : r.barberToken;
        const res = await h.call('POST', `/v1/merchants/${m.id}/rewards`, { token, body: { kind: 'goods', name: `套餐${i}`, price: '30' } });
        return { token, reward: res.body.id as string, merchant: m };
      }),
    );
    const codes = await Promise.all(Array.from({ length: 10 }, () => r.code(0)));
    const answers = await Promise.all(codes.map(({ code }, i) => r.redeem(tills[i % 2]!.token, { redeem_code: code, reward_id: tills[i % 2]!.reward })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 422 && a.body.code === 'insufficient_funds')).toHaveLength(7);
    expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('10.00');
    await expectSoundLedger(h, r.admin);
  });

  it('many workers against one item\'s stock: never oversell', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h, { riderPoints: '1000' });
    const scarce = await h.call('POST', `/v1/merchants/${r.shop.id}/rewards`, { token: r.shopToken, body: { kind: 'goods', name: '头盔', price: '50', stock: 4 } });
    const codes = await Promise.all(r.riders.flatMap((_, i) => [r.code(i), r.code(i), r.code(i)]));
    const answers = await Promise.all(codes.map(({ code }) => r.redeem(r.shopToken, { redeem_code: code, reward_id: scarce.body.id })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(4);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'out_of_stock')).toHaveLength(codes.length - 4);
    expect(await stockOf(h, r.shopToken, r.shop.id, scarce.body.id)).toBe(0);
    expect(await posted(h, r.admin, r.shop.account_id)).toBe('200.00');
    await expectSoundLedger(h, r.admin);
  });

  it('the same code at two tills at once: one redemption', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    const { code } = await r.code(0);
    const answers = await Promise.all(Array.from({ length: 8 }, () => r.redeem(r.shopToken, { redeem_code: code, reward_id: r.charger.id })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'code_used')).toHaveLength(7);
    expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('90.00');
  });
});

/** Which contender a write was built by (writeBarrier orders the writes by it). */
const contender = new AsyncLocalStorage<string>();

/**
 * Holds back the next `expected` writes until all of them have arrived (so
 * each was built from the same state, after every check in JavaScript), then
 * lets them through at once, the writes built by `first` ahead of the rest:
 * only the database's guards decide between them, and which contender reaches
 * the database first is chosen by the test, not by how fast each one was built.
 */
function writeBarrier(h: Harness, expected: number, first: string) {
  const executor = h.deps.executor;
  const original = executor.write.bind(executor);
  const waiting: Array<{ by: string | undefined; go: () => void }> = [];
  let arrived = 0;
  const release = () => {
    executor.write = original;
    const ordered = [...waiting.filter((w) => w.by === first), ...waiting.filter((w) => w.by !== first)];
    for (const { go } of ordered) go();
  };
  const timer = setTimeout(release, 3_000);
  executor.write = <T,>(build: Parameters<typeof original<T>>[0]) =>
    new Promise<T>((resolve, reject) => {
      arrived++;
      waiting.push({ by: contender.getStore(), go: () => void original(build).then(resolve, reject) });
      if (waiting.length === expected) {
        clearTimeout(timer);
        release();
      }
    });
  return { arrived: () => arrived };
}

describe('one hold: capture, void and expiry at once', () => {
  it('resolves it exactly once, whichever reaches the database first, and gives back exactly what the loser would have', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h, { riderPoints: '100' });
    const worker = await r.workerToken(0);
    const kinds = ['capture', 'void-merchant', 'void-worker', 'expire'] as const;
    const winners: string[] = [];
    for (let round = 0; round < 6; round++) {
      const held = await h.call('POST', '/v1/holds', { token: worker, body: { reward_id: r.charger.id, quantity: 1 } });
      expect(held.status, held.text).toBe(201);
      // Just before the hold's time runs out: capture and void are still allowed,
      // while the sweep runs on a clock a moment later, when expiry is due.
      h.clock.advance(Date.parse(held.body.expires_at) - h.clock.now().getTime() - 1);
      const sweepClock = () => new Date(Date.parse(held.body.expires_at));
      const contenders: Record<(typeof kinds)[number], () => Promise<{ status: number }>> = {
        capture: () => h.call('POST', `/v1/holds/${held.body.id}/capture`, { token: r.shopToken }),
        'void-merchant': () => h.call('POST', `/v1/holds/${held.body.id}/void`, { token: r.shopToken }),
        'void-worker': () => h.call('POST', `/v1/holds/${held.body.id}/void`, { token: worker }),
        expire: async () => ({ status: (await expireDueHolds({ db: h.deps.db, executor: h.deps.executor, clock: sweepClock })) > 0 ? 200 : 0 }),
      };
      // Each contender three times; every one of the 12 writes is built before any lands.
      const order = kinds.flatMap((k) => [k, k, k]);
      // Round by round, a different kind of contender reaches the database first.
      const barrier = writeBarrier(h, order.length, kinds[round % kinds.length]!);
      const answers = await Promise.all(order.map((k) => contender.run(k, contenders[k])));
      expect(barrier.arrived()).toBe(order.length);
      const requests = answers.filter((_, i) => order[i] !== 'expire');
      expect(requests.every((a) => a.status === 200 || a.status === 201 || a.status === 409), JSON.stringify(requests)).toBe(true);
      const resolutions = await h.sql.all<{ kind: string }>('SELECT kind FROM hold_resolutions WHERE hold_id = ?', held.body.id);
      expect(resolutions).toHaveLength(1);
      const settled = requests.filter((a) => a.status < 300);
      expect(settled.length).toBe(resolutions[0]!.kind === 'expire' ? 0 : 1);
      winners.push(resolutions[0]!.kind);
      h.clock.advance(60_000);
    }
    // Points: 10 taken for every capture, nothing held, nothing else moved.
    const captures = winners.filter((k) => k === 'capture').length;
    const account = await h.call('GET', `/v1/accounts/${r.riders[0]!.account_id}`, { token: r.admin });
    expect(account.body.balance).toEqual({ available: `${100 - 10 * captures}.00`, held: '0.00', posted: `${100 - 10 * captures}.00` });
    expect(await posted(h, r.admin, r.shop.account_id)).toBe(`${10 * captures}.00`);
    const [redemptions] = await h.sql.all<{ n: number }>('SELECT count(*) AS n FROM redemptions');
    expect(redemptions!.n).toBe(captures);
    // The contender let through first won its round, so every kind of resolution won.
    const first = Array.from({ length: 6 }, (_, round) => kinds[round % kinds.length]!.replace(/-.*/, ''));
    expect(winners).toEqual(first);
    await expectSoundLedger(h, r.admin);
    console.log(`races (${h.backend}): one hold, 6 rounds × 12 contenders (capture, void ×2, expiry; 3 each) → exactly one resolution per round; winners ${winners.join(', ')}`);
  });
});

describe('the same Idempotency-Key sent at once', () => {
  it('redeems once, and every duplicate answers the same redemption', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    const { code } = await r.code(0);
    const answers = await Promise.all(Array.from({ length: 12 }, () => r.redeem(r.shopToken, { redeem_code: code, reward_id: r.charger.id }, 'till-7-sale-1')));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await h.sql.all('SELECT count(*) AS n FROM redemptions')).toEqual([{ n: 1 }]);
    expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('90.00');
    await expectSoundLedger(h, r.admin);
    console.log(`races (${h.backend}): 12 redemptions with one Idempotency-Key at once → 1 redemption, 12 identical answers`);
  });
});

describe('one claim: approve, reject and revoke at once', () => {
  const pendingClaim = async (h: Harness, e: Awaited<ReturnType<typeof earningProgramme>>) => {
    // 2 × 20 points is over the type's threshold of 30: it waits for a second organizer.
    const res = await h.call('POST', '/v1/claims', {
      token: e.organizer,
      body: { member_id: e.riders[0]!.id, activity_code: 'hazard_resolved', units: '2', occurred_at: new Date(h.clock.now().getTime() - 60_000).toISOString() },
    });
    expect(res.body.status, res.text).toBe('pending');
    return res.body.id as string;
  };
  const decide = (h: Harness, token: string, id: string, action: string) =>
    h.call('POST', `/v1/claims/${id}/${action}`, { token, ...(action === 'approve' ? {} : { body: { reason: `race ${action}` } }) });

  it('approve against reject: exactly one decision', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h);
    const id = await pendingClaim(h, e);
    const actions = Array.from({ length: 12 }, (_, i) => (i % 2 ? 'reject' : 'approve'));
    const answers = await Promise.all(actions.map((a, i) => decide(h, i % 3 ? e.organizer2 : e.admin, id, a)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'claim_already_decided')).toHaveLength(11);
    const won = actions[answers.findIndex((a) => a.status === 200)];
    const claim = await h.call('GET', `/v1/claims/${id}`, { token: e.admin });
    expect(claim.body.status).toBe(won === 'approve' ? 'approved' : 'rejected');
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe(won === 'approve' ? '40.00' : '0.00');
    await expectSoundLedger(h, e.admin);
    console.log(`races (${h.backend}): 12 approvals and rejections of one claim at once → 1 decision (${won})`);
  });

  it('approve against revoke: one credit, at most one reversal, and the balance says which', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h);
    // A pending claim raced by approvals and revocations, then an approved one raced by revocations and approvals.
    const pending = await pendingClaim(h, e);
    const first = await Promise.all(Array.from({ length: 12 }, (_, i) => decide(h, e.organizer2, pending, i % 2 ? 'revoke' : 'approve')));
    const approved = await pendingClaim(h, e);
    expect((await decide(h, e.organizer2, approved, 'approve')).status).toBe(200);
    const second = await Promise.all(Array.from({ length: 12 }, (_, i) => decide(h, i % 2 ? e.admin : e.organizer2, approved, i % 3 ? 'revoke' : 'approve')));

    const ok = (answers: typeof first, action: string, parity: (i: number) => boolean) => answers.filter((a, i) => parity(i) && a.status === 200).length;
    expect(ok(first, 'approve', (i) => i % 2 === 0)).toBe(1);
    const firstRevoked = ok(first, 'revoke', (i) => i % 2 === 1);
    expect(firstRevoked).toBeLessThanOrEqual(1);
    expect(ok(second, 'revoke', (i) => i % 3 !== 0)).toBe(1);
    expect(ok(second, 'approve', (i) => i % 3 === 0)).toBe(0);
    for (const a of [...first, ...second]) expect([200, 409]).toContain(a.status);

    const status = async (id: string) => (await h.call('GET', `/v1/claims/${id}`, { token: e.admin })).body.status;
    expect(await status(pending)).toBe(firstRevoked ? 'revoked' : 'approved');
    expect(await status(approved)).toBe('revoked');
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe(firstRevoked ? '0.00' : '40.00');
    const [reversals] = await h.sql.all<{ n: number }>("SELECT count(*) AS n FROM transactions WHERE kind = 'claim_revocation'");
    expect(reversals!.n).toBe(1 + firstRevoked);
    await expectSoundLedger(h, e.admin);
    console.log(`races (${h.backend}): 24 approvals and revocations of two claims at once → 2 credits, ${1 + firstRevoked} revocation(s), never two of one claim`);
  });
});
