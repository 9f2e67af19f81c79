import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { endReadSnapshot, kyselyFor, openSqlite } from '../../src/db/sqlite.js';
import { SqliteWriteExecutor } from '../../src/db/sqlite-executor.js';
import { nodeDeps } from '../../src/entry/node-deps.js';
import { parseConfig } from '../../src/config/schema.js';
import { testSigningKey, TEST_SECRET } from '../support/harness-core.js';

const require = createRequire(import.meta.url);

// How the Node backend uses its connections: reads of one event-loop turn
// share one read transaction (src/db/sqlite.ts), and the connection that
// commits groups keeps its savepoint journals in memory (connection.ts).
let dir: string | undefined;
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function fileDatabase() {
  dir = mkdtempSync(join(tmpdir(), 'jifen-connections-'));
  const file = join(dir, 'jifen.db');
  const sqlite = openSqlite(file, 'normal');
  // Another connection to the same file: the writer thread, or another process.
  const other = new Database(file);
  open.push(sqlite, other);
  return { sqlite, other, db: kyselyFor(sqlite) };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const orgCount = async (db: ReturnType<typeof kyselyFor>) =>
  (await sql<{ n: number }>`SELECT count(*) AS n FROM orgs`.execute(db)).rows[0]!.n;
/** An org written by another connection (the writer thread, or another process). */
const addOrg = (other: Database.Database, id: string) => {
  const { sql: text, parameters } = orgInsert(kyselyFor(other), id);
  other.prepare(text).run(...parameters);
};

describe('the read snapshot of one turn', () => {
  it('is shared by the reads of a turn and gone by the next turn', async () => {
    const { other, db } = fileDatabase();
    expect(await orgCount(db)).toBe(0);
    addOrg(other, 'org_a');
    // Same turn: the second read is in the first one's transaction.
    expect(await orgCount(db)).toBe(0);
    await nextTurn();
    expect(await orgCount(db)).toBe(1);
  });

  it('ends at once before a commit is acknowledged', async () => {
    const { sqlite, other, db } = fileDatabase();
    expect(await orgCount(db)).toBe(0);
    addOrg(other, 'org_a');
    endReadSnapshot(sqlite);
    expect(await orgCount(db)).toBe(1);
  });

  it('never holds a commit on the same connection back: a write queued before a read of its turn commits, and the next read sees it', async () => {
    const { sqlite, db } = fileDatabase();
    const executor = new SqliteWriteExecutor(sqlite);
    const insert = (id: string) => () => ({ statements: [orgInsert(db, id)], result: id });
    expect(await executor.write(insert('org_a'))).toBe('org_a');
    // Queued first, so its commit comes before the end of the turn that the read below opens.
    const written = executor.write(insert('org_b'));
    expect(await orgCount(db)).toBe(1);
    expect(await written).toBe('org_b');
    expect(await orgCount(db)).toBe(2);
    await executor.close();
  });
});

describe('the committing connection', () => {
  it('keeps temporary storage (the savepoint journals) in memory', async () => {
    const { sqlite } = fileDatabase();
    expect(sqlite.pragma('temp_store', { simple: true })).toBe(0);
    const config = parseConfig({ JIFEN_JWT_SECRET: TEST_SECRET, JIFEN_SIGNING_KEY: JSON.stringify(await testSigningKey()), JIFEN_WRITER_THREAD: 'off' });
    const deps = await nodeDeps(config, sqlite, { quiet: true });
    expect(sqlite.pragma('temp_store', { simple: true })).toBe(2);
    await deps.executor.close?.();
  });
});

describe('the WAL under steady reads', () => {
  it('starts over although readers on another thread always hold a snapshot', async () => {
    const { sqlite, other, db } = fileDatabase();
    other.close();
    // Two readers on another thread, taking turns so that one always holds a snapshot (as the
    // request thread does while the writer thread commits), until told to stop.
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const readers = new Worker(
      `const { workerData } = require('node:worker_threads');
       const Database = require(workerData.module);
       const [a, b] = [new Database(workerData.file), new Database(workerData.file)];
       const nap = new Int32Array(new SharedArrayBuffer(4));
       a.exec('BEGIN'); a.prepare('SELECT count(*) FROM orgs').get();
       for (let turn = 0; Atomics.load(workerData.stop, 0) === 0; turn++) {
         const [next, held] = turn % 2 ? [a, b] : [b, a];
         next.exec('BEGIN'); next.prepare('SELECT count(*) FROM orgs').get();
         held.exec('COMMIT');
         Atomics.wait(nap, 0, 0, 2);
       }`,
      { eval: true, workerData: { file: sqlite.name, module: require.resolve('better-sqlite3'), stop } },
    );
    const salt = () => readFileSync(`${sqlite.name}-wal`).subarray(16, 24).toString('hex');
    const executor = new SqliteWriteExecutor(sqlite);
    await executor.write(() => ({ statements: [orgInsert(db, 'org_first')], result: null }));
    const first = salt();
    const started = Date.now();
    // Writes for a little over a second: a restart is tried at most every 250 ms.
    for (let i = 0; Date.now() - started < 1200; i++) {
      await executor.write(() => ({ statements: [orgInsert(db, `org_${i}`)], result: null }));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    Atomics.store(stop, 0, 1);
    await once(readers, 'exit');
    await executor.close();
    expect(salt()).not.toBe(first);
  });
});

function orgInsert(db: ReturnType<typeof kyselyFor>, id: string) {
  return sql`INSERT INTO orgs (id, name, kind, parent_id, path, created_at) VALUES (${id}, 'x', 'city', NULL, ${`/${id}/`}, 'now')`.compile(db);
}
