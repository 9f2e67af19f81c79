import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The Node entry as a newcomer runs it: a fresh data folder, `npm start`'s
// command, a token from `npm run token`, and a clean SIGTERM.
const root = new URL('../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
let child: ChildProcess | undefined;
let dir: string;

afterEach(() => {
  child?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function start(env: Record<string, string>): Promise<{ url: string; output: () => string }> {
  // node with tsx as a loader (not the tsx wrapper), so the SIGKILL of
  // afterEach reaches the server itself and leaves no orphan behind.
  child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], { cwd: root, env: { ...process.env, PORT: '0', JIFEN_LOG: 'off', ...env } });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 20s: ${output}`)), 20_000);
    child!.stdout!.on('data', () => {
      const match = output.match(/listening on (http:\/\/localhost:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, output: () => output });
      }
    });
    child!.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${output}`));
    });
  });
}

describe('node entry', () => {
  it('creates and migrates the database, prints how to begin, serves, and drains on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jifen-'));
    const { url, output } = await start({ JIFEN_DATA_DIR: dir });
    expect(output()).toContain(`${url}/docs`);
    expect(output()).toContain('npm run --silent token -- --role admin');
    expect(existsSync(join(dir, 'jifen.db'))).toBe(true);
    expect(existsSync(join(dir, 'keys', 'dev-jwt-secret'))).toBe(true);

    const token = spawnSync(tsx, ['scripts/token.ts', '--role', 'admin'], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dir } });
    expect(token.status, token.stderr.toString()).toBe(0);
    const jwt = token.stdout.toString().trim();
    expect(jwt.split('.')).toHaveLength(3);
    const res = await fetch(`${url}/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '湘潭市', kind: 'city' }),
    });
    expect(res.status).toBe(201);
    const org = (await res.json()) as { id: string };

    // Over the body limit (1 MiB by default), whether the length is declared up front or the body is streamed.
    const write = (body: string | ReadableStream<Uint8Array>) =>
      fetch(`${url}/v1/budget-allocations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
    const huge = JSON.stringify({ org_id: org.id, amount: '7', memo: 'x'.repeat(1100 * 1024) });
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < huge.length; at += 64 * 1024) controller.enqueue(new TextEncoder().encode(huge.slice(at, at + 64 * 1024)));
        controller.close();
      },
    });
    for (const body of [huge, streamed]) {
      const refused = await write(body);
      expect(refused.status).toBe(413);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(((await refused.json()) as { code: string }).code).toBe('payload_too_large');
    }
    expect((await write(JSON.stringify({ org_id: org.id, amount: '5' }))).status).toBe(201);
    const budget = await fetch(`${url}/v1/orgs/${org.id}/budget`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(((await budget.json()) as { allocated: string }).allocated).toBe('5.00');

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The same keys are reused on the next start.
    const secret = readFileSync(join(dir, 'keys', 'dev-jwt-secret'), 'utf8');
    const again = await start({ JIFEN_DATA_DIR: dir });
    const check = await fetch(`${again.url}/v1/audit/trial-balance`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(check.status).toBe(200);
    expect(readFileSync(join(dir, 'keys', 'dev-jwt-secret'), 'utf8')).toBe(secret);
  });

  it('stops with a one-line explanation on a bad setting', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jifen-'));
    const run = spawnSync(tsx, ['src/entry/node.ts'], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dir, JIFEN_DURABILITY: 'fast' } });
    expect(run.status).toBe(1);
    const lines = run.stderr.toString().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: JIFEN_DURABILITY/);
  });

  it('stops with one line when PostgreSQL cannot be reached', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jifen-'));
    // Port 9 (discard) on this machine: nothing listens there.
    const run = spawnSync(tsx, ['src/entry/node.ts'], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: dir, JIFEN_DATABASE_URL: 'postgres://jifen@127.0.0.1:9/jifen' }, timeout: 30_000 });
    expect(run.status).toBe(1);
    const lines = run.stderr.toString().trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^Jifen could not start: PostgreSQL at 127\.0\.0\.1:9\/jifen cannot be reached \(.*ECONNREFUSED.*\): is it running, and is JIFEN_DATABASE_URL right\?$/)]);
  });
});
