import pg from 'pg';
import { inject } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresDeps } from '../../src/entry/node-deps.js';
import { openPool } from '../../src/db/postgres.js';
import { PostgresWriteExecutor } from '../../src/db/postgres-executor.js';
import { describePgError } from '../../src/db/postgres-errors.js';
import { parseConfig } from '../../src/config/schema.js';
import { bundlePageScripts } from '../../src/pages/bundle-pages.js';
import { pageScriptsFrom } from '../../src/pages/page-scripts.js';
import { harnessOver, TestClock, testSigningKey, TEST_SECRET, type Harness, type RawSql } from './harness-core.js';

/** The pages' browser scripts, bundled by esbuild once per test process. */
export const SCRIPTS = await bundlePageScripts();
const pageScripts = pageScriptsFrom(SCRIPTS);

const dirs: string[] = [];
process.once('exit', () => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const adminUrl = inject('pgAdminUrl');
const template = inject('pgTemplate');
let admin: pg.Client | undefined;
let made = 0;

/** A database of this URL's server by name. */
export function databaseUrl(name: string): string {
  return new URL(name, `${adminUrl.replace(/\/[^/]*$/, '')}/`).href;
}

/** A fresh database copied from the migrated template; its name. */
export async function freshDatabase(): Promise<string> {
  if (!admin) {
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
  }
  const name = `jifen_t${process.pid}_${++made}`;
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return name;
}

/**
 * A fresh service over a fresh PostgreSQL database (a copy of the template
 * migrated from schema/postgres/), through the pool and the group-commit
 * executor `JIFEN_DATABASE_URL` runs with. With `liveClock`, on the real time.
 */
export async function createHarness(options: { liveClock?: boolean } = {}): Promise<Harness> {
  const url = databaseUrl(await freshDatabase());
  // A harness is dropped without a close: idle connections go soon, so thrown-away ones do not fill the server.
  const pool = openPool(url, { max: 4, idleTimeoutMillis: 500, durability: 'normal' });
  const clock = new TestClock(options.liveClock);
  const dir = mkdtempSync(join(tmpdir(), 'jifen-test-pg-'));
  dirs.push(dir);
  const config = parseConfig({
    JIFEN_JWT_SECRET: TEST_SECRET,
    JIFEN_SIGNING_KEY: JSON.stringify(await testSigningKey()),
    JIFEN_BODY_LIMIT: String(256 * 1024),
    JIFEN_DURABILITY: 'normal',
    JIFEN_DATABASE_URL: url,
    JIFEN_DATA_DIR: dir,
  });
  const deps = await postgresDeps(config, pool, { clock: clock.now, quiet: !process.env.JIFEN_TEST_LOG });
  return harnessOver('postgres', deps, clock, directSql(pool), () => new PostgresWriteExecutor(pool), pageScripts);
}

/**
 * A tampering statement in the SQLite form the shared tests write it in:
 * PostgreSQL names a trigger with its table (DROP TRIGGER t ON table).
 */
async function pgStatement(client: pg.PoolClient, statement: string): Promise<string> {
  const drop = /^\s*DROP TRIGGER (IF EXISTS )?(\w+)\s*;?\s*$/i.exec(statement);
  if (!drop) return statement;
  const { rows } = await client.query<{ tbl: string }>(
    'SELECT c.relname AS tbl FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = $1 AND NOT t.tgisinternal',
    [drop[2]],
  );
  return rows[0] ? `DROP TRIGGER ${drop[2]} ON ${rows[0].tbl}` : statement;
}

/** `?` placeholders (the shared tests write SQLite's) as PostgreSQL's `$n`. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * SQL straight on the database (tampering, checks). A refusal is reported in
 * the words the service reads (describePgError), so a test of a guard expects
 * the same message on every backend.
 */
export function directSql(pool: pg.Pool): RawSql {
  return {
    all: async (sql, ...params) => {
      try {
        return (await pool.query(numbered(sql), params)).rows as never[];
      } catch (error) {
        throw describePgError(error);
      }
    },
    exec: async (...statements) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const statement of statements) await client.query(await pgStatement(client, statement));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw describePgError(error);
      } finally {
        client.release();
      }
    },
  };
}
