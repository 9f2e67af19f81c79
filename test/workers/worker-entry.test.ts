import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { applyD1Migrations, createExecutionContext, reset, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/entry/worker.js';
import { mintToken } from '../../src/auth/mint.js';
import { testSigningKey, TEST_SECRET } from '../support/harness-core.js';

// The Worker's own entry points, as workerd calls them: fetch and the cron trigger.
async function bindings() {
  await reset();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  return { ...env, JIFEN_JWT_SECRET: TEST_SECRET, JIFEN_SIGNING_KEY: JSON.stringify(await testSigningKey()), JIFEN_LOG: 'off' };
}

describe('worker entry', () => {
  it('serves the app over D1 with config from bindings and secrets', async () => {
    const vars = await bindings();
    const health = await worker.fetch(new Request('http://jifen.test/health'), vars, createExecutionContext());
    expect(await health.json()).toMatchObject({ status: 'ok', backend: 'd1' });
    const token = await mintToken(TEST_SECRET, { role: 'admin', issuer: 'jifen', audience: 'jifen' });
    const created = await worker.fetch(
      new Request('http://jifen.test/v1/orgs', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: '湘潭市', kind: 'city' }),
      }),
      vars,
      createExecutionContext(),
    );
    expect(created.status).toBe(201);
    const rows = await env.DB.prepare('SELECT name FROM orgs').all();
    expect(rows.results).toEqual([{ name: '湘潭市' }]);
  });

  it('answers 503 problem+json, without details, when a secret is missing', async () => {
    const vars = await bindings();
    const res = await worker.fetch(new Request('http://jifen.test/health'), { ...vars, JIFEN_SIGNING_KEY: undefined }, createExecutionContext());
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'misconfigured' });
  });

  it('expires due holds from the cron trigger', async () => {
    const vars = await bindings();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO accounts (id, kind, owner_id, no_overdraft, posted, held, created_at) VALUES ('w', 'worker', NULL, 1, 0, 0, 'x')",
      ),
      env.DB.prepare(
        "INSERT INTO holds (id, account_id, destination_account_id, amount, actor, expires_at, created_at) VALUES ('hold_due', 'program:issuance', 'w', 500, 't', '2020-01-01T00:01:00.000Z', '2020-01-01T00:00:00.000Z')",
      ),
      env.DB.prepare(
        "INSERT INTO holds (id, account_id, destination_account_id, amount, actor, expires_at, created_at) VALUES ('hold_later', 'program:issuance', 'w', 700, 't', '2999-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')",
      ),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled({ cron: '*/5 * * * *', scheduledTime: Date.now() }, vars, ctx);
    await waitOnExecutionContext(ctx);
    const resolved = await env.DB.prepare('SELECT hold_id, kind FROM hold_resolutions').all();
    expect(resolved.results).toEqual([{ hold_id: 'hold_due', kind: 'expire' }]);
    const account = await env.DB.prepare("SELECT held FROM accounts WHERE id = 'program:issuance'").first();
    expect(account).toEqual({ held: 700 });
  });
});
