import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, freshDatabase } from '../support/harness-postgres.js';
import { startNodeService } from '../node/support/node-service.js';
import { buildLedger } from '../../scripts/bench-backup.js';

// npm run migrate-to-postgres on a demo programme and on a 100,000-transaction
// ledger: everything copied, verified against the newest signed checkpoint,
// and the service goes on on PostgreSQL where it stopped on SQLite.
const root = new URL('../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const dirs: string[] = [];
const services: ChildProcess[] = [];
afterAll(() => {
  services.forEach((s) => s.kill('SIGKILL'));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'jifen-migrate-'));
  dirs.push(dir);
  return dir;
};
const migrate = (dataDir: string, from: string, to: string) =>
  spawnSync(tsx, ['scripts/migrate-to-postgres.ts', '--from', from, '--to', to], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dataDir }, encoding: 'utf8', timeout: 300_000 });

const TABLES_WITH_ROWS = ['orgs', 'members', 'accounts', 'transactions', 'postings', 'transaction_seals', 'claims', 'claim_decisions', 'checkpoints', 'redemptions', 'holds'];

async function counts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, number> = {};
    for (const table of TABLES_WITH_ROWS) out[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    return out;
  } finally {
    await client.end();
  }
}

function sourceCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(TABLES_WITH_ROWS.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

describe('npm run migrate-to-postgres', () => {
  it('moves the demo programme: every row, the chain through the signed checkpoint, and the service carries on', async () => {
    const dir = tempDir();
    const seeded = spawnSync(tsx, ['scripts/seed-demo.ts'], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dir }, encoding: 'utf8', timeout: 120_000 });
    expect(seeded.status, seeded.stderr).toBe(0);
    const file = join(dir, 'jifen.db');
    // A signed checkpoint of the head, as the scheduler would have made.
    const before = startNodeService(dir);
    services.push(before.child);
    const url0 = await before.url;
    const admin = spawnSync(tsx, ['scripts/token.ts', '--role', 'admin'], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dir }, encoding: 'utf8' }).stdout.trim();
    const auditor = spawnSync(tsx, ['scripts/token.ts', '--role', 'auditor'], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dir }, encoding: 'utf8' }).stdout.trim();
    expect((await fetch(`${url0}/v1/audit/checkpoints`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } })).status).toBe(201);
    const balanceBefore = await (await fetch(`${url0}/v1/audit/trial-balance`, { headers: { authorization: `Bearer ${auditor}` } })).json();
    const membersBefore = await (await fetch(`${url0}/v1/members?limit=5`, { headers: { authorization: `Bearer ${admin}` } })).json();
    before.child.kill('SIGTERM');
    await new Promise((resolve) => before.child.once('exit', resolve));

    const target = databaseUrl(await freshDatabase());
    const run = migrate(dir, file, target);
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/verified: the chain and balances of \d+ transactions, the trial balance, the newest signed checkpoint/);
    expect(await counts(target)).toEqual(sourceCounts(file));

    // A second copy into the same database is refused, and changes nothing.
    const again = migrate(dir, file, target);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/the target is not empty/);
    expect(await counts(target)).toEqual(sourceCounts(file));

    // The service on PostgreSQL answers as it did on SQLite, and writes on from the copied head.
    const after = startNodeService(dir, { JIFEN_DATABASE_URL: target });
    services.push(after.child);
    const url1 = await after.url;
    const get = async (path: string, bearer = auditor) => (await fetch(`${url1}${path}`, { headers: { authorization: `Bearer ${bearer}` } })).json();
    expect(await get('/v1/audit/trial-balance')).toEqual(balanceBefore);
    expect(await get('/v1/members?limit=5', admin)).toEqual(membersBefore);
    const member = membersBefore.items[0];
    const adjusted = await fetch(`${url1}/v1/adjustments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'idempotency-key': 'after-move-1' },
      body: JSON.stringify({ reason: 'after the move', postings: [{ account_id: 'program:issuance', amount: '-1' }, { account_id: member.account_id, amount: '1' }] }),
    });
    expect(adjusted.status, await adjusted.clone().text()).toBe(201);
    expect((await adjusted.json()).transaction?.seq ?? (await get('/v1/audit/verify')).to_seq).toBe(sourceCounts(file).transactions! + 1);
    const verified = await get('/v1/audit/verify');
    expect(verified.ok).toBe(true);
    expect(verified.balance_mismatches).toEqual([]);
    expect(verified.to_seq).toBe(sourceCounts(file).transactions! + 1);
  }, 240_000);

  it('refuses a source whose chain does not verify, and leaves the target empty', async () => {
    const dir = tempDir();
    const file = join(dir, 'jifen.db');
    buildLedger(file, 300, () => undefined);
    const tampered = new Database(file);
    tampered.exec("DROP TRIGGER transactions_no_update; UPDATE transactions SET memo = 'forged' WHERE seq = 150");
    tampered.close();
    const target = databaseUrl(await freshDatabase());
    const run = migrate(dir, file, target);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stderr).toMatch(/does not verify.*seq 150/);
    expect((await counts(target)).transactions).toBe(0);
  }, 120_000);

  it('moves a 100,000-transaction ledger and says how long it took', () => {
    const dir = tempDir();
    const file = join(dir, 'ledger.db');
    buildLedger(file, 100_000, () => undefined);
    return freshDatabase().then(async (name) => {
      const target = databaseUrl(name);
      const started = performance.now();
      const run = migrate(dir, file, target);
      const seconds = (performance.now() - started) / 1000;
      expect(run.status, run.stderr).toBe(0);
      console.log(`migrate-to-postgres, 100,000 transactions: ${seconds.toFixed(1)} s (${run.stdout.trim().split('\n').pop()})`);
      expect((await counts(target)).transactions).toBe(100_000);
      expect((await counts(target)).postings).toBe(200_000);
    });
  }, 600_000);
});
