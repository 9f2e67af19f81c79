import Database from 'better-sqlite3';
import pg from 'pg';
import { inject, describe, expect, it, beforeAll, afterAll } from 'vitest';
import { migrateSqlite } from '../../src/db/migrate-sqlite.js';
import { databaseUrl, freshDatabase } from '../support/harness-postgres.js';
import { kyselyForPool, openPool } from '../../src/db/postgres.js';
import { PostgresWriteExecutor } from '../../src/db/postgres-executor.js';
import { migratePostgres } from '../../src/db/migrate-postgres.js';

// Every guard of schema/ has a twin in schema/postgres/: the same tables and
// columns, a trigger of the same name on the same table, the same named CHECK
// constraints and unique keys. A guard added to one schema only fails here.
const sqlite = new Database(':memory:');
migrateSqlite(sqlite);
let client: pg.Client;
beforeAll(async () => {
  void inject('pgAdminUrl');
  client = new pg.Client({ connectionString: databaseUrl(await freshDatabase()) });
  await client.connect();
});
afterAll(() => client.end());

const sqliteRows = <T>(sql: string, ...params: unknown[]) => sqlite.prepare(sql).all(...params) as T[];
const sqliteTables = sqliteRows<{ name: string }>(
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'd1_migrations' ORDER BY name",
).map((r) => r.name);

describe('the PostgreSQL schema is the twin of the SQLite schema', () => {
  it('has the same tables with the same columns', async () => {
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> 'jifen_migrations' ORDER BY table_name, ordinal_position`,
    );
    const pgColumns = new Map<string, string[]>();
    for (const row of rows) pgColumns.set(row.table_name, [...(pgColumns.get(row.table_name) ?? []), row.column_name]);
    for (const table of sqliteTables) {
      const columns = sqliteRows<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, table).map((c) => c.name);
      expect(pgColumns.get(table), table).toEqual(columns);
    }
    const views = sqliteRows<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").map((v) => v.name);
    expect([...pgColumns.keys()].sort()).toEqual([...sqliteTables, ...views].sort());
  });

  it('has a trigger of the same name on the same table for every SQLite trigger', async () => {
    const triggers = sqliteRows<{ name: string; tbl_name: string }>("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY name");
    expect(triggers.length).toBeGreaterThan(100);
    const { rows } = await client.query<{ name: string; tbl_name: string }>(
      `SELECT t.tgname AS name, c.relname AS tbl_name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal`,
    );
    const twins = new Set(rows.map((r) => `${r.tbl_name}.${r.name}`));
    const missing = triggers.filter((t) => !twins.has(`${t.tbl_name}.${t.name}`)).map((t) => `${t.tbl_name}.${t.name}`);
    expect(missing).toEqual([]);
  });

  it('runs the guards that may refuse one row in the order SQLite runs them', async () => {
    // SQLite fires a table's triggers of one timing and event newest first, PostgreSQL by name;
    // so the first guard to refuse a row that breaks two, and its word, could differ.
    // A guard is here a trigger whose body raises; on PostgreSQL, the first trigger running its
    // function counts (0006 adds triggers that run a guard earlier), and a quick twin counts as
    // the guard it stands in for.
    const standsFor: Record<string, string> = { claims_hardening_app_times: 'claims_hardening' };
    const event = (sql: string) => /\b(BEFORE|AFTER|INSTEAD OF)\s+(INSERT|UPDATE|DELETE)\b/i.exec(sql);
    const sqliteOrder = new Map<string, string[]>();
    for (const t of sqliteRows<{ name: string; tbl_name: string; sql: string }>("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid DESC")) {
      const e = event(t.sql);
      if (!e || !/RAISE\s*\(\s*ABORT/i.test(t.sql)) continue;
      const key = `${t.tbl_name} ${e[2]!.toUpperCase()}`;
      sqliteOrder.set(key, [...(sqliteOrder.get(key) ?? []), t.name]);
    }
    // tgtype: 2 BEFORE, 4 INSERT, 8 DELETE, 16 UPDATE. Guards raise in BEFORE triggers here
    // (and SQLite's AFTER guards of one event run after its BEFORE ones either way).
    const { rows } = await client.query<{ tbl: string; name: string; fn: string; tgtype: number }>(
      `SELECT c.relname AS tbl, t.tgname AS name, p.proname AS fn, t.tgtype::int AS tgtype
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
       WHERE NOT t.tgisinternal ORDER BY c.relname, t.tgname COLLATE "C"`,
    );
    const differ: string[] = [];
    let compared = 0;
    for (const [key, order] of sqliteOrder) {
      if (order.length < 2) continue;
      const [table, ev] = key.split(' ') as [string, string];
      const bit = { INSERT: 4, DELETE: 8, UPDATE: 16 }[ev]!;
      const fired: string[] = [];
      for (const r of rows.filter((r) => r.tbl === table && (r.tgtype & bit) !== 0)) {
        const guard = standsFor[r.fn] ?? r.fn;
        if (order.includes(guard) && !fired.includes(guard)) fired.push(guard);
      }
      compared++;
      if (fired.join(' ') !== order.join(' ')) differ.push(`${key}: SQLite ${order.join(', ')}; PostgreSQL ${fired.join(', ')}`);
    }
    expect(differ).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(3);
  });

  it('gives a trigger that runs a guard earlier the same timing, event and condition as the guard’s own', async () => {
    // 0006's triggers run a twin's function where SQLite's order puts it: had a later migration
    // changed the twin's WHEN (a bound, a kind), the earlier copy would still refuse by the old one.
    const { rows } = await client.query<{ tbl: string; fn: string; name: string; def: string }>(
      `SELECT c.relname AS tbl, p.proname AS fn, t.tgname AS name, pg_get_triggerdef(t.oid) AS def
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal`,
    );
    const shared = rows.filter((r) => rows.some((o) => o !== r && o.tbl === r.tbl && o.fn === r.fn && o.fn === o.name));
    const body = (r: { name: string; def: string }) => r.def.replace(`TRIGGER ${r.name} `, 'TRIGGER ');
    const differ = shared.filter((r) => r.name !== r.fn).filter((r) => body(r) !== body(rows.find((o) => o.tbl === r.tbl && o.name === r.fn)!));
    expect(differ.map((r) => `${r.tbl}.${r.name}: ${body(r)}`)).toEqual([]);
    expect(shared.filter((r) => r.name !== r.fn).map((r) => r.name).sort()).toEqual([
      'claims_for_active_members',
      'postings_active_member_first',
      'postings_fits_bound',
      'transactions_check_reversal_first',
    ]);
  });

  it('has every named CHECK constraint', async () => {
    const named = new Set<string>();
    for (const { sql } of sqliteRows<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL")) {
      for (const match of sql.matchAll(/CONSTRAINT\s+(\w+)\s+CHECK/gi)) named.add(match[1]!);
    }
    const { rows } = await client.query<{ conname: string }>(`SELECT conname FROM pg_constraint WHERE contype = 'c'`);
    const pgNames = new Set(rows.map((r) => r.conname));
    expect([...named].filter((name) => !pgNames.has(name))).toEqual([]);
  });

  it('has the same unique keys', async () => {
    const unique = new Set<string>();
    for (const table of sqliteTables) {
      for (const index of sqliteRows<{ name: string; unique: number; partial: number }>(`SELECT name, "unique", partial FROM pragma_index_list(?)`, table)) {
        if (!index.unique) continue;
        const columns = sqliteRows<{ name: string | null }>(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, index.name).map((c) => c.name ?? '<expr>');
        unique.add(`${table}(${columns.join(',')})${index.partial ? ' partial' : ''}`);
      }
    }
    const { rows } = await client.query<{ tbl: string; cols: string; partial: boolean }>(
      `SELECT c.relname AS tbl,
              string_agg(coalesce(a.attname, '<expr>'), ',' ORDER BY k.ord) AS cols,
              i.indpred IS NOT NULL AS partial
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum AND k.attnum > 0
       WHERE i.indisunique AND c.relname <> 'jifen_migrations'
       GROUP BY c.relname, i.indexrelid, i.indpred`,
    );
    const pgUnique = new Set(rows.map((r) => `${r.tbl}(${r.cols})${r.partial ? ' partial' : ''}`));
    expect([...unique].filter((key) => !pgUnique.has(key)).sort()).toEqual([]);
  });
});

describe('the database Jifen migrates', () => {
  it('is refused when it orders text by a language, not byte by byte', async () => {
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    const name = `jifen_icu_${process.pid}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'zh' LOCALE 'C.UTF-8'`);
    await admin.end();
    const pool = openPool(databaseUrl(name), { max: 1 });
    try {
      await expect(migratePostgres(pool)).rejects.toThrow(/orders text by an ICU locale; Jifen needs byte order/);
      expect((await pool.query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('stores text exactly, even where the server is set to read backslashes in quotes as escapes', async () => {
    const name = databaseUrl(await freshDatabase());
    const admin = new pg.Client({ connectionString: name });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${new URL(name).pathname.slice(1)} SET standard_conforming_strings = off`);
    await admin.end();
    const pool = openPool(name, { max: 2 });
    try {
      const db = kyselyForPool(pool);
      const text = "路\\'); DROP TABLE orgs; --\\x41\\n'";
      const insert = db.insertInto('orgs').values({ id: 'org_x', name: text, kind: 'city', parent_id: null, path: '/org_x/', created_at: '2026-01-01T00:00:00.000Z' }).compile();
      await new PostgresWriteExecutor(pool).write(() => ({ statements: [insert], result: null }));
      expect((await pool.query('SELECT name FROM orgs')).rows).toEqual([{ name: text }]);
    } finally {
      await pool.end();
    }
  });
});
