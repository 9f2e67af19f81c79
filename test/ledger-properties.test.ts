import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { AppError } from '../src/errors.js';
import { appendTransaction, reversingPostings, type Posting, type RecordedTransaction } from '../src/ledger/transactions.js';
import { captureHold, releaseHold, reserveHold, type Hold } from '../src/ledger/holds.js';
import { verifyLedger } from '../src/ledger/verify.js';
import { trialBalance } from '../src/ledger/trial-balance.js';

// Random sequences of ledger operations, including ones that must be refused,
// against a simple model of balances. After every operation the stored
// balances equal the model's; a refused operation changed nothing; at the
// end the trial balance is zero, no guarded account is negative and the
// chain and every stored balance verify.

const ACCOUNTS = ['program:issuance', 'a', 'b', 'c', 'd'] as const;
type AccountIndex = 0 | 1 | 2 | 3 | 4;

type Op =
  | { op: 'transfer'; from: AccountIndex; to: AccountIndex; amount: number }
  | { op: 'unbalanced'; from: AccountIndex; to: AccountIndex; amount: number }
  | { op: 'reserve'; from: AccountIndex; to: AccountIndex; amount: number; ttl: number }
  | { op: 'capture'; hold: number; amount: number }
  | { op: 'void'; hold: number }
  | { op: 'expire'; hold: number }
  | { op: 'reverse'; tx: number }
  | { op: 'tick'; ms: number };

const account = fc.constantFrom<AccountIndex>(0, 1, 2, 3, 4);
const amount = fc.integer({ min: 1, max: 5_000 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('transfer' as const), from: account, to: account, amount }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unbalanced' as const), from: account, to: account, amount }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('reserve' as const), from: account, to: account, amount, ttl: fc.integer({ min: 1, max: 5_000 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('capture' as const), hold: fc.nat(20), amount }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('void' as const), hold: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('expire' as const), hold: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reverse' as const), tx: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 3_000 }) }) },
);

interface Model {
  posted: Map<string, number>;
  held: Map<string, number>;
  holds: Array<{ hold: Hold; resolved: boolean }>;
  txs: Array<{ tx: RecordedTransaction; reversed: boolean }>;
}

async function setUp(h: Harness): Promise<void> {
  const now = h.clock.now().toISOString();
  const statements = ACCOUNTS.slice(1).map((id) =>
    h.deps.db.insertInto('accounts').values({ id, kind: 'worker', owner_id: null, no_overdraft: 1, created_at: now }).compile(),
  );
  await h.deps.executor.write(() => ({ statements, result: null }));
}

function available(model: Model, id: string): number {
  return (model.posted.get(id) ?? 0) - (model.held.get(id) ?? 0);
}
const guarded = (id: string) => id !== 'program:issuance';
const add = (map: Map<string, number>, id: string, delta: number) => map.set(id, (map.get(id) ?? 0) + delta);

/** Runs one operation; returns whether the model expects it to succeed and applies it if so. */
async function apply(h: Harness, model: Model, op: Op): Promise<void> {
  const { db, executor } = h.deps;
  const now = h.clock.now().toISOString();
  const post = (postings: Posting[], extra: { reverses_id?: string; kind?: string } = {}) =>
    executor.write((head) => {
      const r = appendTransaction(db, head, { kind: extra.kind ?? 'adjustment', actor: 'prop', created_at: now, postings, ...extra });
      return { statements: r.statements, result: r.transaction, head: r.head };
    });
  const canDebit = (postings: Posting[]) =>
    postings.every((p) => p.amount > 0 || !guarded(p.account_id) || available(model, p.account_id) + p.amount >= 0);

  switch (op.op) {
    case 'tick':
      h.clock.advance(op.ms);
      return;
    case 'transfer':
    case 'unbalanced': {
      const [from, to] = [ACCOUNTS[op.from], ACCOUNTS[op.to]];
      const postings = [
        { account_id: from, amount: -op.amount },
        { account_id: to, amount: op.op === 'transfer' ? op.amount : op.amount + 1 },
      ];
      const expectOk = op.op === 'transfer' && from !== to && canDebit(postings);
      const outcome = await post(postings).then((tx) => tx, (e: unknown) => e);
      if (!expectOk) {
        expect(outcome).toBeInstanceOf(AppError);
        return;
      }
      expect(outcome).not.toBeInstanceOf(Error);
      for (const p of postings) add(model.posted, p.account_id, p.amount);
      model.txs.push({ tx: outcome as RecordedTransaction, reversed: false });
      return;
    }
    case 'reserve': {
      const [from, to] = [ACCOUNTS[op.from], ACCOUNTS[op.to]];
      const expires = new Date(h.clock.now().getTime() + op.ttl).toISOString();
      const expectOk = from !== to && (!guarded(from) || available(model, from) >= op.amount);
      const attempt = () => {
        const { statements, hold } = reserveHold(db, {
          account_id: from, destination_account_id: to, amount: op.amount, ref_type: null, ref_id: null,
          actor: 'prop', expires_at: expires, created_at: now,
        });
        return executor.write(() => ({ statements, result: hold }));
      };
      const outcome = await attempt().then((x) => x, (e: unknown) => e);
      if (!expectOk) {
        expect(outcome).toBeInstanceOf(Error);
        return;
      }
      expect(outcome).not.toBeInstanceOf(Error);
      add(model.held, from, op.amount);
      model.holds.push({ hold: outcome as Hold, resolved: false });
      return;
    }
    case 'capture':
    case 'void':
    case 'expire': {
      const entry = model.holds[op.hold];
      if (!entry) return;
      const { hold } = entry;
      const expired = now >= hold.expires_at;
      let expectOk = !entry.resolved && (op.op === 'expire' ? expired : !expired);
      let run: () => Promise<unknown>;
      if (op.op === 'capture') {
        expectOk &&= op.amount <= hold.amount;
        run = () =>
          executor.write((head) => {
            const r = captureHold(db, head, hold, { amount: op.amount, actor: 'prop', created_at: now });
            return { statements: r.statements, result: r.transaction, head: r.head };
          });
      } else {
        const kind = op.op;
        run = () => executor.write(() => ({ statements: releaseHold(db, hold.id, kind, { actor: 'prop', created_at: now }), result: null }));
      }
      const outcome = await run().then((x) => x, (e: unknown) => e);
      if (!expectOk) {
        expect(outcome).toBeInstanceOf(Error);
        return;
      }
      expect(outcome).not.toBeInstanceOf(Error);
      entry.resolved = true;
      add(model.held, hold.account_id, -hold.amount);
      if (op.op === 'capture') {
        add(model.posted, hold.account_id, -op.amount);
        add(model.posted, hold.destination_account_id, op.amount);
        model.txs.push({ tx: outcome as RecordedTransaction, reversed: false });
      }
      return;
    }
    case 'reverse': {
      const entry = model.txs[op.tx];
      if (!entry) return;
      const postings = reversingPostings(entry.tx.postings);
      // The generic reversal undoes adjustments only here (a capture belongs to its hold's record; a reversal is final).
      const expectOk = !entry.reversed && entry.tx.kind === 'adjustment' && canDebit(postings);
      const outcome = await post(postings, { reverses_id: entry.tx.id, kind: 'reversal' }).then((x) => x, (e: unknown) => e);
      if (!expectOk) {
        expect(outcome).toBeInstanceOf(Error);
        return;
      }
      expect(outcome).not.toBeInstanceOf(Error);
      entry.reversed = true;
      for (const p of postings) add(model.posted, p.account_id, p.amount);
      model.txs.push({ tx: outcome as RecordedTransaction, reversed: false }); // refused if reversed in turn
      return;
    }
  }
}

async function stored(h: Harness) {
  const rows = await h.sql.all<{ id: string; posted: number; held: number }>('SELECT id, posted, held FROM accounts ORDER BY id');
  return rows.filter((r) => (ACCOUNTS as readonly string[]).includes(r.id));
}

describe('ledger invariants under random operations', () => {
  it('hold for any sequence of transfers, holds, captures, voids, expiries and reversals', async () => {
    let operations = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 40, size: 'max' }), async (ops) => {
        const h = await createHarness();
        await setUp(h);
        const model: Model = { posted: new Map(), held: new Map(), holds: [], txs: [] };
        for (const op of ops) {
          const before = await stored(h);
          const txCountBefore = model.txs.length;
          const heldBefore = [...model.held.entries()].join();
          await apply(h, model, op);
          operations++;
          const after = await stored(h);
          for (const row of after) {
            expect(row.posted, `${row.id} posted after ${JSON.stringify(op)}`).toBe(model.posted.get(row.id) ?? 0);
            expect(row.held, `${row.id} held after ${JSON.stringify(op)}`).toBe(model.held.get(row.id) ?? 0);
            if (guarded(row.id)) expect(row.posted - row.held).toBeGreaterThanOrEqual(0);
          }
          if (model.txs.length === txCountBefore && heldBefore === [...model.held.entries()].join()) {
            expect(after).toEqual(before); // refused or no-op: nothing changed
          }
        }
        const tb = await trialBalance(h.deps.db);
        expect(tb.total).toBe('0.00');
        const report = await verifyLedger(h.deps.db, {});
        expect(report).toMatchObject({ ok: true, checked: model.txs.length, balance_mismatches: [] });
      }),
      { numRuns: 60 },
    );
    expect(operations).toBeGreaterThan(500);
  });
});
