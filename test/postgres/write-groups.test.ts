import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import type { CompiledQuery } from 'kysely';
import { databaseUrl, freshDatabase } from '../support/harness-postgres.js';
import { kyselyForPool, openPool } from '../../src/db/postgres.js';
import { PostgresWriteExecutor } from '../../src/db/postgres-executor.js';
import { appendTransaction } from '../../src/ledger/transactions.js';
import { isPgConnectionFault, isPgRetryable } from '../../src/db/postgres-errors.js';

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
      '23505',
      2,
      'org_b',
    ]);
    // The duplicate org is refused as a unique key, in the words every backend uses.
    expect((answers[3] as PromiseRejectedResult).reason.message).toBe('UNIQUE constraint failed: orgs.id (orgs_pkey)');

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

  const org = (id: string) =>
    `INSERT INTO orgs (id, name, kind, parent_id, path, created_at) VALUES ('${id}', '${id}', 'city', NULL, '/${id}/', '2026-03-01T08:00:00.000Z')`;

  it('runs on the server: a refused write rolled back alone, chain writes after it skipped, the rest written', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ ord: number; skipped: boolean; code: string | null; table_name: string | null; constraint_name: string | null }>(
        'SELECT ord, skipped, code, table_name, constraint_name FROM jifen_write_group($1::text[], $2::boolean[])',
        [
          [org('org_g1'), `${org('org_g2')}; ${org('org_g1')}`, org('org_g3'), org('org_g4'), org('org_g5')],
          [false, true, true, false, true],
        ],
      );
      expect(rows).toEqual([
        { ord: 2, skipped: false, code: '23505', table_name: 'orgs', constraint_name: 'orgs_pkey' },
        { ord: 3, skipped: true, code: null, table_name: null, constraint_name: null },
        { ord: 5, skipped: true, code: null, table_name: null, constraint_name: null },
      ]);
      // The refused write's first statement went with it; the skipped ones never ran.
      const { rows: orgs } = await client.query<{ id: string }>("SELECT id FROM orgs WHERE id LIKE 'org_g%' ORDER BY id");
      expect(orgs.map((r) => r.id)).toEqual(['org_g1', 'org_g4']);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('fails the whole group for exactly the errors the executor fails a group for', async () => {
    const codes = ['08006', '53100', '58030', '57P01', '57P03', '57014', '40001', '40P01', '23505', '23514', 'P0001', '22003', '42P01', '0A000'];
    const client = await pool.connect();
    try {
      for (const code of codes) {
        await client.query('BEGIN');
        const raise = `DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '${code}'; END $$`;
        const answer = await client
          .query<{ code: string }>('SELECT code FROM jifen_write_group($1::text[], $2::boolean[])', [[org('org_r'), raise], [false, false]])
          .then(
            ({ rows }) => ({ group: 'written', code: rows[0]?.code }),
            (error: { code?: string }) => ({ group: 'failed', code: error.code }),
          );
        await client.query('ROLLBACK');
        const failsGroup = isPgConnectionFault({ code }) || isPgRetryable({ code });
        expect(answer, code).toEqual({ group: failsGroup ? 'failed' : 'written', code });
      }
    } finally {
      client.release();
    }
  });

  it('is not cut off by a statement_timeout meant for single queries', async () => {
    // A DBA's timeout on the database: the group is one statement on the server, which may run longer.
    const name = databaseUrl(await freshDatabase());
    const admin = openPool(name, { max: 1, durability: 'full' });
    await admin.query(`ALTER DATABASE "${new URL(name).pathname.slice(1)}" SET statement_timeout = '50ms'`);
    await admin.end();
    const timed = openPool(name, { max: 2, durability: 'full' });
    try {
      expect((await timed.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]!.statement_timeout).toBe('50ms');
      const slow = { sql: `SELECT pg_sleep(0.2); ${org('org_slow')}`, parameters: [], query: undefined } as unknown as CompiledQuery;
      await new PostgresWriteExecutor(timed).write(() => ({ statements: [slow], result: null }));
      expect((await timed.query<{ id: string }>("SELECT id FROM orgs WHERE id = 'org_slow'")).rows).toEqual([{ id: 'org_slow' }]);
    } finally {
      await timed.end();
    }
  });
});
