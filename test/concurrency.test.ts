import { describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import { appendTransaction } from '../src/ledger/transactions.js';
import { verifyLedger } from '../src/ledger/verify.js';
import { allocate, expectSoundLedger, member, programme } from './support/fixtures.js';

describe('concurrent debits against one account', () => {
  it('let exactly the affordable ones through, keep the chain whole and the trial balance zero', async () => {
    const h = await createHarness();
    const p = await programme(h);
    await allocate(h, p.admin, p.community.id, '10');
    const workers = await Promise.all(Array.from({ length: 5 }, () => member(h, p.admin, p.community.id)));
    const budget = p.community.budget_account_id;
    // 40 simultaneous debits of 0.75 against 10.00: 13 fit (9.75), 27 must be refused.
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        h.call('POST', '/v1/adjustments', {
          token: p.admin,
          headers: { 'Idempotency-Key': `debit-${i}` },
          body: {
            reason: `debit ${i}`,
            postings: [
              { account_id: budget, amount: '-0.75' },
              { account_id: workers[i % workers.length]!.account_id, amount: '0.75' },
            ],
          },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(13);
    expect(statuses.filter((s) => s === 422)).toHaveLength(27);
    expect(answers.filter((a) => a.status === 422).every((a) => a.body.code === 'insufficient_funds')).toBe(true);
    const seqs = answers.filter((a) => a.status === 201).map((a) => a.body.seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 13 }, (_, i) => i + 2)); // contiguous after the allocation
    const account = await h.call('GET', `/v1/accounts/${budget}`, { token: p.admin });
    expect(account.body.balance).toEqual({ available: '0.25', held: '0.00', posted: '0.25' });
    const report = await expectSoundLedger(h, p.admin);
    expect(report.checked).toBe(14);
  });
});

describe('two writers on one database', () => {
  it('never both extend one head: the stale writer rebuilds on the new head', async () => {
    const h = await createHarness();
    const p = await programme(h);
    await allocate(h, p.admin, p.community.id, '100');
    const writers = [h.newExecutor(), h.newExecutor(), h.newExecutor()];
    const budget = p.community.budget_account_id;
    const credit = (i: number) =>
      writers[i % writers.length]!.write((head) => {
        const r = appendTransaction(h.deps.db, head, {
          kind: 'adjustment',
          actor: `writer-${i % writers.length}`,
          created_at: h.clock.now().toISOString(),
          postings: [
            { account_id: budget, amount: -100 },
            { account_id: 'program:settled', amount: 100 },
          ],
        });
        return { statements: r.statements, result: r.transaction.seq, head: r.head };
      });
    // Each writer's cached head is stale after the others write: every write
    // after the first of each writer meets a chain conflict and is rebuilt.
    const seqs: number[] = [];
    for (let i = 0; i < 12; i++) seqs.push(await credit(i));
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
    const concurrent = await Promise.all(Array.from({ length: 12 }, (_, i) => credit(i)));
    expect([...concurrent].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 14));
    const report = await verifyLedger(h.deps.db, {});
    expect(report).toMatchObject({ ok: true, checked: 25, balance_mismatches: [] });
    const [row] = await h.sql.all('SELECT posted FROM accounts WHERE id = ?', budget);
    expect(row).toEqual({ posted: 10_000 - 24 * 100 });
  });
});
