import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';

// The Worker as wrangler builds it: the [build] command's page bundles and
// Swagger UI's files go in as text modules. The d1 project tests the app in
// workerd, but not this packaging; here `wrangler dev` serves what a deploy
// would upload, offline, on a local port.
const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'jifen-wrangler-'));
let child: ChildProcess | undefined;

afterAll(() => {
  // wrangler starts workerd as a child: end the whole group.
  if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function startWorker(): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-worker-dev', alg: 'EdDSA' };
  const vars = join(dir, 'dev.env');
  writeFileSync(vars, `JIFEN_SIGNING_KEY='${JSON.stringify(jwk)}'\nJIFEN_JWT_SECRET='worker-dev-test-secret-0123456789abcdef'\n`);
  const port = String(20000 + Math.floor(Math.random() * 20000));
  child = spawn(join(root, 'node_modules/.bin/wrangler'), ['dev', '--ip', '127.0.0.1', '--port', port, '--persist-to', join(dir, 'state'), '--env-file', vars], {
    cwd: root,
    detached: true,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wrangler dev not ready in 90 s: ${output}`)), 90_000);
    const seen = (d: Buffer) => {
      output += d;
      if (output.includes('Ready on')) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child!.stdout!.on('data', seen);
    child!.stderr!.on('data', seen);
    child!.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`wrangler dev exited ${code}: ${output}`));
    });
  });
}

describe('the Worker as wrangler packages it', () => {
  it('serves every page script and Swagger UI from its own modules, with the pages CSP', async () => {
    const url = await startWorker();
    for (const name of ['common', 'sign-in', 'worker', 'merchant', 'organizer', 'auditor']) {
      const res = await fetch(`${url}/app/assets/${name}.js`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type'), name).toMatch(/javascript/);
      expect((await res.text()).length, name).toBeGreaterThan(100);
    }
    const page = await fetch(`${url}/app/sign-in`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/app/assets/sign-in.js');

    const docs = await (await fetch(`${url}/docs`)).text();
    expect(docs).toContain('/docs/assets/swagger-ui-bundle.js');
    const css = await fetch(`${url}/docs/assets/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect(await css.text()).toContain('.swagger-ui');
    const bundle = await fetch(`${url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  }, 150_000);
});
