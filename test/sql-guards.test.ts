import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { allocate, member, programme } from './support/fixtures.js';
import { appendTransaction } from '../src/ledger/transactions.js';
import { captureHold, releaseHold, reserveHold } from '../src/ledger/holds.js';

// The guards below are enforced by the schema itself: these tests go around
// the application (raw SQL, or statements the application would never build).
let h: Harness;
let p: Awaited<ReturnType<typeof programme>>;
let worker: string;
beforeEach(async () => {
  h = await createHarness();
  p = await programme(h);
  const m = await member(h, p.admin, p.community.id);
  worker = m.account_id;
  await allocate(h, p.admin, p.community.id, '100');
});

async function chainHead() {
  const rows = await h.sql.all<{ seq: number; hash: string }>('SELECT seq, hash FROM transactions ORDER BY seq DESC LIMIT 1');
  return rows[0]!;
}

async function expectRefused(sql: string, message: RegExp) {
  await expect(h.sql.exec(sql)).rejects.toThrow(message);
}

describe('append-only ledger', () => {
  it.each([
    ['UPDATE transactions SET memo = \'x\''],
    ['DELETE FROM transactions'],
    ['UPDATE postings SET amount = amount + 1'],
    ['DELETE FROM postings'],
    ['DELETE FROM transaction_seals'],
    ["UPDATE accounts SET kind = 'issuance'"],
    ['DELETE FROM accounts'],
  ])('refuses %s', async (statement) => {
    await expectRefused(statement, /append_only/);
    const tx = await h.sql.all<{ n: number }>('SELECT count(*) AS n FROM postings');
    expect(tx[0]!.n).toBe(2);
  });

  it('refuses updating or deleting holds and their resolutions', async () => {
    const { statements, hold } = reserveHold(h.deps.db, {
      account_id: p.community.budget_account_id,
      destination_account_id: worker,
      amount: 500,
      ref_type: null,
      ref_id: null,
      actor: 'test',
      expires_at: '2099-01-01T00:00:00.000Z',
      created_at: h.clock.now().toISOString(),
    });
    await h.deps.executor.write(() => ({ statements, result: null }));
    await expectRefused('UPDATE holds SET amount = 1', /append_only/);
    await expectRefused('DELETE FROM holds', /append_only/);
    await h.deps.executor.write(() => ({
      statements: releaseHold(h.deps.db, hold.id, 'void', { actor: 't', created_at: h.clock.now().toISOString() }),
      result: null,
    }));
    await expectRefused("UPDATE hold_resolutions SET kind = 'expire'", /append_only/);
    await expectRefused('DELETE FROM hold_resolutions', /append_only/);
  });
});

describe('two guards refusing one posting', () => {
  // Every backend answers with the word of the guard SQLite fires first (its
  // newest trigger). PostgreSQL fires a table's triggers by name, so its
  // first guards by name repeat the checks SQLite runs before them
  // (schema/postgres/0006).
  const posting = async (accountId: string, amount: number, balanceAfter: number, kind = 'adjustment') => {
    const { seq, hash } = await chainHead();
    return h.sql.exec(
      `INSERT INTO transactions (seq, id, kind, actor, created_at, prev_hash, hash)
       VALUES (${seq + 1}, 'tx_two', '${kind}', 'sql', '2026-01-01', '${hash}', 'h2')`,
      `INSERT INTO postings VALUES ('tx_two', ${seq + 1}, '${accountId}', ${amount}, ${balanceAfter}, '2026-01-01')`,
    );
  };

  it('says member_deactivated, not insufficient_funds, for a deactivated member spending what it has not', async () => {
    const m = await member(h, p.admin, p.community.id);
    expect((await h.call('PATCH', `/v1/members/${m.id}`, { token: p.admin, body: { status: 'deactivated' } })).status).toBe(200);
    await expect(posting(m.account_id, -100, -100, 'redemption')).rejects.toThrow(/member_deactivated/);
  });

  it('says balance_out_of_range, not unknown_account, for a balance past the bound on no account', async () => {
    await expect(posting('worker:nobody', 20_000_000_000_000, 20_000_000_000_000)).rejects.toThrow(/balance_out_of_range/);
  });

  it('says member_deactivated, not balance_out_of_range, for a deactivated member credited past the bound', async () => {
    const m = await member(h, p.admin, p.community.id);
    expect((await h.call('PATCH', `/v1/members/${m.id}`, { token: p.admin, body: { status: 'deactivated' } })).status).toBe(200);
    await expect(posting(m.account_id, 20_000_000_000_000, 20_000_000_000_000, 'claim_credit')).rejects.toThrow(/member_deactivated/);
  });
});

describe('two guards refusing one transaction', () => {
  it('says not_reversible, not chain_conflict, for a reversal that may not be made, on a stale head', async () => {
    const [allocation] = await h.sql.all<{ id: string; seq: number }>("SELECT id, seq FROM transactions WHERE kind = 'budget_allocation' ORDER BY seq DESC LIMIT 1");
    const { seq } = await chainHead();
    await expect(
      h.sql.exec(
        `INSERT INTO transactions (seq, id, kind, actor, created_at, reverses_id, prev_hash, hash)
         VALUES (${seq + 1}, 'tx_rev', 'redemption_refund', 'sql', '2026-01-01', '${allocation!.id}', 'stale', 'h2')`,
      ),
    ).rejects.toThrow(/not_reversible/);
  });
});

describe('overdraft', () => {
  it('is refused by the database when postings are inserted by hand', async () => {
    const { seq, hash } = await chainHead();
    const budget = p.community.budget_account_id;
    await expect(
      h.sql.exec(
        `INSERT INTO transactions (seq, id, kind, actor, created_at, prev_hash, hash)
         VALUES (${seq + 1}, 'tx_hand', 'adjustment', 'sql', '2026-01-01', '${hash}', 'h2')`,
        `INSERT INTO postings VALUES ('tx_hand', ${seq + 1}, '${budget}', -10001, -1, '2026-01-01')`,
      ),
    ).rejects.toThrow(/insufficient_funds/);
    // The executor's atomic write is what the app uses: an overdraft there leaves nothing behind.
    await expect(
      h.deps.executor.write((head) => {
        const r = appendTransaction(h.deps.db, head, {
          kind: 'adjustment',
          actor: 'test',
          created_at: h.clock.now().toISOString(),
          postings: [
            { account_id: budget, amount: -10_001 },
            { account_id: worker, amount: 10_001 },
          ],
        });
        return { statements: r.statements, result: null, head: r.head };
      }),
    ).rejects.toMatchObject({ code: 'insufficient_funds' });
    const rows = await h.sql.all('SELECT id, posted FROM accounts WHERE id IN (?, ?) ORDER BY id', budget, worker);
    expect(rows).toEqual(
      [
        { id: budget, posted: 10_000 },
        { id: worker, posted: 0 },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  });

  it('counts held points: a hold cannot reserve more than is available', async () => {
    const reserve = (amount: number) =>
      h.deps.executor.write(() => ({
        statements: reserveHold(h.deps.db, {
          account_id: p.community.budget_account_id,
          destination_account_id: worker,
          amount,
          ref_type: null,
          ref_id: null,
          actor: 't',
          expires_at: '2099-01-01T00:00:00.000Z',
          created_at: h.clock.now().toISOString(),
        }).statements,
        result: null,
      }));
    await reserve(6_000);
    await expect(reserve(4_001)).rejects.toMatchObject({ code: 'insufficient_funds' });
    await reserve(4_000);
    const [row] = await h.sql.all('SELECT posted, held FROM accounts WHERE id = ?', p.community.budget_account_id);
    expect(row).toEqual({ posted: 10_000, held: 10_000 });
  });
});

describe('chain head', () => {
  it('lets only one of two writers extend the same head', async () => {
    const { seq, hash } = await chainHead();
    const insert = (id: string) =>
      `INSERT INTO transactions (seq, id, kind, actor, created_at, prev_hash, hash)
       VALUES (${seq + 1}, '${id}', 'adjustment', 'sql', '2026-01-01', '${hash}', 'hash-${id}')`;
    await expect(h.sql.exec(insert('tx_a'), insert('tx_b'))).rejects.toThrow(/UNIQUE constraint failed: transactions.seq/);
  });

  it('refuses a transaction that skips a seq or names the wrong previous hash', async () => {
    const { seq, hash } = await chainHead();
    await expectRefused(
      `INSERT INTO transactions (seq, id, kind, actor, created_at, prev_hash, hash) VALUES (${seq + 2}, 'tx_gap', 'adjustment', 'a', 'x', '${hash}', 'h')`,
      /chain_conflict/,
    );
    await expectRefused(
      `INSERT INTO transactions (seq, id, kind, actor, created_at, prev_hash, hash) VALUES (${seq + 1}, 'tx_bad', 'adjustment', 'a', 'x', 'not-the-head', 'h')`,
      /chain_conflict/,
    );
  });

  it('refuses sealing an unbalanced transaction', async () => {
    const { seq, hash } = await chainHead();
    await expect(
      h.sql.exec(
        `INSERT INTO transactions (seq, id, kind, actor, created_at, prev_hash, hash) VALUES (${seq + 1}, 'tx_u', 'adjustment', 'a', 'x', '${hash}', 'h')`,
        `INSERT INTO postings VALUES ('tx_u', ${seq + 1}, 'program:issuance', -5, (SELECT posted - 5 FROM accounts WHERE id = 'program:issuance'), 'x')`,
        `INSERT INTO postings VALUES ('tx_u', ${seq + 1}, '${worker}', 4, 4, 'x')`,
        `INSERT INTO transaction_seals VALUES ('tx_u')`,
      ),
    ).rejects.toThrow(/unbalanced_transaction/);
    // An unsealed transaction (left by a partial hand write) blocks the chain.
    await expect(
      h.sql.exec(
        `INSERT INTO transactions (seq, id, kind, actor, created_at, prev_hash, hash) VALUES (${seq + 1}, 'tx_v', 'adjustment', 'a', 'x', '${hash}', 'hv')`,
        `INSERT INTO transactions (seq, id, kind, actor, created_at, prev_hash, hash) VALUES (${seq + 2}, 'tx_w', 'adjustment', 'a', 'x', 'hv', 'hw')`,
      ),
    ).rejects.toThrow(/unbalanced_transaction/);
  });
});

describe('holds resolve exactly once', () => {
  async function newHold(expiresInMs = 60_000) {
    const now = h.clock.now();
    const { statements, hold } = reserveHold(h.deps.db, {
      account_id: p.community.budget_account_id,
      destination_account_id: worker,
      amount: 2_000,
      ref_type: null,
      ref_id: null,
      actor: 't',
      expires_at: new Date(now.getTime() + expiresInMs).toISOString(),
      created_at: now.toISOString(),
    });
    await h.deps.executor.write(() => ({ statements, result: null }));
    return hold;
  }
  const capture = (hold: Awaited<ReturnType<typeof newHold>>, amount: number) =>
    h.deps.executor.write((head) => {
      const r = captureHold(h.deps.db, head, hold, { amount, actor: 't', created_at: h.clock.now().toISOString() });
      return { statements: r.statements, result: r.transaction, head: r.head };
    });
  const release = (holdId: string, kind: 'void' | 'expire') =>
    h.deps.executor.write(() => ({
      statements: releaseHold(h.deps.db, holdId, kind, { actor: 't', created_at: h.clock.now().toISOString() }),
      result: null,
    }));

  it('captures in part, releasing the rest; a second capture or a void is refused', async () => {
    const hold = await newHold();
    await capture(hold, 1_500);
    await expect(capture(hold, 500)).rejects.toMatchObject({ code: 'hold_already_resolved' });
    await expect(release(hold.id, 'void')).rejects.toMatchObject({ code: 'hold_already_resolved' });
    const rows = await h.sql.all('SELECT id, posted, held FROM accounts WHERE id IN (?, ?) ORDER BY posted', p.community.budget_account_id, worker);
    expect(rows).toEqual([
      { id: worker, posted: 1_500, held: 0 },
      { id: p.community.budget_account_id, posted: 8_500, held: 0 },
    ]);
  });

  it('refuses capture after void, void after expiry, expiry before its time', async () => {
    const voided = await newHold();
    await release(voided.id, 'void');
    await expect(capture(voided, 100)).rejects.toMatchObject({ code: 'hold_already_resolved' });

    const expiring = await newHold(1_000);
    await expect(release(expiring.id, 'expire')).rejects.toMatchObject({ code: 'hold_not_expired' });
    h.clock.advance(1_000);
    await expect(release(expiring.id, 'void')).rejects.toMatchObject({ code: 'hold_expired' });
    await expect(capture(expiring, 100)).rejects.toMatchObject({ code: 'hold_expired' });
    await release(expiring.id, 'expire');
    await expect(release(expiring.id, 'expire')).rejects.toMatchObject({ code: 'hold_already_resolved' });
    const [row] = await h.sql.all('SELECT posted, held FROM accounts WHERE id = ?', p.community.budget_account_id);
    expect(row).toEqual({ posted: 10_000, held: 0 });
  });

  it('refuses capturing more than was held, in the database too', async () => {
    const hold = await newHold();
    await expect(capture(hold, 2_001)).rejects.toMatchObject({ code: 'capture_exceeds_hold' });
    await expectRefused(
      `INSERT INTO hold_resolutions (hold_id, kind, amount, tx_id, actor, created_at) VALUES ('${hold.id}', 'capture', 2001, 'tx_x', 'a', '${h.clock.now().toISOString()}')`,
      /capture_exceeds_hold/,
    );
  });
});
