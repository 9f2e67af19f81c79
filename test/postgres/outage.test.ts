import { afterAll, describe, expect, it } from 'vitest';
import { startCluster, freePort } from '../../scripts/pg-cluster.js';
import { openPool } from '../../src/db/postgres.js';
import { migratePostgres } from '../../src/db/migrate-postgres.js';
import { postgresDeps } from '../../src/entry/node-deps.js';
import { parseConfig } from '../../src/config/schema.js';
import { createApp } from '../../src/app.js';
import { mintToken } from '../../src/auth/mint.js';
import { testSigningKey, TEST_SECRET } from '../support/harness-core.js';

// The database goes away under a running service (a private cluster of its
// own, stopped and started): every request that needs it is 503 with
// Retry-After, none a 500, nothing half-written; once it is back the same
// service, never restarted, answers again.
const cluster = startCluster({ port: await freePort() });
afterAll(() => cluster.stop());

describe('PostgreSQL going away under a running service', () => {
  it('answers 503 with Retry-After while it is down, and recovers by itself', async () => {
    // durability full: synchronous_commit=on, so what was acknowledged before the crash of the server is there after it.
    const pool = openPool(cluster.url, { max: 4, durability: 'full' });
    await migratePostgres(pool);
    const config = parseConfig({ JIFEN_JWT_SECRET: TEST_SECRET, JIFEN_SIGNING_KEY: JSON.stringify(await testSigningKey()), JIFEN_DATABASE_URL: cluster.url });
    const deps = await postgresDeps(config, pool, { quiet: true });
    const app = createApp(deps);
    const admin = await mintToken(TEST_SECRET, { role: 'admin', sub: 'admin-outage', issuer: 'jifen', audience: 'jifen', ttl: '1h' });
    const call = async (method: string, path: string, body?: unknown, key?: string) => {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
    };
    const city = await call('POST', '/v1/orgs', { name: '湘潭市', kind: 'city' }, 'org-1');
    expect(city.status).toBe(201);

    cluster.ctl('-m', 'immediate', '-w', 'stop');
    const read = await call('GET', '/v1/orgs');
    const write = await call('POST', '/v1/orgs', { name: '岳塘区', kind: 'district', parent_id: city.body.id }, 'org-2');
    for (const answer of [read, write]) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe('2');
      expect(answer.body).toMatchObject({ code: 'storage_unavailable', detail: 'The database cannot be reached; retry shortly' });
      expect(JSON.stringify(answer.body)).not.toMatch(/ECONNREFUSED|stack|at /);
    }

    cluster.start();
    // The same key once it is back: written now, once.
    const again = await call('POST', '/v1/orgs', { name: '岳塘区', kind: 'district', parent_id: city.body.id }, 'org-2');
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const orgs = await call('GET', '/v1/orgs');
    expect(orgs.status).toBe(200);
    expect(JSON.stringify(orgs.body)).toContain('岳塘区');
    expect((await pool.query('SELECT count(*) AS n FROM orgs')).rows[0].n).toBe(2);
    await deps.db.destroy();
  }, 60_000);
});
