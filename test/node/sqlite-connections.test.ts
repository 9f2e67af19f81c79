import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { endReadSnapshot, kyselyFor, openSqlite } from '../../src/db/sqlite.js';
import { SqliteWriteExecutor } from '../../src/db/sqlite-executor.js';
import { nodeDeps } from '../../src/entry/node-deps.js';
import { parseConfig } from '../../src/config/schema.js';
import { testSigningKey, TEST_SECRET } from '../support/harness-core.js';

// How the Node backend uses its connections: reads of one event-loop turn
// share one read transaction (src/db/sqlite.ts), and the connection that
// commits groups keeps its savepoint journals in memory (commit-group.js).
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
const addOrg = (other: Database.Database, id: string) =>
  other.prepare(`INSERT INTO orgs (id, name, kind, parent_id, path, created_at) VALUES (?, 'x', 'city', NULL, ?, 'now')`).run(id, `/${id}/`);

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
    const insert = (id: string) => () => ({
      statements: [sql`INSERT INTO orgs (id, name, kind, parent_id, path, created_at) VALUES (${id}, 'x', 'city', NULL, ${`/${id}/`}, 'now')`.compile(db)],
      result: id,
    });
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
