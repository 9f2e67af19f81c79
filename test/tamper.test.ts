import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { adjust, allocate, member, programme } from './support/fixtures.js';
import { hashTransaction, type HashedTransaction } from '../src/ledger/hash.js';

// Someone with raw database access drops the guards and edits history.
// /v1/audit/verify must notice, and name the first bad seq.
let h: Harness;
let admin: string;
let auditor: string;
let workerAccount: string;
let budget: string;

const DROP_GUARDS = [
  'DROP TRIGGER postings_no_update',
  'DROP TRIGGER transactions_no_update',
  'DROP TRIGGER transactions_no_delete',
  'DROP TRIGGER postings_no_delete',
  'DROP TRIGGER transaction_seals_no_delete',
];

beforeEach(async () => {
  h = await createHarness();
  const p = await programme(h);
  admin = p.admin;
  auditor = await h.token('auditor', { sub: 'auditor-1' });
  const m = await member(h, admin, p.community.id);
  workerAccount = m.account_id;
  budget = p.community.budget_account_id;
  await allocate(h, admin, p.community.id, '500'); // seq 1
  for (let i = 1; i <= 5; i++) {
    const res = await adjust(h, admin, [[budget, `-${i}`], [workerAccount, `${i}`]]); // seq 2..6
    expect(res.status).toBe(201);
  }
  await h.sql.exec(...DROP_GUARDS);
});

async function verify(query = '') {
  const res = await h.call('GET', `/v1/audit/verify${query}`, { token: auditor });
  expect(res.status).toBe(200);
  return res.body;
}

describe('tamper evidence', () => {
  it('verifies an untouched ledger', async () => {
    expect(await verify()).toMatchObject({ ok: true, checked: 6, from_seq: 1, to_seq: 6, balance_mismatches: [] });
  });

  it('names the seq whose posting amount was changed (and the balances it no longer explains)', async () => {
    await h.sql.exec(`UPDATE postings SET amount = amount + 100 WHERE seq = 4 AND account_id = '${workerAccount}'`);
    const report = await verify();
    expect(report).toMatchObject({ ok: false, first_bad_seq: 4 });
    expect(report.reason).toMatch(/hash/);
    expect(report.balance_mismatches).toEqual([{ account_id: workerAccount, field: 'posted', stored: 1500, recomputed: 1600 }]);
  });

  it('names the seq whose memo was rewritten, even with its hash recomputed by a careless forger', async () => {
    await h.sql.exec(`UPDATE transactions SET memo = 'rewritten' WHERE seq = 3`);
    expect(await verify()).toMatchObject({ ok: false, first_bad_seq: 3 });
    await h.sql.exec(`UPDATE transactions SET hash = 'f'||substr(hash, 2) WHERE seq = 3`);
    expect(await verify()).toMatchObject({ ok: false, first_bad_seq: 3 });
  });

  it('names a deleted transaction as a gap', async () => {
    await h.sql.exec(
      'DELETE FROM postings WHERE seq = 5',
      'DELETE FROM transaction_seals WHERE tx_id = (SELECT id FROM transactions WHERE seq = 5)',
      'DELETE FROM transactions WHERE seq = 5',
    );
    expect(await verify()).toMatchObject({ ok: false, first_bad_seq: 5 });
  });

  it('finds a stored balance edited behind the ledger', async () => {
    await h.sql.exec(`UPDATE accounts SET posted = posted + 1 WHERE id = '${budget}'`);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.first_bad_seq).toBeUndefined();
    expect(report.balance_mismatches).toEqual([{ account_id: budget, field: 'posted', stored: 48_501, recomputed: 48_500 }]);
    const tb = await h.call('GET', '/v1/audit/trial-balance', { token: auditor });
    expect(tb.body).toMatchObject({ balanced: false, total: '0.01' });
    expect(tb.body.alert).toMatch(/OUT OF BALANCE/);
  });

  it('sums the postings when one lies outside the chain, instead of trusting the last running balance', async () => {
    // A posting slipped in before seq 1 or after the head: no page reads it, and the forger
    // chose its running balance so that each account's last one still matches what is stored.
    await h.sql.exec('DROP TRIGGER postings_guard', 'DROP TRIGGER postings_update_balance');
    const seq1 = '(SELECT id FROM transactions WHERE seq = 1)';
    for (const [seq, balanceAfter] of [[0, 0], [99, 1500]] as const) {
      await h.sql.exec(
        `INSERT INTO postings (tx_id, seq, account_id, amount, balance_after, created_at) VALUES (${seq1}, ${seq}, '${workerAccount}', 500, ${balanceAfter}, '2026-01-01T00:00:00.000Z')`,
      );
      const report = await verify();
      expect(report).toMatchObject({ ok: false, checked: 6 });
      expect(report.first_bad_seq).toBeUndefined();
      expect(report.balance_mismatches).toEqual([{ account_id: workerAccount, field: 'posted', stored: 1500, recomputed: 2000 }]);
      await h.sql.exec(`DELETE FROM postings WHERE seq = ${seq}`);
    }
    expect(await verify()).toMatchObject({ ok: true, balance_mismatches: [] });
  });

  it('names the seq whose running balance was edited, though its hash still matches', async () => {
    await h.sql.exec(`UPDATE postings SET balance_after = balance_after + 7 WHERE seq = 4 AND account_id = '${workerAccount}'`);
    const report = await verify();
    expect(report).toMatchObject({ ok: false, first_bad_seq: 4, checked: 3, reason: `running balance of ${workerAccount} does not follow from its previous entry` });
    // Only that seq and range are named: a range ending before it is clean.
    expect(await verify('?from_seq=1&to_seq=3')).toMatchObject({ ok: true, checked: 3 });
  });

  it('names an unsealed transaction', async () => {
    await h.sql.exec('DELETE FROM transaction_seals WHERE tx_id = (SELECT id FROM transactions WHERE seq = 6)');
    expect(await verify()).toMatchObject({ ok: false, first_bad_seq: 6, checked: 5, reason: 'postings are not a sealed, balanced set' });
  });

  it('names a posting moved to another transaction', async () => {
    await h.sql.exec(`UPDATE postings SET tx_id = (SELECT id FROM transactions WHERE seq = 1) WHERE seq = 3 AND account_id = '${workerAccount}'`);
    expect(await verify()).toMatchObject({ ok: false, first_bad_seq: 3, reason: 'a posting names another transaction' });
  });

  it('catches a careful forger who empties a transaction and recomputes every hash after it', async () => {
    await h.sql.exec('DELETE FROM postings WHERE seq = 5');
    await rechain(5);
    const report = await verify();
    expect(report).toMatchObject({ ok: false, first_bad_seq: 5, reason: 'postings are not a sealed, balanced set' });
    // The hashes themselves hold: the forger's chain is consistent, the ledger is not.
    expect(await verify('?from_seq=1&to_seq=4')).toMatchObject({ ok: false, checked: 4 });
  });

  it('verifies text of every kind, and postings stored out of their canonical order', async () => {
    // (Other control characters are refused on the way in: test/text-and-bounds.test.ts.)
    const memos = ['引号 " 反斜杠 \\ 制表\t 换行\n 回车\r\n', 'emoji 😀 and U+2028 \u2028 U+2029 \u2029', '</script> & <b>', 'ｆｕｌｌｗｉｄｔｈ ＡＢＣ'];
    for (const reason of memos) expect((await adjust(h, admin, [[budget, '-1'], [workerAccount, '1']], reason)).status).toBe(201);
    // Postings of seq 2 re-inserted in reverse account order: the hash is over the canonical order all the same.
    const legs = await h.sql.all<{ tx_id: string; seq: number; account_id: string; amount: number; balance_after: number; created_at: string }>(
      'SELECT tx_id, seq, account_id, amount, balance_after, created_at FROM postings WHERE seq = 2 ORDER BY account_id DESC',
    );
    // Re-inserted as they were: the stored balances do not move again.
    await h.sql.exec('DROP TRIGGER postings_guard', 'DROP TRIGGER postings_update_balance');
    await h.sql.exec(
      'DELETE FROM postings WHERE seq = 2',
      ...legs.map((p) => `INSERT INTO postings (tx_id, seq, account_id, amount, balance_after, created_at) VALUES ('${p.tx_id}', ${p.seq}, '${p.account_id}', ${p.amount}, ${p.balance_after}, '${p.created_at}')`),
    );
    expect(await verify()).toMatchObject({ ok: true, checked: 6 + memos.length, balance_mismatches: [] });
    // And a changed character in such a memo is still caught.
    await h.sql.exec(`UPDATE transactions SET memo = replace(memo, '😀', '😁') WHERE seq = ${6 + 2}`);
    expect(await verify()).toMatchObject({ ok: false, first_bad_seq: 8, reason: 'hash does not match the transaction and its postings' });
  });

  it('checks a range on its own and still catches tampering inside it', async () => {
    await h.sql.exec(`UPDATE postings SET amount = amount - 1 WHERE seq = 5 AND account_id = '${budget}'`);
    expect(await verify('?from_seq=1&to_seq=4')).toMatchObject({ ok: false, checked: 4 }); // balances still differ
    expect(await verify('?from_seq=5&to_seq=6')).toMatchObject({ ok: false, first_bad_seq: 5 });
    const bad = await h.call('GET', '/v1/audit/verify?from_seq=5&to_seq=2', { token: auditor });
    expect(bad.status).toBe(400);
  });
});

/** What a careful forger does after editing seq `from`: recomputes every hash from there on, so that the chain links up. */
async function rechain(from: number) {
  const [before] = await h.sql.all<{ hash: string }>(`SELECT hash FROM transactions WHERE seq = ${from - 1}`);
  let prev = before!.hash;
  const txs = await h.sql.all<Omit<HashedTransaction, 'postings'>>(
    `SELECT seq, id, kind, actor, memo, ref_type, ref_id, reverses_id, created_at FROM transactions WHERE seq >= ${from} ORDER BY seq`,
  );
  for (const tx of txs) {
    const postings = await h.sql.all<{ account_id: string; amount: number }>(`SELECT account_id, amount FROM postings WHERE seq = ${tx.seq}`);
    const hash = hashTransaction(prev, { ...tx, postings });
    await h.sql.exec(`UPDATE transactions SET prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${tx.seq}`);
    prev = hash;
  }
}
