import { startNodeService } from './support/node-service.js';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

// The README's by-hand curl flow, run as printed (bash, curl, jq) against a
// service whose data folder the demo has already filled: its own names and
// activity type, days in programme time (so not the hour it runs at), and an
// Idempotency-Key on every write (so running it again records nothing).
// It needs curl and jq (.ci/run installs them where they are missing); without them it fails, never skips.
const root = new URL('../../', import.meta.url).pathname;
let service: ChildProcess | undefined;
let dir = '';

afterEach(() => {
  service?.kill('SIGKILL');
  service = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** The service on this data folder; its host and port (as the README's curl lines name it). */
function startService(): Promise<string> {
  const started = startNodeService(dir);
  service = started.child;
  return started.url.then((url) => url.replace(/^http:\/\//, ''));
}

/** The README's block that starts with the Content-Type line, up to its closing fence. */
function readmeFlow(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf("J='Content-Type: application/json'; URL=localhost:3000");
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, readme.indexOf('\n```', start));
}

describe("the README's curl flow", () => {
  it('works beside the seeded demo, credits by the day cap, and records nothing twice when run again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jifen-readme-'));
    const host = await startService();
    const seeded = spawnSync(join(root, 'node_modules/.bin/tsx'), ['scripts/seed-demo.ts'], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dir }, timeout: 60_000 });
    expect(seeded.status, seeded.stderr.toString()).toBe(0);
    const script = readmeFlow().replace('URL=localhost:3000', `URL=${host}`);
    const run = () => spawnSync('bash', ['-c', `set -eo pipefail\n${script}`], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dir }, timeout: 60_000 });

    const first = run();
    expect(first.status, first.stderr.toString()).toBe(0);
    const out = first.stdout.toString();
    expect(out).not.toMatch(/"status":(4|5)\d\d/);
    expect(out).toContain('"points_credited":"25.00","points_capped":"25.00","cap_reason":"daily_cap"');
    expect(out).toContain('"balanced":true,"total":"0.00"');
    expect(out).toMatch(/"ok":true,[^}]*"balance_mismatches":\[\]/);

    const db = new Database(join(dir, 'jifen.db'), { readonly: true });
    const one = <T>(sql: string) => db.prepare(sql).get() as T;
    const rider = one<{ posted: number; home: string }>(
      "SELECT a.posted, o.name AS home FROM members m JOIN accounts a ON a.id = m.account_id JOIN orgs o ON o.id = m.home_org_id WHERE m.display_name = '骑手小李'",
    );
    // 2.5 h at the event (25.00), then 5 h the same afternoon, of which 25.00 fits under the day's cap of 50.
    expect(rider).toEqual({ posted: 5000, home: '新塘社区' });
    expect(one<{ n: number }>("SELECT count(*) AS n FROM orgs WHERE name = '湘潭市'").n).toBe(1);
    const transactions = () => one<{ n: number }>('SELECT count(*) AS n FROM transactions').n;
    const before = transactions();

    const second = run();
    expect(second.status, second.stderr.toString()).toBe(0);
    expect(second.stdout.toString()).not.toMatch(/"status":(4|5)\d\d/);
    expect(transactions()).toBe(before);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM members WHERE display_name = '骑手小李'").n).toBe(1);
    db.close();
  }, 90_000);
});
