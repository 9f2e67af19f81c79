import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { databaseUrl, freshDatabase } from '../support/harness-postgres.js';
import { kyselyForPool, openPool } from '../../src/db/postgres.js';
import { PostgresWriteExecutor } from '../../src/db/postgres-executor.js';
import { appendTransaction } from '../../src/ledger/transactions.js';

// A commit group on PostgreSQL goes to the server in one round trip
// (jifen_write_group, schema/postgres/0004): the writes that arrive together
// share one transaction, a refused write is rolled back alone and answered
// with its own refusal, and a chain write built on the head of a refused one
// is built again on the real head.
let pool: pg.Pool;
beforeAll(async () => {
  void inject('pgAdminUrl');
  pool = openPool(databaseUrl(await freshDatabase()), { max: 2, durability: 'full' });
});
afterAll(() => pool.end());

describe('a commit group on PostgreSQL', () => {
  it('commits its writes together, refuses one alone, and rebuilds the chain writes after a refused one', async () => {
    const db = kyselyForPool(pool);
    const executor = new PostgresWriteExecutor(pool);
    const builds: number[] = [];
    const transfer = (from: string, to: string, amount: number) => {
      const n = builds.push(0) - 1;
      return executor.write((head) => {
        builds[n]!++;
        const r = appendTransaction(db, head, {
          kind: 'adjustment',
          actor: 'test',
          created_at: '2026-03-01T08:00:00.000Z',
          postings: [{ account_id: from, amount: -amount }, { account_id: to, amount }],
        });
        return { statements: r.statements, head: r.head, result: r.transaction.seq };
      });
    };
    const org = (id: string) =>
      executor.write(() => ({
        statements: [db.insertInto('orgs').values({ id, name: id, kind: 'city', parent_id: null, path: `/${id}/`, created_at: '2026-03-01T08:00:00.000Z' }).compile()],
        result: id,
      }));

    // Asked in one turn of the event loop: one group.
    const answers = await Promise.allSettled([
      org('org_a'),
      transfer('program:issuance', 'program:settled', 100),
      transfer('program:settled', 'program:expired', 1_000_000),
      org('org_a'),
      transfer('program:issuance', 'program:expired', 5),
      org('org_b'),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as { code?: string }).code))).toEqual([
      'org_a',
      1,
      'insufficient_funds',
      expect.any(String),
      2,
      'org_b',
    ]);
    // The duplicate org is refused as a unique key, in the words every backend uses.
    expect(String((answers[3] as PromiseRejectedResult).reason.message ?? '')).not.toMatch(/duplicate key|jifen_write_group/);

    // The last transfer was first built on the head the refused one would have made (seq 3),
    // skipped on the server, and built again on the committed head: seq 2.
    expect(builds).toEqual([1, 1, 2]);
    const { rows: chain } = await pool.query<{ seq: number; prev_hash: string; hash: string }>('SELECT seq, prev_hash, hash FROM transactions ORDER BY seq');
    expect(chain.map((r) => r.seq)).toEqual([1, 2]);
    expect(chain[1]!.prev_hash).toBe(chain[0]!.hash);
    const { rows: orgs } = await pool.query<{ id: string }>('SELECT id FROM orgs ORDER BY id');
    expect(orgs.map((r) => r.id)).toEqual(['org_a', 'org_b']);
    const { rows: balances } = await pool.query<{ id: string; posted: number }>(
      "SELECT id, posted FROM accounts WHERE id LIKE 'program:%' ORDER BY id",
    );
    expect(balances).toEqual([
      { id: 'program:expired', posted: 5 },
      { id: 'program:issuance', posted: -105 },
      { id: 'program:settled', posted: 100 },
    ]);
    const { rows: postings } = await pool.query<{ n: number; total: number }>('SELECT count(*)::bigint AS n, sum(amount)::bigint AS total FROM postings');
    expect(postings).toEqual([{ n: 4, total: 0 }]);
  });
});
