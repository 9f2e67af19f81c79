import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/db/sqlite.js';
import { nodeDeps } from '../../src/entry/node-deps.js';
import { parseConfig } from '../../src/config/schema.js';
import { SqliteWriteExecutor } from '../../src/db/sqlite-executor.js';
import { directSql } from '../support/harness-sqlite.js';
import { harnessOver, TestClock, testSigningKey, TEST_SECRET, type Answer, type Harness } from '../support/harness-core.js';
import { expectSoundLedger, stateFingerprint, member, programme } from '../support/fixtures.js';

// Resource faults on a real database file: another process holding the write
// lock (SQLITE_BUSY), a full disk (SQLITE_FULL, provoked with max_page_count
// on the live connection), and a COMMIT that fails. Every write caught in a
// fault answers 503 problem+json with Retry-After and leaves nothing behind;
// once the fault clears the same service, not restarted, answers normally
// and the same Idempotency-Keys go through.

let dir: string | undefined;
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A service over a fresh file database; `wrap` may stand between the executor and the connection. */
async function fileHarness(wrap: (db: Database.Database) => Database.Database = (db) => db) {
  dir = mkdtempSync(join(tmpdir(), 'jifen-faults-'));
  const file = join(dir, 'jifen.db');
  const sqlite = openSqlite(file, 'full');
  sqlite.pragma('busy_timeout = 20'); // a locked database must not stall the event loop for long
  open.push(sqlite);
  const clock = new TestClock();
  // The faults are injected on this connection, so it commits here (the writer
  // thread runs the same commit loop, src/db/commit-group.ts, on its own).
  const config = parseConfig({ JIFEN_JWT_SECRET: TEST_SECRET, JIFEN_SIGNING_KEY: JSON.stringify(await testSigningKey()), JIFEN_WRITER_THREAD: 'off' });
  const deps = await nodeDeps(config, wrap(sqlite), { clock: clock.now, quiet: true });
  const h = harnessOver('sqlite', deps, clock, directSql(sqlite), () => new SqliteWriteExecutor(sqlite));
  return { h, sqlite, file };
}

/** Twelve different writes sent at once, so the executor commits them as one group. */
async function writeBurst(h: Harness, p: Awaited<ReturnType<typeof programme>>, worker: { account_id: string }, round: string) {
  return Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0
        ? h.call('POST', '/v1/members', { token: p.admin, headers: { 'Idempotency-Key': `${round}-m${i}` }, body: { home_org_id: p.community.id, display_name: `骑手${'甲'.repeat(90)}${i}` } })
        : h.call('POST', '/v1/adjustments', {
            token: p.admin,
            headers: { 'Idempotency-Key': `${round}-a${i}` },
            body: { reason: `fault drill ${i} ${'x'.repeat(400)}`, postings: [{ account_id: p.community.budget_account_id, amount: '-0.5' }, { account_id: worker.account_id, amount: '0.5' }] },
          }),
    ),
  );
}

let refusedWrites = 0;
function expectUnavailable(answers: Answer[]) {
  refusedWrites += answers.length;
  for (const a of answers) {
    expect(a.status, a.text).toBe(503);
    expect(a.headers.get('content-type')).toBe('application/problem+json');
    expect(a.headers.get('retry-after')).toBe('1');
    expect(a.body.code).toBe('storage_unavailable');
    expect(a.text).not.toMatch(/SqliteError|at .*\.ts:\d+/);
  }
}

async function setUp(h: Harness) {
  const p = await programme(h);
  const worker = await member(h, p.admin, p.community.id);
  const res = await h.call('POST', '/v1/budget-allocations', { token: p.admin, body: { org_id: p.community.id, amount: '1000' } });
  expect(res.status).toBe(201);
  return { p, worker };
}

describe('resource faults on the Node backend', () => {
  it('another process holds the write lock: 503 with Retry-After, nothing written, and the same keys succeed once it lets go', async () => {
    const { h, file } = await fileHarness();
    const { p, worker } = await setUp(h);
    const before = await stateFingerprint(h);
    const other = new Database(file);
    open.push(other);
    other.exec('BEGIN IMMEDIATE');
    other.prepare("INSERT INTO control_refusals (id, kind, actor, created_at) VALUES ('lock', 'drill', 'other', '2026-01-01')").run();
    const refused = await writeBurst(h, p, worker, 'busy');
    expectUnavailable(refused);
    // Reads still work while the lock is held (WAL).
    expect((await h.call('GET', '/v1/audit/trial-balance', { token: p.admin })).status).toBe(200);
    other.exec('ROLLBACK');
    expect(await stateFingerprint(h)).toEqual(before);
    expect(await h.sql.all("SELECT count(*) AS n FROM idempotency_keys WHERE key LIKE 'busy-%'")).toEqual([{ n: 0 }]);

    const retried = await writeBurst(h, p, worker, 'busy');
    expect(retried.map((a) => a.status)).toEqual(Array(12).fill(201));
    await expectSoundLedger(h, p.admin);
  });

  it('the disk fills up in the middle of a group commit: every write of the group answers 503, none is half-applied, and all go through once there is room', async () => {
    const { h, sqlite } = await fileHarness();
    const { p, worker } = await setUp(h);
    const before = await stateFingerprint(h);
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);
    const refused = await writeBurst(h, p, worker, 'full');
    const statuses = refused.map((a) => a.status);
    expect(statuses).toContain(503);
    // SQLite rolls the whole transaction back on SQLITE_FULL: the group shares one fate.
    expectUnavailable(refused);
    expect(await stateFingerprint(h)).toEqual(before);
    expect(await h.sql.all("SELECT count(*) AS n FROM idempotency_keys WHERE key LIKE 'full-%'")).toEqual([{ n: 0 }]);
    // Small writes that fit in free pages still go through while the disk is full.
    const small = await h.call('POST', '/v1/orgs', { token: p.admin, body: { name: '小', kind: 'grid', parent_id: p.community.id } });
    expect([201, 503]).toContain(small.status);

    sqlite.pragma('max_page_count = 1073741823');
    const retried = await writeBurst(h, p, worker, 'full');
    expect(retried.map((a) => a.status)).toEqual(Array(12).fill(201));
    const again = await writeBurst(h, p, worker, 'full');
    expect(again.map((a) => a.body)).toEqual(retried.map((a) => a.body));
    expect(again.every((a) => a.headers.get('idempotent-replayed') === 'true')).toBe(true);
    await expectSoundLedger(h, p.admin);
  });

  it('a COMMIT that fails refuses the whole group and the next group commits', async () => {
    let failCommits = 0;
    const { h } = await fileHarness((db) => {
      // Stands between the executor and the connection: COMMIT fails (as a full disk or an I/O error would) while failCommits > 0.
      return new Proxy(db, {
        get(target, prop) {
          if (prop === 'prepare') {
            return (sql: string) => {
              const statement = target.prepare(sql);
              if (sql !== 'COMMIT') return statement;
              return {
                run: () => {
                  if (failCommits > 0) {
                    failCommits--;
                    throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
                  }
                  return statement.run();
                },
              };
            };
          }
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    });
    const { p, worker } = await setUp(h);
    const before = await stateFingerprint(h);
    failCommits = 1;
    const refused = await writeBurst(h, p, worker, 'commit');
    expectUnavailable(refused);
    expect(await stateFingerprint(h)).toEqual(before);
    const retried = await writeBurst(h, p, worker, 'commit');
    expect(retried.map((a) => a.status)).toEqual(Array(12).fill(201));
    const txs = await h.sql.all<{ n: number }>('SELECT count(*) AS n FROM transactions');
    expect(txs[0]!.n).toBe(before.transactions!.length + 8);
    await expectSoundLedger(h, p.admin);
    console.log(`resource faults (sqlite): 3 faults (write lock held, disk full mid-group, COMMIT failed), ${refusedWrites} writes answered 503 with nothing written, all accepted after the fault cleared`);
  });
});
