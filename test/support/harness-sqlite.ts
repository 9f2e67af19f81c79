import Database from 'better-sqlite3';
import { migrateSqlite } from '../../src/db/migrate-sqlite.js';
import { nodeDeps } from '../../src/entry/node-deps.js';
import { SqliteWriteExecutor } from '../../src/db/sqlite-executor.js';
import { parseConfig } from '../../src/config/schema.js';
import { harnessOver, TestClock, testSigningKey, TEST_SECRET, type Harness } from './harness-core.js';

/**
 * A fresh service over a fresh in-memory better-sqlite3 database built from
 * `schema/`; with `liveClock`, on the real time (browser tests).
 */
export async function createHarness(options: { liveClock?: boolean } = {}): Promise<Harness> {
  const sqlite = new Database(':memory:');
  sqlite.pragma('foreign_keys = ON');
  migrateSqlite(sqlite);
  const clock = new TestClock(options.liveClock);
  const config = parseConfig({
    JIFEN_JWT_SECRET: TEST_SECRET,
    JIFEN_SIGNING_KEY: JSON.stringify(await testSigningKey()),
    JIFEN_BODY_LIMIT: String(256 * 1024),
  });
  const deps = await nodeDeps(config, sqlite, { clock: clock.now, quiet: true });
  return harnessOver('sqlite', deps, clock, {
    all: async (sql, ...params) => sqlite.prepare(sql).all(...params) as never[],
    exec: async (...statements) => {
      sqlite.transaction(() => {
        for (const statement of statements) sqlite.prepare(statement).run();
      })();
    },
  }, () => new SqliteWriteExecutor(sqlite));
}
