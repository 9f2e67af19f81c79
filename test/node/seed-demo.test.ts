import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const root = new URL('../../', import.meta.url).pathname;
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const seed = () =>
  spawnSync(join(root, 'node_modules/.bin/tsx'), ['scripts/seed-demo.ts'], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dir }, timeout: 120_000 });

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
    const second = seed();
    expect(second.status, second.stderr.toString()).toBe(0);
    const again = new Database(join(dir, 'jifen.db'), { readonly: true });
    const n = (sql: string) => (again.prepare(sql).get() as { n: number }).n;
    expect(n('SELECT count(*) AS n FROM transactions')).toBe(before.transactions);
    expect(n('SELECT count(*) AS n FROM claims')).toBe(before.claims);
    again.close();
  });
});
