import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { adjust, allocate, member, programme } from './support/fixtures.js';

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

  it('checks a range on its own and still catches tampering inside it', async () => {
    await h.sql.exec(`UPDATE postings SET amount = amount - 1 WHERE seq = 5 AND account_id = '${budget}'`);
    expect(await verify('?from_seq=1&to_seq=4')).toMatchObject({ ok: false, checked: 4 }); // balances still differ
    expect(await verify('?from_seq=5&to_seq=6')).toMatchObject({ ok: false, first_bad_seq: 5 });
    const bad = await h.call('GET', '/v1/audit/verify?from_seq=5&to_seq=2', { token: auditor });
    expect(bad.status).toBe(400);
  });
});
