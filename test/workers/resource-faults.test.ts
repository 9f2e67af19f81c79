import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { applyD1Migrations, reset } from 'cloudflare:test';
import { workerDeps } from '../../src/entry/worker.js';
import type { D1DatabaseLike } from '../../src/db/d1-types.js';
import { D1WriteExecutor } from '../../src/db/d1-executor.js';
import { harnessOver, TestClock, testSigningKey, TEST_SECRET } from '../support/harness-core.js';
import { expectSoundLedger, stateFingerprint, member, programme } from '../support/fixtures.js';

// D1 cannot be locked or filled from a test, so its faults are injected where
// the Worker meets the binding: DB.batch() fails the way D1 reports a busy
// database, a full one, or an overloaded object. The batch is atomic, so
// nothing can be half-written; what is checked is that each such fault is a
// 503 with Retry-After, that nothing was written, and that the same isolate
// answers normally once the fault clears.

const FAULTS = [
  'D1_ERROR: database is locked: SQLITE_BUSY',
  'D1_ERROR: database or disk is full: SQLITE_FULL',
  'D1 DB is overloaded. Requests queued for too long.',
  'D1_ERROR: Exceeded maximum DB size',
];

describe('resource faults on D1', () => {
  it.each(FAULTS)('%s: 503 with Retry-After, nothing written, recovered without a restart', async (fault) => {
    await reset();
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    let failing = false;
    const real = env.DB as unknown as D1DatabaseLike;
    const flaky: D1DatabaseLike = {
      prepare: (sql) => real.prepare(sql),
      batch: (statements) => (failing ? Promise.reject(new Error(fault)) : real.batch(statements)),
    };
    const clock = new TestClock();
    const deps = await workerDeps({ DB: flaky, JIFEN_JWT_SECRET: TEST_SECRET, JIFEN_SIGNING_KEY: JSON.stringify(await testSigningKey()), JIFEN_LOG: 'off' }, clock.now);
    const h = harnessOver('d1', deps, clock, {
      all: async (sql, ...params) => (await env.DB.prepare(sql).bind(...params).all()).results as never[],
      exec: async (...statements) => void (await env.DB.batch(statements.map((s) => env.DB.prepare(s)))),
    }, () => new D1WriteExecutor(real));
    const p = await programme(h);
    const worker = await member(h, p.admin, p.community.id);
    await h.call('POST', '/v1/budget-allocations', { token: p.admin, body: { org_id: p.community.id, amount: '100' } });
    const credit = () =>
      h.call('POST', '/v1/adjustments', {
        token: p.admin,
        headers: { 'Idempotency-Key': 'fault-credit' },
        body: { reason: 'drill', postings: [{ account_id: p.community.budget_account_id, amount: '-5' }, { account_id: worker.account_id, amount: '5' }] },
      });

    const before = await stateFingerprint(h);
    failing = true;
    const refused = await credit();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.code).toBe('storage_unavailable');
    expect(refused.text).not.toContain('D1_ERROR');
    expect(await stateFingerprint(h)).toEqual(before);

    failing = false;
    const retried = await credit();
    expect(retried.status, retried.text).toBe(201);
    await expectSoundLedger(h, p.admin);
    console.log(`resource faults (d1): "${fault}" → 503 with Retry-After, nothing written, the same key accepted once it cleared`);
  });
});
