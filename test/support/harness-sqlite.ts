import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureConnection } from '../../src/db/connection.js';
import { migrateSqlite } from '../../src/db/migrate-sqlite.js';
import { endReadSnapshot, openSqlite } from '../../src/db/sqlite.js';
import { nodeDeps } from '../../src/entry/node-deps.js';
import { SqliteWriteExecutor } from '../../src/db/sqlite-executor.js';
import { parseConfig } from '../../src/config/schema.js';
import { bundlePageScripts } from '../../src/pages/bundle-pages.js';
import { pageScriptsFrom } from '../../src/pages/page-scripts.js';
import { harnessOver, TestClock, testSigningKey, TEST_SECRET, type Harness } from './harness-core.js';

/** The pages' browser scripts, bundled by esbuild once per test process. */
export const SCRIPTS = await bundlePageScripts();
const pageScripts = pageScriptsFrom(SCRIPTS);

const fileDirs: string[] = [];
process.once('exit', () => fileDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A data folder for one harness's evidence files, removed when the tests end. */
function evidenceDir(): string {
  const dir = join(tmpdir(), `jifen-test-evidence-${process.pid}-${fileDirs.length}-${Math.random().toString(36).slice(2)}`);
  fileDirs.push(dir);
  return dir;
}

/**
 * A fresh service over a fresh better-sqlite3 database built from `schema/`:
 * in memory, committing on the test's thread; or, in the `sqlite-thread`
 * project (JIFEN_TEST_WRITER=thread), a file committed by the writer thread
 * as `npm start` runs it. With `liveClock`, on the real time (browser tests).
 */
export async function createHarness(options: { liveClock?: boolean } = {}): Promise<Harness> {
  const threaded = process.env.JIFEN_TEST_WRITER === 'thread';
  const dir = threaded ? mkdtempSync(join(tmpdir(), 'jifen-test-')) : '';
  if (threaded) fileDirs.push(dir);
  const sqlite = threaded ? openSqlite(join(dir, 'jifen.db'), 'normal') : new Database(':memory:');
  if (!threaded) {
    // The settings production opens with (openSqlite), short of WAL, which a database in memory cannot keep.
    configureConnection(sqlite, { durability: 'normal' });
    migrateSqlite(sqlite);
  }
  const clock = new TestClock(options.liveClock);
  const config = parseConfig({
    JIFEN_JWT_SECRET: TEST_SECRET,
    JIFEN_SIGNING_KEY: JSON.stringify(await testSigningKey()),
    JIFEN_BODY_LIMIT: String(256 * 1024),
    JIFEN_DURABILITY: 'normal',
    JIFEN_WRITER_THREAD: threaded ? 'on' : 'off',
    // Evidence images are files under the data folder: a folder of this harness's own (made on first upload).
    JIFEN_DATA_DIR: evidenceDir(),
  });
  const deps = await nodeDeps(config, sqlite, { clock: clock.now, quiet: true });
  return harnessOver('sqlite', deps, clock, directSql(sqlite), () => new SqliteWriteExecutor(sqlite), pageScripts);
}

/** SQL straight on the connection, outside the service's read snapshot (tampering, checks). */
export function directSql(sqlite: Database.Database): Harness['sql'] {
  return {
    all: async (sql, ...params) => {
      endReadSnapshot(sqlite);
      return sqlite.prepare(sql).all(...params) as never[];
    },
    exec: async (...statements) => {
      endReadSnapshot(sqlite);
      sqlite.transaction(() => statements.forEach((statement) => sqlite.prepare(statement).run()))();
    },
  };
}
