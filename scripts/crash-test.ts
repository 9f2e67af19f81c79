// npm run test:crash [-- --kills 20 --clients 6 --min-ms 150 --max-ms 700 --seed 1 --runner tsx|bundle --keep
//                        --engine sqlite|postgres --pg-restarts 3]
//
// With --engine postgres: two service processes on one PostgreSQL database
// (a private durable cluster), the clients' writes spread over both and every
// retry sent to either; each kill takes one of them; and --pg-restarts times
// the PostgreSQL server itself is stopped at once (as by a crash, `pg_ctl -m
// immediate`) and started again while the clients write: they must get 503s
// with Retry-After meanwhile, never a 500, and the services recover alone.
//
// Starts the real Node service on a file database, drives concurrent credits,
// redemptions and holds (every write with an Idempotency-Key), kills the
// process with SIGKILL at a random moment, restarts it, and checks after
// every restart that each write answered before the kill gets its first
// answer back byte for byte (and each write left in flight gets one now),
// that the trial balance is zero and /v1/audit/verify passes. After the last
// kill it stops the service and reads the file: every transaction sums to zero
// and is sealed, seqs are contiguous, every stored balance is explained, and
// the transactions in the file are exactly those the clients were told of.
// Exits 1 on any problem.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';
import { mintToken } from '../src/auth/mint.js';
import type { Role } from '../src/auth/caller.js';
import { crashEntryArgs, startService, type Runner, type Service } from './crash/service.js';
import { Journal, type WriteSpec } from './crash/journal.js';
import { prng, runLoad, type Programme } from './crash/load.js';
import { checkLedgerDatabase, checkLedgerFile } from './crash/checks.js';
import { freePort, startCluster, type PgCluster } from './pg-cluster.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    clients: { type: 'string', default: '6' },
    'min-ms': { type: 'string', default: '150' },
    'max-ms': { type: 'string', default: '700' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    runner: { type: 'string', default: 'tsx' },
    keep: { type: 'boolean', default: false },
    engine: { type: 'string', default: 'sqlite' },
    'pg-restarts': { type: 'string', default: '3' },
  },
});
const KILLS = Number(values.kills);
const CLIENTS = Number(values.clients);
const [MIN_MS, MAX_MS] = [Number(values['min-ms']), Number(values['max-ms'])];
const SEED = Number(values.seed);
const random = prng(SEED);
if (values.runner !== 'tsx' && values.runner !== 'bundle') throw new Error('--runner must be tsx or bundle');
const entry = crashEntryArgs(values.runner as Runner, values.engine === 'postgres' ? 'crash-build-postgres' : 'crash-build');
const started = performance.now();

const dir = mkdtempSync(join(tmpdir(), 'jifen-crash-'));
// The data folder goes when the script ends, however it ends, unless --keep.
process.on('exit', () => values.keep || rmSync(dir, { recursive: true, force: true }));
const secret = 'crash-secret-crash-secret-crash-secret-0123';
const env = {
  JIFEN_DATA_DIR: dir,
  JIFEN_JWT_SECRET: secret,
  JIFEN_SIGNING_KEY: JSON.stringify(await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey)),
  JIFEN_DURABILITY: 'full',
  JIFEN_LOG: 'off',
  JIFEN_JOBS_INTERVAL_SECONDS: '0',
};
const token = (role: Role, scope: Record<string, string> = {}, sub = `${role}-crash`) =>
  mintToken(secret, { role, sub, ...scope, issuer: 'jifen', audience: 'jifen', ttl: '1d' });

const POSTGRES = values.engine === 'postgres';
if (!POSTGRES && values.engine !== 'sqlite') throw new Error('--engine must be sqlite or postgres');
const PG_RESTARTS = POSTGRES ? Number(values['pg-restarts']) : 0;
let cluster: PgCluster | undefined;
if (POSTGRES) {
  cluster = startCluster({ port: await freePort(), durable: true });
  Object.assign(env, { JIFEN_DATABASE_URL: cluster.url });
}
process.on('exit', () => cluster?.stop({ keep: values.keep }));
// One service on the file; two on PostgreSQL, writing to one database at once.
const services: Service[] = [await startService(entry, env)];
if (POSTGRES) services.push(await startService(entry, env));
// Whatever happens to this script, the services it started do not outlive it.
process.on('exit', () => services.forEach((s) => s.child.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
let service = services[0]!;
const journal = new Journal(() => services[Math.floor(Math.random() * services.length)]!.url);
const problems: string[] = [];

/** A keyed setup write that must succeed (setup runs before the first kill). */
async function setup<T = any>(spec: Omit<WriteSpec, 'kind'>): Promise<T> {
  const answer = await journal.send({ kind: 'setup', ...spec }, 0);
  if (!answer || answer.status >= 300) throw new Error(`setup ${spec.method} ${spec.path}: ${answer?.status} ${answer?.text}`);
  return JSON.parse(answer.text) as T;
}

async function setUp(): Promise<Programme> {
  const admin = await token('admin');
  const city = await setup({ key: 'setup-city', method: 'POST', path: '/v1/orgs', token: admin, body: { name: '湘潭市', kind: 'city' } });
  const district = await setup({ key: 'setup-district', method: 'POST', path: '/v1/orgs', token: admin, body: { name: '岳塘区', kind: 'district', parent_id: city.id } });
  const street = await setup({ key: 'setup-street', method: 'POST', path: '/v1/orgs', token: admin, body: { name: '建设路街道', kind: 'street', parent_id: district.id } });
  const community = await setup({ key: 'setup-community', method: 'POST', path: '/v1/orgs', token: admin, body: { name: '和平社区', kind: 'community', parent_id: street.id } });
  await setup({ key: 'setup-type', method: 'POST', path: '/v1/activity-types', token: admin, body: { code: 'crash_volunteer', name: { zh: '志愿服务', en: 'Volunteer service' }, unit: 'participation', points_per_unit: '1.5' } });
  await journal.send({ kind: 'allocation', key: 'setup-budget', method: 'POST', path: '/v1/budget-allocations', token: admin, body: { org_id: community.id, amount: '1000000' } }, 0);
  const workers = [];
  for (let i = 0; i < 6; i++) {
    const m = await setup({ key: `setup-member-${i}`, method: 'POST', path: '/v1/members', token: admin, body: { home_org_id: community.id, display_name: `骑手${i}` } });
    workers.push({ id: m.id as string, account: m.account_id as string, token: await token('worker', { member_id: m.id }, `rider-${i}`) });
  }
  const shop = await setup({ key: 'setup-merchant', method: 'POST', path: '/v1/merchants', token: admin, body: { name: '红色驿站便利店', org_id: community.id } });
  const merchant = await token('merchant', { merchant_id: shop.id }, 'till-1');
  const cheap = await setup({ key: 'setup-reward-cheap', method: 'POST', path: `/v1/merchants/${shop.id}/rewards`, token: merchant, body: { kind: 'goods', name: '矿泉水', price: '2' } });
  const scarce = await setup({ key: 'setup-reward-scarce', method: 'POST', path: `/v1/merchants/${shop.id}/rewards`, token: merchant, body: { kind: 'goods', name: '头盔', price: '5', stock: 40 } });
  return {
    admin,
    organizer: await token('organizer', { org_id: community.id }, 'organizer-wang'),
    merchant,
    budgetAccount: community.budget_account_id,
    workers,
    rewards: { cheap: cheap.id, scarce: scarce.id },
  };
}

/** Trial balance zero and the chain and every stored balance verified, through the API. */
async function auditThroughApi(label: string, auditor: string): Promise<void> {
  const get = async (path: string) => (await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${auditor}` } })).json() as Promise<any>;
  const tb = await get('/v1/audit/trial-balance');
  if (tb.total !== '0.00') problems.push(`${label}: trial balance ${tb.total}`);
  const verified = await get('/v1/audit/verify');
  if (!verified.ok || verified.balance_mismatches.length) problems.push(`${label}: verify ${JSON.stringify(verified).slice(0, 300)}`);
}

const programme = await setUp();
const auditor = await token('auditor');
let totalLoadMs = 0;
const phases = { restart: 0, retry: 0, audit: 0 };
// The cycles during which PostgreSQL itself goes down and comes back, spread over the run.
const pgRestartCycles = new Set(Array.from({ length: PG_RESTARTS }, (_, i) => Math.max(1, Math.round(((i + 1) * KILLS) / (PG_RESTARTS + 1)))));
let pgRestarts = 0;
for (let cycle = 1; cycle <= KILLS; cycle++) {
  let running = true;
  const load = runLoad(journal, programme, { clients: CLIENTS, cycle, random, running: () => running });
  const wait = MIN_MS + random() * (MAX_MS - MIN_MS);
  await new Promise((resolve) => setTimeout(resolve, wait));
  totalLoadMs += wait;
  if (pgRestartCycles.has(cycle)) {
    // The server stops as if it crashed and starts again (crash recovery) while the clients go on writing.
    const t = performance.now();
    await cluster!.ctlAsync('-m', 'immediate', '-w', 'restart');
    pgRestarts++;
    await new Promise((resolve) => setTimeout(resolve, wait));
    totalLoadMs += performance.now() - t;
  }
  running = false; // no new requests from here: what is in flight now is cut off by the kill
  const victim = (cycle - 1) % services.length;
  service = services[victim]!;
  await service.stop('SIGKILL'); // no drain, no close
  await load;
  let t = performance.now();
  services[victim] = service = await startService(entry, env);
  phases.restart += performance.now() - t;
  t = performance.now();
  problems.push(...(await journal.retry((c) => c === cycle)).map((p) => `after kill ${cycle}: ${p}`));
  phases.retry += performance.now() - t;
  t = performance.now();
  await auditThroughApi(`after kill ${cycle}`, auditor);
  phases.audit += performance.now() - t;
  if (problems.length) break;
}

// Every key once more against the last incarnation, then a clean stop and the file itself.
problems.push(...(await journal.retry(() => true)).map((p) => `final retry: ${p}`));
await auditThroughApi('final', auditor);
for (const s of services) {
  const code = await s.stop('SIGTERM');
  if (code !== 0) problems.push(`SIGTERM exit code ${code}`);
}
const facts = POSTGRES ? await checkLedgerDatabase(cluster!.url, journal) : await checkLedgerFile(join(dir, 'jifen.db'), journal);
if (journal.unavailable.without > 0) problems.push(`${journal.unavailable.without} answers of 503 without Retry-After`);
const fiveHundreds = [...journal.writes.values()].filter((w) => w.answer && w.answer.status >= 500 && w.answer.status !== 503);
if (fiveHundreds.length) problems.push(`answers of 5xx other than 503: ${fiveHundreds.slice(0, 3).map((w) => `${w.answer!.status} ${w.answer!.text.slice(0, 120)}`).join('; ')}`);
if (PG_RESTARTS > 0 && journal.unavailable.withRetryAfter === 0) problems.push('PostgreSQL restarted under load, yet no client was told 503: the restarts were not under load');
problems.push(...facts.problems);

const answered = [...journal.writes.values()].filter((w) => w.answer);
const succeeded = answered.filter((w) => w.answer!.status < 300).length;
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `crash test (seed ${SEED}, ${values.runner}${POSTGRES ? `, PostgreSQL, two services, ${pgRestarts} server restarts under load (${journal.unavailable.withRetryAfter} answers 503 with Retry-After meanwhile, ${journal.unavailableRetried} of them retried and answered)` : ''}): ${KILLS} SIGKILLs in ${seconds} s (${(totalLoadMs / 1000).toFixed(1)} s under load with ${CLIENTS} clients, ` +
    `${(phases.restart / 1000).toFixed(1)} s restarting, ${(phases.retry / 1000).toFixed(1)} s retrying, ${(phases.audit / 1000).toFixed(1)} s auditing); ` +
    `${journal.writes.size} keyed writes sent, ${answered.length - journal.inFlightAtKill} acknowledged before a kill (${succeeded} succeeded in the end, ${answered.length - succeeded} refused), ` +
    `${journal.inFlightAtKill} in flight at a kill (${journal.inFlightCommitted} had committed, ${journal.inFlightAtKill - journal.inFlightCommitted} had not); ` +
    `${journal.retriesChecked} retries after restarts answered as first; ` +
    `final ${POSTGRES ? 'database' : 'file'}: ${facts.transactions} transactions, ${facts.accounts} accounts` +
    (problems.length ? `; ${problems.length} problem(s)` : '; trial balance zero, chain and stored balances verified, every transaction sealed and summing to zero, nothing applied twice'),
);
if (values.keep) console.log(`data kept in ${dir}`);
if (problems.length) {
  console.error(`crash test FAILED: ${problems.length} problem(s)\n${problems.slice(0, 20).join('\n')}`);
  process.exit(1);
}
console.log('crash test passed');
