// The benchmark anyone can rerun: npm run bench [-- --engine sqlite|postgres --members 10000 --transactions 100000 --big 1000000 --duration 10 --rounds 3 --runner bundle|tsx --profile DIR --only me,credit --backup-transactions 1000000]
// Starts the service on a fresh file database with demo-sized data, pins the
// server to core 0 and the load generator to core 1, runs every scenario at
// 50 connections, and prints one table of ratios from this one run. The
// server runs as deployed (`npm run build`'s bundle) unless --runner tsx
// (`npm start`'s loader).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';
import iconv from 'iconv-lite';
import type { CompiledQuery } from 'kysely';
import { parseConfig } from '../src/config/schema.js';
import { openSqlite } from '../src/db/sqlite.js';
import { nodeDeps } from '../src/entry/node-deps.js';
import { createApp } from '../src/app.js';
import { mintToken } from '../src/auth/mint.js';
import { appendTransaction } from '../src/ledger/transactions.js';
import { hashCode, newRedeemCode } from '../src/rewards/codes.js';
import { entryArgs, type Runner } from './build-node.js';
import { cachedLedger, timeBackup, timeBackupUnderWrites } from './bench-backup.js';

const { values } = parseArgs({
  options: {
    // postgres: PostgreSQL beside SQLite and pgbench (scripts/bench-postgres.ts), instead of the scenarios below.
    engine: { type: 'string', default: 'sqlite' },
    // With --engine postgres: where a credit's time goes on PostgreSQL (scripts/bench-postgres.ts).
    'pg-profile': { type: 'boolean' },
    members: { type: 'string', default: '10000' },
    transactions: { type: 'string', default: '100000' },
    big: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    // Write a V8 CPU profile of the server (node --cpu-prof) into this folder.
    profile: { type: 'string' },
    runner: { type: 'string', default: 'bundle' },
    // Only these load scenarios (health,me,credit,redeem,mix) and measurements (import, backup), for profiling one of them; no table of ratios.
    only: { type: 'string' },
    // The ledger `npm run backup` is timed on (built once, cached under the temp folder: scripts/bench-backup.ts).
    'backup-transactions': { type: 'string', default: '1000000' },
  },
});
if (values.engine === 'postgres') {
  await import('./bench-postgres.js');
  process.exit(0);
}
if (values.engine !== 'sqlite') throw new Error('--engine must be sqlite or postgres');
const MEMBERS = Number(values.members);
const TRANSACTIONS = Number(values.transactions);
const BIG = Number(values.big);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
/** Rounds of the alternating group-commit and writer-thread comparison. */
const ROUNDS = Number(values.rounds);
const root = new URL('../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'jifen-bench-'));
const secret = 'bench-secret-bench-secret-bench-secret-0123';
const signingKey = JSON.stringify(await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey));
const env = { JIFEN_JWT_SECRET: secret, JIFEN_SIGNING_KEY: signingKey, JIFEN_DATA_DIR: dir, JIFEN_LOG: 'off', JIFEN_JOBS_INTERVAL_SECONDS: '0' };
const config = parseConfig(env);
const token = (role: 'admin' | 'organizer' | 'worker' | 'merchant' | 'auditor', scope: Record<string, string> = {}, sub = `${role}-bench`) =>
  mintToken(secret, { role, sub, ...scope, ttl: '1d', issuer: config.jwt.issuer, audience: config.jwt.audience });
const log = (line: string) => process.stderr.write(`${line}\n`);
const pin = cpus().length > 1 && spawnSync('taskset', ['--version']).status === 0;

// ---- Backup: `npm run backup` of a big ledger, on its own (no service, no other data) ----
const BACKUP_TRANSACTIONS = Number(values['backup-transactions']);
async function backupMeasured(): Promise<{ line: string; cell: string }> {
  const ledger = cachedLedger(BACKUP_TRANSACTIONS, log);
  const run = await timeBackup(ledger, join(dir, 'backup.db'));
  if (run.code !== 0) throw new Error(`backup exited ${run.code}: ${run.out}`);
  const copied = /: ([\d.]+) MB in ([\d.]+) s/.exec(run.out)!;
  const verified = /Verified the copy in ([\d.]+) s/.exec(run.out)![1];
  rmSync(join(dir, 'backup.db'), { force: true });
  const rss = Number.isFinite(run.peakRss) ? `${Math.round(run.peakRss / 1048576)} MB` : 'n/a (no /usr/bin/time)';
  const idle = `${run.seconds.toFixed(1)} s (copy ${copied[2]} s of ${copied[1]} MB, verify ${verified} s, the rest starting node), peak RSS ${rss}`;
  const busy = await timeBackupUnderWrites(ledger, dir, { ...env, JIFEN_JOBS_INTERVAL_SECONDS: '0' }, await token('admin', {}, 'admin-bench-backup'), log);
  if (busy.run.code !== 0) throw new Error(`backup under writes exited ${busy.run.code}: ${busy.run.out}`);
  const busyCopy = /: [\d.]+ MB in ([\d.]+) s/.exec(busy.run.out)![1];
  const busyVerify = /Verified the copy in ([\d.]+) s/.exec(busy.run.out)![1];
  const underWrites =
    `${busy.run.seconds.toFixed(1)} s (copy ${busyCopy} s, verify ${busyVerify} s), peak RSS ${Math.round(busy.run.peakRss / 1048576)} MB, while the service ` +
    `acknowledged ${Math.round(busy.during)} writes/s (${Math.round(busy.before)}/s before the backup); the copy's head seq ${busy.copyHead}, the live head after ${busy.liveHead}`;
  const cell = `idle: ${idle}; under writes: ${underWrites}`;
  return { line: `backup of a ${BACKUP_TRANSACTIONS}-transaction ledger (npm run backup: online copy, then chain, balances and trial balance verified)\n  idle: ${idle}\n  under writes: ${underWrites}\n${run.out}`, cell };
}
const onlyBackup = values.only?.split(',').includes('backup');
if (onlyBackup) {
  process.stdout.write((await backupMeasured()).line);
  if (values.only === 'backup') {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
}

// ---- Data: built through the app in-process, bulk parts set-based ----
const sqlite = openSqlite(join(dir, 'jifen.db'), 'normal');
const deps = await nodeDeps(config, sqlite, { quiet: true });
const app = createApp(deps);
const admin = await token('admin');
async function call<T = any>(method: string, path: string, body: unknown, bearer = admin): Promise<T> {
  const res = await app.request(path, { method, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const t0 = performance.now();
const city = await call('POST', '/v1/orgs', { name: '湘潭市', kind: 'city' });
const district = await call('POST', '/v1/orgs', { name: '岳塘区', kind: 'district', parent_id: city.id });
const street = await call('POST', '/v1/orgs', { name: '建设路街道', kind: 'street', parent_id: district.id });
const community = await call('POST', '/v1/orgs', { name: '和平社区', kind: 'community', parent_id: street.id });
await call('POST', '/v1/activity-types', { code: 'hazard_resolved', name: { zh: '协助解决问题隐患', en: 'Hazard resolved' }, unit: 'participation', points_per_unit: '2' });
await call('POST', '/v1/activity-types', { code: 'volunteer_hour', name: { zh: '志愿服务', en: 'Volunteer service' }, unit: 'hour', points_per_unit: '10' });
await call('POST', '/v1/budget-allocations', { org_id: street.id, amount: '900000000' });
const merchant = await call('POST', '/v1/merchants', { name: '便利店', org_id: community.id });
const merchantToken = await token('merchant', { merchant_id: merchant.id });
const reward = await call('POST', `/v1/merchants/${merchant.id}/rewards`, { kind: 'goods', name: '充电宝', price: '1' }, merchantToken);
sqlite.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MEMBERS})
  INSERT INTO accounts (id, kind, owner_id, no_overdraft, created_at) SELECT 'worker:mem_b' || i, 'worker', 'mem_b' || i, 1, '2026-01-01T00:00:00.000Z' FROM n`);
sqlite.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MEMBERS})
  INSERT INTO members (id, display_name, platform, home_org_id, account_id, created_at)
  SELECT 'mem_b' || i, '骑手' || i, 'delivery', '${community.id}', 'worker:mem_b' || i, '2026-01-01T00:00:00.000Z' FROM n`);
sqlite.exec(`INSERT INTO accounts (id, kind, owner_id, no_overdraft, created_at) VALUES ('worker:big', 'worker', NULL, 1, '2026-01-01T00:00:00.000Z')`);
const memberIds = Array.from({ length: MEMBERS }, (_, i) => `mem_b${i + 1}`);
// 100 transactions (300 statements) per write: the writer's in-memory savepoint journal is walked after each
// statement of a write, so a write of thousands of statements slows down quadratically (prepareCommitConnection).
const BULK_WRITE = 100;
async function bulk(count: number, posting: (i: number) => { from: string; to: string; amount: number }) {
  for (let done = 0; done < count; done += BULK_WRITE) {
    await deps.executor.write((head) => {
      let current = head;
      const statements: CompiledQuery[] = [];
      for (let i = done; i < Math.min(count, done + BULK_WRITE); i++) {
        const p = posting(i);
        const r = appendTransaction(deps.db, current, {
          kind: 'adjustment', actor: 'bench', memo: null, created_at: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
          postings: [{ account_id: p.from, amount: -p.amount }, { account_id: p.to, amount: p.amount }],
        });
        statements.push(...r.statements);
        current = r.head;
      }
      return { statements, head: current, result: null };
    });
  }
}
await bulk(TRANSACTIONS, (i) => ({ from: `org:${street.id}:budget`, to: `worker:${memberIds[i % MEMBERS]}`, amount: 1000 }));
log(`data: ${MEMBERS} members, ${TRANSACTIONS} transactions in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
const t1 = performance.now();
await bulk(BIG, () => ({ from: 'program:issuance', to: 'worker:big', amount: 1 }));
log(`data: an account with ${BIG} entries in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
// One-time codes for the redemption scenario: members with points, codes stored hashed.
const codes: string[] = [];
const codeRows = [];
for (let i = 0; i < 200_000; i++) {
  const code = newRedeemCode();
  codes.push(code);
  codeRows.push({ h: hashCode(code), m: memberIds[i % MEMBERS] });
}
sqlite.prepare(`INSERT INTO redeem_codes (code_hash, member_id, expires_at, created_at)
  SELECT value ->> '$.h', value ->> '$.m', '2999-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM json_each(?)`).run(JSON.stringify(codeRows));
sqlite.close();
writeFileSync(join(dir, 'members.json'), JSON.stringify(memberIds));
writeFileSync(join(dir, 'codes.json'), JSON.stringify(codes));

// ---- Server and load ----
let server: ChildProcess | undefined;
async function startServer(extra: Record<string, string>): Promise<{ url: string; pid: number }> {
  const args = [...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []), ...entryArgs(values.runner as Runner)];
  server = pin ? spawn('taskset', ['-c', '0', process.execPath, ...args], { cwd: root, env: { ...process.env, ...env, PORT: '0', ...extra } }) : spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, PORT: '0', ...extra } });
  let out = '';
  return new Promise((resolve, reject) => {
    server!.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/localhost:\d+)/);
      if (m) resolve({ url: m[1]!.replace('localhost', '127.0.0.1'), pid: server!.pid! });
    });
    server!.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}
async function stopServer() {
  const s = server;
  if (!s) return;
  await new Promise((resolve) => {
    s.once('exit', resolve);
    s.kill('SIGTERM');
  });
  server = undefined;
}
const peakRss = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  // What the resident memory is made of now, on stderr: heap and stacks (anon), mapped code (file), the WAL index (shmem).
  log(`  memory now: ${['RssAnon', 'RssFile', 'RssShmem'].map((k) => `${k} ${Math.round(Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024)} MB`).join(', ')}`);
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
};
/** CPU time the server process (all its threads) has used, in µs: steadier than req/s on a shared VM. */
const cpuMicros = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime, in clock ticks of 10 ms (fields 14 and 15 of proc(5)).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
};
/** One load scenario against the server, with the server's CPU per answered request and its peak RSS. */
async function measure(name: string, url: string, pid: number, requests: unknown[], connections = CONNECTIONS): Promise<Row> {
  const cpu0 = cpuMicros(pid);
  const r = await load(url, requests, connections);
  return { name, r, cpu: (cpuMicros(pid) - cpu0) / Math.max(1, r.total), rss: peakRss(pid) };
}
function load(url: string, requests: unknown[], connections: number): Promise<{ rps: number; p50: number; p99: number; total: number; non2xx: number; errors: number }> {
  const file = join(dir, `scenario-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify({ url, connections, duration: DURATION, requests, members: join(dir, 'members.json'), codes: join(dir, 'codes.json') }));
  const args = ['--import', 'tsx', 'scripts/bench-load.ts', file];
  const child = pin ? spawn('taskset', ['-c', '1', process.execPath, ...args], { cwd: root }) : spawn(process.execPath, args, { cwd: root });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => process.stderr.write(d));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load exited ${code}`)))));
}

const organizer = await token('organizer', { org_id: street.id });
const worker = await token('worker', { member_id: memberIds[0]! });
const auditor = await token('auditor');
// An hour ago: claims older than JIFEN_CLAIM_MAX_AGE_DAYS are refused, and a refusal is not a credit.
const occurred = new Date(Date.now() - 3_600_000).toISOString();
const credit = { method: 'POST', path: '/v1/claims', token: organizer, body: JSON.stringify({ member_id: '$MEMBER', activity_code: 'hazard_resolved', occurred_at: occurred }), pick: 'members' };
const read = { method: 'GET', path: '/v1/me', token: worker };
const redeem = { method: 'POST', path: '/v1/redemptions', token: merchantToken, body: JSON.stringify({ redeem_code: '$CODE', reward_id: reward.id, quantity: 1 }), pick: 'codes' };
interface Row { name: string; r: Awaited<ReturnType<typeof load>>; cpu: number; rss: number }
const rows: Row[] = [];

let { url, pid } = await startServer({ JIFEN_DURABILITY: 'full', JIFEN_GROUP_COMMIT: 'on', JIFEN_WRITER_THREAD: 'on' });
const scenarios = [
  ['health', 'GET /health (baseline)', [{ method: 'GET', path: '/health', token: worker }]],
  ['me', 'balance read (GET /v1/me)', [read]],
  ['credit', 'credit write (POST /v1/claims, auto-approved)', [credit]],
  ['redeem', 'redemption (POST /v1/redemptions)', [redeem]],
  ['mix', '80/20 read/write mix', [read, read, read, read, credit]],
] as const;
const only = values.only?.split(',');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The run with the median req/s, under a new name. */
const medianRun = (runs: Row[], name: string): Row => ({ ...[...runs].sort((a, b) => a.r.rps - b.r.rps)[Math.floor(runs.length / 2)]!, name });
/** The median of a ratio taken between neighbouring runs of each round, and every round's. */
const medianRatio = (ratios: number[]) => ({ median: median(ratios), all: ratios.map((x) => x.toFixed(2)).join(', ') });
// This machine's speed drifts over minutes: in a full run the baseline and the balance read alternate for
// a few rounds, and their ratio is the median of the rounds' (each between neighbouring runs).
const readRounds: Array<{ health: Row; me: Row }> = [];
if (!only) {
  const [[, healthName, healthRequests], [, meName, meRequests]] = scenarios;
  for (let round = 1; round <= ROUNDS; round++) {
    readRounds.push({ health: await measure(healthName, url, pid, [...healthRequests]), me: await measure(meName, url, pid, [...meRequests]) });
  }
  rows.push(medianRun(readRounds.map((r) => r.health), `${healthName}, median of ${ROUNDS}`), medianRun(readRounds.map((r) => r.me), `${meName}, median of ${ROUNDS}`));
}
const readRatio = medianRatio(readRounds.map((r) => r.me.r.rps / r.health.r.rps));
for (const [key, name, requests] of scenarios) {
  if (only ? !only.includes(key) : key === 'health' || key === 'me') continue;
  rows.push(await measure(name, url, pid, [...requests]));
}
// Onboarding: 20,000 riders from a spreadsheet as Excel on a Chinese Windows saves it (GB18030), first as a
// dry run (the report only), then for real, against the running service (its members table already full).
const IMPORT_ROWS = 20_000;
async function importSheetTimed(): Promise<{ dry: number; real: number; status: string; created: number; rss: number }> {
  const lines = ['姓名,平台,所属组织,外部编号', ...Array.from({ length: IMPORT_ROWS }, (_, i) => `新骑手${i},${['外卖', '快递', '网约车'][i % 3]},和平社区,import-${i}`)];
  const bytes = iconv.encode(`${lines.join('\r\n')}\r\n`, 'gb18030');
  const post = async (query: string) => {
    const started = performance.now();
    const res = await fetch(`${url}/v1/members/import${query}`, { method: 'POST', headers: { authorization: `Bearer ${organizer}`, 'content-type': 'text/csv' }, body: new Uint8Array(bytes) });
    const body = (await res.json()) as { created: number };
    return { ms: performance.now() - started, status: res.status, created: body.created };
  };
  const dry = await post('?dry_run=true');
  const real = await post('');
  return { dry: dry.ms, real: real.ms, status: `${dry.status}/${real.status}`, created: real.created, rss: peakRss(pid) };
}
if (only) {
  if (only.includes('import')) {
    const imported = await importSheetTimed();
    process.stdout.write(`import of ${IMPORT_ROWS} members (GB18030 CSV, ${MEMBERS} members before): dry run ${(imported.dry / 1000).toFixed(2)} s, import ${(imported.real / 1000).toFixed(2)} s (HTTP ${imported.status}, ${imported.created} created), server peak RSS ${Math.round(imported.rss / 1048576)} MB\n`);
  }
  await stopServer();
  rows.forEach(({ name, r, cpu, rss }) => process.stdout.write(`${name}: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, server CPU ${Math.round(cpu)} µs/req, non-2xx ${r.non2xx + r.errors}, peak RSS ${Math.round(rss / 1048576)} MB\n`));
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
// Light load: one client at a time, where group commit must add no wait of its own.
const lightOn = await measure('credit write, 1 connection', url, pid, [credit], 1);
rows.push(lightOn);
// Latency of single requests on the big account and the ledger, measured from here over one kept-alive
// connection with node:http (fetch adds about 2.5 ms of its own to every request on this machine).
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function roundTrip(path: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
async function timed(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}, times = 1) {
  const ms: number[] = [];
  let status = 0;
  for (let i = 0; i < times; i++) {
    const s = performance.now();
    status = await roundTrip(path, init);
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  return { ms: ms[Math.floor(ms.length / 2)]!, status };
}
const auth = { authorization: `Bearer ${auditor}` };
const healthTrip = await timed('/health', {}, 21);
const statement = await timed('/v1/accounts/worker:big/entries?limit=50', { headers: auth }, 21);
const verify = await timed('/v1/audit/verify', { headers: auth });
const roster = await timed('/v1/events', {
  method: 'POST',
  headers: { authorization: `Bearer ${organizer}`, 'content-type': 'application/json' },
  body: JSON.stringify({ org_id: community.id, activity_code: 'volunteer_hour', title: '高考护航', starts_at: occurred, roster: memberIds.slice(0, 1000).map((member_id) => ({ member_id, units: '2' })) }),
});
agent.destroy();
const imported = await importSheetTimed();
// The load scenarios' peak is in their rows; this one also covers verify over the whole ledger and the roster.
const peakAfterSingles = peakRss(pid);
await stopServer();
// The credit write in three set-ups, in alternating rounds: this machine's speed drifts over minutes, so
// each ratio is taken between neighbouring runs and the median round reported.
const setups = {
  on: { JIFEN_GROUP_COMMIT: 'on', JIFEN_WRITER_THREAD: 'on' },
  writerOff: { JIFEN_GROUP_COMMIT: 'on', JIFEN_WRITER_THREAD: 'off' },
  groupOff: { JIFEN_GROUP_COMMIT: 'off', JIFEN_WRITER_THREAD: 'on' },
};
const rounds: Array<Record<keyof typeof setups, Row>> = [];
let lightOff: Row | undefined;
for (let round = 1; round <= ROUNDS; round++) {
  const results: Partial<Record<keyof typeof setups, Row>> = {};
  for (const [key, setup] of Object.entries(setups) as Array<[keyof typeof setups, Record<string, string>]>) {
    ({ url, pid } = await startServer({ JIFEN_DURABILITY: 'full', ...setup }));
    results[key] = await measure(`credit write, ${key}, round ${round}`, url, pid, [credit]);
    if (key === 'groupOff' && !lightOff) lightOff = await measure('credit write, group commit OFF, 1 connection', url, pid, [credit], 1);
    await stopServer();
  }
  rounds.push(results as Record<keyof typeof setups, Row>);
}
const groupGain = medianRatio(rounds.map((r) => r.on.r.rps / r.groupOff.r.rps));
const threadGain = medianRatio(rounds.map((r) => r.on.r.rps / r.writerOff.r.rps));
rows.push(
  medianRun(rounds.map((r) => r.writerOff), `credit write, writer thread OFF (commits on the event loop), median of ${ROUNDS}`),
  medianRun(rounds.map((r) => r.groupOff), `credit write, group commit OFF, median of ${ROUNDS}`),
  lightOff!,
);

const backup = await backupMeasured();

const base = rows[0]!.r.rps;
const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;
const lines = [
  `Jifen benchmark — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, server ${pin ? 'pinned to core 0, load to core 1' : 'unpinned'}, ${CONNECTIONS} connections, ${DURATION} s each, WAL synchronous=FULL`,
  `data: ${MEMBERS} members, ${TRANSACTIONS + BIG} transactions (one account with ${BIG} entries)`,
  '',
  '| scenario | req/s | p50 ms | p99 ms | × baseline | server CPU µs/req | non-2xx | peak RSS |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(({ name, r, cpu, rss }) => `| ${name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${(r.rps / base).toFixed(2)} | ${Math.round(cpu)} | ${r.non2xx + r.errors} | ${mb(rss)} |`),
  '',
  `| balance read ÷ baseline (median of ${ROUNDS} alternating rounds) | ${readRatio.median.toFixed(2)} (rounds: ${readRatio.all}) |`,
  '|---|---|',
  `| group commit on ÷ off (credit writes, median of ${ROUNDS} alternating rounds) | ${groupGain.median.toFixed(1)}× (rounds: ${groupGain.all}) |`,
  `| writer thread on ÷ off (credit writes, median of ${ROUNDS} alternating rounds) | ${threadGain.median.toFixed(1)}× (rounds: ${threadGain.all}) |`,
  `| one client's credit, group commit on / off: p50, p99 | ${lightOn.r.p50} / ${lightOff!.r.p50} ms, ${lightOn.r.p99} / ${lightOff!.r.p99} ms |`,
  `| first statement page, account with ${BIG} entries (median of 21 round trips) | ${statement.ms.toFixed(1)} ms (HTTP ${statement.status}; a /health round trip: ${healthTrip.ms.toFixed(1)} ms) |`,
  `| /v1/audit/verify over ${TRANSACTIONS + BIG} transactions | ${(verify.ms / 1000).toFixed(1)} s (HTTP ${verify.status}) |`,
  `| 1,000-member roster in one request | ${roster.ms.toFixed(0)} ms (HTTP ${roster.status}) |`,
  `| ${IMPORT_ROWS}-member GB18030 CSV import: dry run, import | ${(imported.dry / 1000).toFixed(2)} s, ${(imported.real / 1000).toFixed(2)} s (HTTP ${imported.status}, ${imported.created} created; server peak RSS so far ${mb(imported.rss)}) |`,
  `| peak RSS of the whole run, with verify and the roster | ${mb(peakAfterSingles)} |`,
  `| npm run backup of a ${BACKUP_TRANSACTIONS}-transaction ledger, copy and verification | ${backup.cell} |`,
];
process.stdout.write(`${lines.join('\n')}\n`);
rmSync(dir, { recursive: true, force: true });
