// npm run bench -- --engine postgres [--duration 10 --connections 50 --members 200 --pg-profile]
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
//     both hot), through the executor `npm start` uses, on PostgreSQL (with
//     group commit, and with one transaction per write: the naive design) and
//     on the embedded database.
//  3. The credit write over HTTP (POST /v1/claims, auto-approved, keyed), the
//     service as `npm start` runs it, on each engine.
// Prints one table of figures and ratios from this one run.
//
// --pg-profile also says where the time of the write path and of a credit
// goes on PostgreSQL (on stderr; the figures of such a run are slowed by the
// counting): the CPU the service's process and this cluster's server used
// per write, the statements by server time, those a commit group runs
// included, with their planning (pg_stat_statements, a contrib module loaded
// for this cluster only) and the guards by time (track_functions).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    'pg-profile': { type: 'boolean', default: false },
  },
  strict: false,
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const MEMBERS = Number(values.members);
const PROFILE = values['pg-profile'] === true;
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
const psql = (database: string, sql: string): string => {
  const r = spawnSync(join(pgBinDir()!, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', dbUrl(database), '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout;
};
if (PROFILE) {
  psql('postgres', "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
  cluster.ctl('-m', 'fast', '-w', 'stop');
  cluster.start();
  // The statements a commit group runs on the server (nested), with their planning.
  psql('postgres', "ALTER SYSTEM SET pg_stat_statements.track = 'all'");
  psql('postgres', 'ALTER SYSTEM SET pg_stat_statements.track_planning = on');
  psql('postgres', "ALTER SYSTEM SET track_functions = 'all'");
  psql('postgres', 'SELECT pg_reload_conf()');
}
psql('postgres', 'CREATE DATABASE plain');
psql('postgres', 'CREATE DATABASE jifen_http');
if (PROFILE) psql('jifen_http', 'CREATE EXTENSION pg_stat_statements');

/**
 * CPU time (ms) used so far by the process `pid` and by this cluster's
 * server (its postmaster and the backends it started; one that ended
 * meanwhile takes its time with it).
 */
function cpuUsed(pid: number): { service: number; postgres: number } {
  const postmaster = Number(readFileSync(join(cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const used = { service: 0, postgres: 0 };
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // After the command's closing parenthesis: state, ppid, …; utime and stime (clock ticks of 10 ms) are the 12th and 13th.
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const ticks = (Number(fields[11]) + Number(fields[12])) * 10;
      if (Number(entry) === pid) used.service += ticks;
      else if (Number(entry) === postmaster || Number(fields[1]) === postmaster) used.postgres += ticks;
    } catch {
      // The process ended meanwhile.
    }
  }
  return used;
}

/** Where the time of `count` writes went on `database`, since the statistics were reset (--pg-profile). */
function profileReport(database: string, what: string, count: number, before: { service: number; postgres: number }, after: { service: number; postgres: number }) {
  const per = (ms: number) => (ms / count).toFixed(2);
  log(`profile, ${what}: ${count} acknowledged; CPU each: the service ${per(after.service - before.service)} ms, PostgreSQL ${per(after.postgres - before.postgres)} ms`);
  // A commit group's text differs with its number of writes: its calls are summed as one line
  // (its time includes that of the statements it runs, listed too).
  log(psql(database, `SELECT sum(calls) AS calls, round(sum(total_plan_time)::numeric) AS plan_ms, round(sum(total_exec_time)::numeric) AS exec_ms,
      round((sum(total_plan_time + total_exec_time) / nullif(sum(calls), 0))::numeric, 3) AS ms_per_call, statement
    FROM (SELECT calls, total_plan_time, total_exec_time, CASE WHEN query LIKE '%jifen_write_group(%' THEN 'a commit group: jifen_write_group(…), COMMIT'
                                              ELSE left(regexp_replace(query, '\\s+', ' ', 'g'), 90) END AS statement FROM pg_stat_statements) s
    GROUP BY statement ORDER BY sum(total_plan_time + total_exec_time) DESC LIMIT 15`));
  log(psql(database, `SELECT funcname AS function, calls, round(self_time::numeric) AS self_ms, round((self_time / nullif(calls, 0))::numeric, 3) AS ms_per_call
    FROM pg_stat_user_functions ORDER BY self_time DESC LIMIT 12`));
}

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
async function writePath(deps: AppDeps, measured?: (acknowledged: () => number) => { done(): void }): Promise<number> {
  const { community, members } = await programme(deps);
  let acknowledged = 0;
  const profile = measured?.(() => acknowledged);
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
  const rate = acknowledged / ((performance.now() - started) / 1000);
  profile?.done();
  return rate;
}
/** The write path on a fresh PostgreSQL database, with or without group commit. */
async function writePathPostgres(database: string, groupCommit: boolean): Promise<number> {
  psql('postgres', `CREATE DATABASE ${database}`);
  const pool = openPool(dbUrl(database), { max: 4, durability: 'full' });
  await migratePostgres(pool);
  const env = { ...baseEnv, JIFEN_DATA_DIR: dir, JIFEN_DATABASE_URL: dbUrl(database), JIFEN_GROUP_COMMIT: groupCommit ? 'on' : 'off' };
  const deps = await postgresDeps(parseConfig(env), pool, { quiet: true });
  if (PROFILE) psql(database, 'CREATE EXTENSION pg_stat_statements');
  const rate = await writePath(
    deps,
    PROFILE
      ? (acknowledged) => {
          psql(database, 'SELECT pg_stat_statements_reset(), pg_stat_reset()');
          const before = cpuUsed(process.pid);
          return { done: () => profileReport(database, `write path${groupCommit ? '' : ', one transaction per write'}`, acknowledged(), before, cpuUsed(process.pid)) };
        }
      : undefined,
  );
  await deps.executor.close?.();
  await deps.db.destroy();
  return rate;
}
log('write path: PostgreSQL');
const writesPostgres = await writePathPostgres('jifen_writes', true);
log('write path: PostgreSQL, one transaction per write');
const writesPostgresAlone = await writePathPostgres('jifen_writes_alone', false);
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
    const profiling = PROFILE && extra.JIFEN_DATABASE_URL !== undefined;
    if (profiling) psql('jifen_http', 'SELECT pg_stat_statements_reset(), pg_stat_reset()');
    const before = cpuUsed(server.pid!);
    const load = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-load.ts', file], { cwd: root });
    let out = '';
    load.stdout.on('data', (d) => (out += d));
    load.stderr.on('data', (d) => process.stderr.write(d));
    await new Promise((resolve) => load.on('exit', resolve));
    const r = JSON.parse(out) as { rps: number; non2xx: number; errors: number; p99: number; total: number };
    if (profiling) profileReport('jifen_http', 'credits over HTTP', r.total - r.non2xx - r.errors, before, cpuUsed(server.pid!));
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
    `| Jifen write path on PostgreSQL, one transaction per write (JIFEN_GROUP_COMMIT=off: the naive design) | ${n(writesPostgresAlone)} |`,
    `| Jifen write path on SQLite (the same writes, committed on the event loop) | ${n(writesSqlite)} |`,
    `| Jifen credit over HTTP (POST /v1/claims, keyed) on PostgreSQL | ${n(httpPostgres.rps)} (p99 ${httpPostgres.p99} ms, non-2xx ${httpPostgres.non2xx}) |`,
    `| Jifen credit over HTTP on SQLite | ${n(httpSqlite.rps)} (p99 ${httpSqlite.p99} ms, non-2xx ${httpSqlite.non2xx}) |`,
    '',
    `| ratio | |`,
    '|---|---|',
    `| Jifen write path on PostgreSQL ÷ pgbench hot account | ${(writesPostgres / pgbenchHot).toFixed(1)}× |`,
    `| Jifen write path on PostgreSQL, group commit ÷ one transaction per write | ${(writesPostgres / writesPostgresAlone).toFixed(1)}× |`,
    `| Jifen write path on PostgreSQL ÷ on SQLite | ${(writesPostgres / writesSqlite).toFixed(2)}× |`,
    `| HTTP credits on PostgreSQL ÷ on SQLite | ${(httpPostgres.rps / httpSqlite.rps).toFixed(2)}× |`,
    `| HTTP credits on PostgreSQL ÷ pgbench hot account | ${(httpPostgres.rps / pgbenchHot).toFixed(1)}× |`,
    '',
  ].join('\n'),
);
process.exit(0);
