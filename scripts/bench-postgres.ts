// npm run bench -- --engine postgres [--duration 10 --connections 50 --members 200]
//
// PostgreSQL beside SQLite, in one run, on a private durable cluster
// (fsync on, synchronous_commit=on; scripts/pg-cluster.ts):
//  1. pgbench on a plain two-posting ledger (one UPDATE per account and the
//     two entries, one transaction per transfer): every transfer through one
//     hot account, then spread over 10,000 accounts. The figure group commit
//     must beat is the hot one: each transfer holds the hot row until its own
//     commit is flushed.
//  2. Jifen's write path without HTTP: 50 writers appending two-posting
//     transactions from one budget account (the chain head and the budget are
//     both hot), through the executor `npm start` uses, on PostgreSQL and on
//     the embedded database.
//  3. The credit write over HTTP (POST /v1/claims, auto-approved, keyed), the
//     service as `npm start` runs it, on each engine.
// Prints one table of figures and ratios from this one run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';
import { parseConfig } from '../src/config/schema.js';
import { mintToken } from '../src/auth/mint.js';
import { createApp } from '../src/app.js';
import type { AppDeps } from '../src/deps.js';
import { nodeDeps, postgresDeps } from '../src/entry/node-deps.js';
import { openSqlite } from '../src/db/sqlite.js';
import { openPool } from '../src/db/postgres.js';
import { migratePostgres } from '../src/db/migrate-postgres.js';
import { appendTransaction } from '../src/ledger/transactions.js';
import { freePort, pgBinDir, startCluster } from './pg-cluster.js';
import { entryArgs } from './build-node.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    members: { type: 'string', default: '200' },
  },
  strict: false,
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const MEMBERS = Number(values.members);
const root = new URL('../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'jifen-bench-pg-'));
const log = (line: string) => process.stderr.write(`${line}\n`);
const secret = 'bench-secret-bench-secret-bench-secret-0123';
const signingKey = JSON.stringify(await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey));
const baseEnv = { JIFEN_JWT_SECRET: secret, JIFEN_SIGNING_KEY: signingKey, JIFEN_LOG: 'off', JIFEN_JOBS_INTERVAL_SECONDS: '0', JIFEN_DURABILITY: 'full' };
const token = (role: 'admin' | 'organizer', scope: Record<string, string> = {}) =>
  mintToken(secret, { role, sub: `${role}-bench`, ...scope, ttl: '1d', issuer: 'jifen', audience: 'jifen' });


const cluster = startCluster({ port: await freePort(), durable: true });
process.on('exit', () => {
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});
const dbUrl = (name: string) => cluster.url.replace(/\/postgres$/, `/${name}`);
const psql = (database: string, sql: string) => {
  const r = spawnSync(join(pgBinDir()!, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', dbUrl(database), '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
};
psql('postgres', 'CREATE DATABASE plain');
psql('postgres', 'CREATE DATABASE jifen_writes');
psql('postgres', 'CREATE DATABASE jifen_http');

// ---- 1. pgbench: a plain ledger ----
psql('plain', `CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL);
  CREATE TABLE entries (id BIGSERIAL PRIMARY KEY, account BIGINT NOT NULL, amount BIGINT NOT NULL);
  INSERT INTO accounts SELECT i, 1000000000 FROM generate_series(1, 10000) i;`);
const scripts = {
  hot: `\\set to random(2, 10000)
BEGIN;
UPDATE accounts SET balance = balance - 1 WHERE id = 1;
UPDATE accounts SET balance = balance + 1 WHERE id = :to;
INSERT INTO entries (account, amount) VALUES (1, -1), (:to, 1);
END;
`,
  // Each transfer updates the lower id first, so two transfers never wait on each other in a cycle.
  spread: `\\set a random(1, 10000)
\\set b random(1, 10000)
\\set lo least(:a, :b)
\\set hi greatest(:a, :b)
BEGIN;
UPDATE accounts SET balance = balance - 1 WHERE id = :lo;
UPDATE accounts SET balance = balance + 1 WHERE id = :hi;
INSERT INTO entries (account, amount) VALUES (:lo, -1), (:hi, 1);
END;
`,
};
function pgbench(name: keyof typeof scripts): number {
  const file = join(dir, `${name}.sql`);
  writeFileSync(file, scripts[name]);
  const r = spawnSync(join(pgBinDir()!, 'pgbench'), ['-n', '-M', 'prepared', '-c', String(CONNECTIONS), '-j', '2', '-T', String(DURATION), '-f', file, dbUrl('plain')], { encoding: 'utf8' });
  const tps = /tps = ([\d.]+)/.exec(r.stdout);
  if (r.status !== 0 || !tps) throw new Error(`pgbench ${name}: ${r.stderr}${r.stdout}`);
  return Number(tps[1]);
}
log('pgbench: hot account');
const pgbenchHot = pgbench('hot');
log('pgbench: spread');
const pgbenchSpread = pgbench('spread');

// ---- 2. Jifen's write path, no HTTP ----
async function programme(deps: AppDeps) {
  const app = createApp(deps);
  const admin = await token('admin');
  const call = async (path: string, body: unknown) => {
    const res = await app.request(path, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as any;
  };
  const city = await call('/v1/orgs', { name: '湘潭市', kind: 'city' });
  const district = await call('/v1/orgs', { name: '岳塘区', kind: 'district', parent_id: city.id });
  const street = await call('/v1/orgs', { name: '建设路街道', kind: 'street', parent_id: district.id });
  const community = await call('/v1/orgs', { name: '和平社区', kind: 'community', parent_id: street.id });
  await call('/v1/activity-types', { code: 'hazard_resolved', name: { zh: '协助解决问题隐患', en: 'Hazard resolved' }, unit: 'participation', points_per_unit: '2' });
  await call('/v1/budget-allocations', { org_id: community.id, amount: '900000000' });
  const members: string[] = [];
  for (let i = 0; i < 50; i++) members.push((await call('/v1/members', { home_org_id: community.id, display_name: `骑手${i}` })).account_id);
  return { community, members };
}

/** Writers appending budget → worker transactions for DURATION seconds; acknowledged per second. */
async function writePath(deps: AppDeps): Promise<number> {
  const { community, members } = await programme(deps);
  let acknowledged = 0;
  let i = 0;
  const until = performance.now() + DURATION * 1000;
  const writer = async () => {
    while (performance.now() < until) {
      const to = members[i++ % members.length]!;
      await deps.executor.write((head) => {
        const r = appendTransaction(deps.db, head, {
          kind: 'adjustment',
          actor: 'bench',
          created_at: new Date().toISOString(),
          postings: [{ account_id: community.budget_account_id, amount: -100 }, { account_id: to, amount: 100 }],
        });
        return { statements: r.statements, head: r.head, result: null };
      });
      acknowledged++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, writer));
  return acknowledged / ((performance.now() - started) / 1000);
}
log('write path: PostgreSQL');
const pool = openPool(dbUrl('jifen_writes'), { max: 4, durability: 'full' });
await migratePostgres(pool);
const pgDeps = await postgresDeps(parseConfig({ ...baseEnv, JIFEN_DATA_DIR: dir, JIFEN_DATABASE_URL: dbUrl('jifen_writes') }), pool, { quiet: true });
const writesPostgres = await writePath(pgDeps);
await pgDeps.executor.close?.();
await pgDeps.db.destroy();
log('write path: SQLite');
const sqlite = openSqlite(join(dir, 'writes.db'), 'full');
// Committed on this thread: the writes are the measure here (the HTTP run below has the writer thread).
const sqliteDeps = await nodeDeps(parseConfig({ ...baseEnv, JIFEN_DATA_DIR: dir, JIFEN_WRITER_THREAD: 'off' }), sqlite, { quiet: true });
const writesSqlite = await writePath(sqliteDeps);
await sqliteDeps.executor.close?.();
sqlite.close();

// ---- 3. The credit write over HTTP ----
async function httpCredits(extra: Record<string, string>): Promise<{ rps: number; non2xx: number; p99: number }> {
  const server = spawn(process.execPath, entryArgs('bundle'), { cwd: root, env: { ...process.env, ...baseEnv, PORT: '0', ...extra } });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    server.stderr.on('data', (d) => (out += d));
    server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  try {
    const admin = await token('admin');
    const call = async (path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as any;
    };
    const city = await call('/v1/orgs', { name: '湘潭市', kind: 'city' });
    const district = await call('/v1/orgs', { name: '岳塘区', kind: 'district', parent_id: city.id });
    const street = await call('/v1/orgs', { name: '建设路街道', kind: 'street', parent_id: district.id });
    const community = await call('/v1/orgs', { name: '和平社区', kind: 'community', parent_id: street.id });
    await call('/v1/activity-types', { code: 'hazard_resolved', name: { zh: '协助解决问题隐患', en: 'Hazard resolved' }, unit: 'participation', points_per_unit: '2' });
    await call('/v1/budget-allocations', { org_id: community.id, amount: '900000000' });
    const members: string[] = [];
    for (let i = 0; i < MEMBERS; i++) members.push((await call('/v1/members', { home_org_id: community.id, display_name: `骑手${i}` })).id);
    writeFileSync(join(dir, 'members.json'), JSON.stringify(members));
    const organizer = await token('organizer', { org_id: community.id });
    const occurred = new Date(Date.now() - 3_600_000).toISOString();
    const credit = { method: 'POST', path: '/v1/claims', token: organizer, body: JSON.stringify({ member_id: '$MEMBER', activity_code: 'hazard_resolved', occurred_at: occurred }), pick: 'members' };
    const file = join(dir, `scenario-${Math.random()}.json`);
    writeFileSync(file, JSON.stringify({ url, connections: CONNECTIONS, duration: DURATION, requests: [credit], members: join(dir, 'members.json') }));
    const load = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-load.ts', file], { cwd: root });
    let out = '';
    load.stdout.on('data', (d) => (out += d));
    load.stderr.on('data', (d) => process.stderr.write(d));
    await new Promise((resolve) => load.on('exit', resolve));
    const r = JSON.parse(out) as { rps: number; non2xx: number; errors: number; p99: number };
    return { rps: r.rps, non2xx: r.non2xx + r.errors, p99: r.p99 };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}
log('HTTP credits: PostgreSQL');
const httpPostgres = await httpCredits({ JIFEN_DATABASE_URL: dbUrl('jifen_http'), JIFEN_DATA_DIR: join(dir, 'http-pg') });
log('HTTP credits: SQLite');
const httpSqlite = await httpCredits({ JIFEN_DATA_DIR: join(dir, 'http-sqlite') });

const n = (x: number) => Math.round(x).toLocaleString('en-US');
process.stdout.write(
  [
    `PostgreSQL ${(/\d+\.\d+/.exec(spawnSync(join(pgBinDir()!, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout)?.[0] ?? '')} beside SQLite, one run, ${CONNECTIONS} at a time for ${DURATION} s each, durable (PostgreSQL: fsync, synchronous_commit=on; SQLite: WAL, synchronous=FULL)`,
    '',
    '| what | per second |',
    '|---|---|',
    `| pgbench, plain ledger, two-posting transfers through one hot account | ${n(pgbenchHot)} |`,
    `| pgbench, plain ledger, transfers spread over 10,000 accounts | ${n(pgbenchSpread)} |`,
    `| Jifen write path on PostgreSQL (group commit; chain, guards, one hot budget account) | ${n(writesPostgres)} |`,
    `| Jifen write path on SQLite (the same writes, committed on the event loop) | ${n(writesSqlite)} |`,
    `| Jifen credit over HTTP (POST /v1/claims, keyed) on PostgreSQL | ${n(httpPostgres.rps)} (p99 ${httpPostgres.p99} ms, non-2xx ${httpPostgres.non2xx}) |`,
    `| Jifen credit over HTTP on SQLite | ${n(httpSqlite.rps)} (p99 ${httpSqlite.p99} ms, non-2xx ${httpSqlite.non2xx}) |`,
    '',
    `| ratio | |`,
    '|---|---|',
    `| Jifen write path on PostgreSQL ÷ pgbench hot account | ${(writesPostgres / pgbenchHot).toFixed(1)}× |`,
    `| Jifen write path on PostgreSQL ÷ on SQLite | ${(writesPostgres / writesSqlite).toFixed(2)}× |`,
    `| HTTP credits on PostgreSQL ÷ on SQLite | ${(httpPostgres.rps / httpSqlite.rps).toFixed(2)}× |`,
    `| HTTP credits on PostgreSQL ÷ pgbench hot account | ${(httpPostgres.rps / pgbenchHot).toFixed(1)}× |`,
    '',
  ].join('\n'),
);
process.exit(0);
