import { startNodeService } from './support/node-service.js';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const root = new URL('../../', import.meta.url).pathname;
let dir = '';
let service: ChildProcess | undefined;
afterEach(() => {
  service?.kill('SIGKILL');
  service = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const tsx = join(root, 'node_modules/.bin/tsx');
const seed = (...args: string[]) =>
  spawnSync(tsx, ['scripts/seed-demo.ts', ...args], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dir }, timeout: 120_000 });

/** The service on this data folder, as npm start runs it, on a free port. */
function startService(): Promise<string> {
  const started = startNodeService(dir);
  service = started.child;
  return started.url;
}

describe('npm run seed:demo', () => {
  it('builds a believable programme through the API, prints a token per role, and is a no-op when re-run', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jifen-seed-'));
    const first = seed();
    expect(first.status, first.stderr.toString()).toBe(0);
    const out = first.stdout.toString();
    for (const role of ['admin', 'auditor', 'organizer', 'worker', 'merchant']) expect(out).toMatch(new RegExp(`^${role}\\s+eyJ`, 'm'));
    for (const role of ['auditor', 'organizer', 'worker', 'merchant']) expect(out).toMatch(new RegExp(`^${role}\\s+http://localhost:\\d+/app/sign-in#token=eyJ`, 'm'));
    const db = new Database(join(dir, 'jifen.db'), { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const snapshot = () => ({
      districts: count("SELECT count(*) AS n FROM orgs WHERE kind = 'district'"),
      members: count('SELECT count(*) AS n FROM members'),
      platforms: count('SELECT count(DISTINCT platform) AS n FROM members'),
      types: count('SELECT count(DISTINCT code) AS n FROM activity_types'),
      events: count('SELECT count(*) AS n FROM events'),
      claims: count('SELECT count(*) AS n FROM claims'),
      pending: count('SELECT count(*) AS n FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claim_decisions d WHERE d.claim_id = c.id)'),
      transactions: count('SELECT count(*) AS n FROM transactions'),
      total: count('SELECT sum(posted) AS n FROM accounts'),
      merchants: count('SELECT count(*) AS n FROM merchants'),
      redemptions: count('SELECT count(*) AS n FROM redemptions'),
    });
    const before = snapshot();
    expect(before).toMatchObject({ districts: 3, members: 50, platforms: 4, types: 6, total: 0, merchants: 3, redemptions: 6 });
    expect(before.events).toBeGreaterThanOrEqual(8);
    expect(before.pending).toBeGreaterThan(5);
    expect(count("SELECT count(*) AS n FROM accounts WHERE kind = 'worker' AND posted > 0")).toBeGreaterThan(30);
    db.close();
    // The links point where people open the service (--url), here on the no-op re-run.
    const second = seed('--url', 'https://jifen.example.org/');
    expect(second.status, second.stderr.toString()).toBe(0);
    expect(second.stdout.toString()).toMatch(/^worker\s+https:\/\/jifen\.example\.org\/app\/sign-in#token=eyJ/m);
    expect(second.stdout.toString()).not.toContain('localhost');
    const again = new Database(join(dir, 'jifen.db'), { readonly: true });
    const n = (sql: string) => (again.prepare(sql).get() as { n: number }).n;
    expect(n('SELECT count(*) AS n FROM transactions')).toBe(before.transactions);
    expect(n('SELECT count(*) AS n FROM claims')).toBe(before.claims);
    again.close();
  });

  it('with --http seeds a running service through its API (as a Worker under wrangler dev is seeded), and links point at it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jifen-seed-'));
    const url = await startService();
    const run = seed('--http', '--url', url);
    expect(run.status, run.stderr.toString()).toBe(0);
    const out = run.stdout.toString();
    expect(out).toContain(`Seeded ${url}: 7 communities in 3 districts`);
    for (const role of ['worker', 'merchant', 'organizer', 'auditor']) expect(out).toMatch(new RegExp(`^${role}\\s+${url}/app/sign-in#token=eyJ`, 'm'));
    // What the service holds now, asked of the service: the demo, sound.
    const auditor = out.match(/^auditor\s+(eyJ\S+)/m)![1]!;
    const get = async (path: string) => (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${auditor}` } })).json() as Promise<Record<string, unknown>>;
    expect(await get('/v1/audit/trial-balance')).toMatchObject({ balanced: true, total: '0.00' });
    const verified = await get('/v1/audit/verify');
    expect(verified).toMatchObject({ ok: true, balance_mismatches: [] });
    const db = new Database(join(dir, 'jifen.db'), { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM members').get() as { n: number }).n).toBe(50);
    db.close();
    // Again through the API: the same requests, the same answers, nothing new.
    const again = seed('--http', '--url', url);
    expect(again.status, again.stderr.toString()).toBe(0);
    expect((await get('/v1/audit/verify')).to_seq).toBe(verified.to_seq);
  }, 60_000);

  it('with --http and no service there, says so in one line', () => {
    dir = mkdtempSync(join(tmpdir(), 'jifen-seed-'));
    const run = seed('--http', '--url', 'http://127.0.0.1:9');
    expect(run.status).toBe(1);
    expect(run.stderr.toString().trim().split('\n')).toHaveLength(1);
    expect(run.stderr.toString()).toMatch(/^seed:demo --http: no service answers at http:\/\/127\.0\.0\.1:9 /);
  });
});

describe('npm run token -- --link', () => {
  const link = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(tsx, ['scripts/token.ts', '--role', 'admin', '--link', ...args], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dir, ...env } });

  it('points at the service at PORT, at JIFEN_PUBLIC_URL, or at --url', () => {
    dir = mkdtempSync(join(tmpdir(), 'jifen-token-'));
    expect(link([], { PORT: '3456' }).stdout.toString()).toMatch(/^http:\/\/localhost:3456\/app\/sign-in#token=eyJ/);
    expect(link([], { PORT: '3456', JIFEN_PUBLIC_URL: 'https://points.example.org' }).stdout.toString()).toMatch(/^https:\/\/points\.example\.org\/app\/sign-in#token=eyJ/);
    expect(link(['--url', 'http://127.0.0.1:8787/'], { PORT: '3456' }).stdout.toString()).toMatch(/^http:\/\/127\.0\.0\.1:8787\/app\/sign-in#token=eyJ/);
    const bad = link(['--url', 'localhost:3000']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.toString()).toMatch(/^--url must be the service's address/);
  });
});
