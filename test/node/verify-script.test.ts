import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createHarness } from '#harness';
import { adjust, allocate, member, programme } from '../support/fixtures.js';

const root = new URL('../../', import.meta.url).pathname;
let server: ServerType | undefined;
let dir = '';
afterEach(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['scripts/verify.ts', ...args], { cwd: root });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('npm run verify', () => {
  it('checks a live service against its signed checkpoints, and a saved export offline', async () => {
    const h = await createHarness();
    const p = await programme(h);
    await allocate(h, p.admin, p.community.id, '100');
    const m = await member(h, p.admin, p.community.id);
    for (let i = 1; i <= 3; i++) await adjust(h, p.admin, [[p.community.budget_account_id, `-${i}`], [m.account_id, `${i}`]], `积分 ${i}`);
    expect((await h.call('POST', '/v1/audit/checkpoints', { token: p.admin })).status).toBe(201);
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
    });
    dir = mkdtempSync(join(tmpdir(), 'jifen-verify-'));
    const auditor = await h.token('auditor');
    const online = await run(['--url', `http://127.0.0.1:${port}`, '--token', auditor, '--save', dir]);
    expect(online.code, online.out).toBe(0);
    expect(online.out).toContain('OK: 4 transactions hash to 1 signed checkpoint(s), the latest at seq 4');

    const files = ['--file', join(dir, 'export.ndjson'), '--checkpoints', join(dir, 'checkpoints.json'), '--jwks', join(dir, 'jwks.json')];
    const offline = await run(files);
    expect(offline.code, offline.out).toBe(0);
    const lines = readFileSync(join(dir, 'export.ndjson'), 'utf8').trimEnd().split('\n');
    const third = JSON.parse(lines[2]!);
    third.postings[0].amount = third.postings[0].amount.startsWith('-') ? '-99.00' : '99.00';
    lines[2] = JSON.stringify(third);
    writeFileSync(join(dir, 'export.ndjson'), `${lines.join('\n')}\n`);
    const tampered = await run(files);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain('FAILED at seq 3');
  });
});
