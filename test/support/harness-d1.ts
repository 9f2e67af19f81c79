import { env } from 'cloudflare:workers';
import { applyD1Migrations, reset } from 'cloudflare:test';
import { workerDeps, type WorkerEnv } from '../../src/entry/worker.js';
import { D1WriteExecutor } from '../../src/db/d1-executor.js';
import { pageScriptsFrom } from '../../src/pages/page-scripts.js';
import { harnessOver, TestClock, testSigningKey, TEST_SECRET, type Harness } from './harness-core.js';

/** The pages' browser scripts, bundled once by vitest.d1.config.ts (workerd has no esbuild) and bound as TEST_PAGE_SCRIPTS. */
export const SCRIPTS = env.TEST_PAGE_SCRIPTS;
const pageScripts = pageScriptsFrom(SCRIPTS);

/**
 * A fresh service over a fresh D1 database in workerd: storage is wiped and
 * rebuilt from `schema/` (the same files wrangler applies) for every harness.
 */
export async function createHarness(): Promise<Harness> {
  await reset();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  const clock = new TestClock();
  const bindings: WorkerEnv = {
    DB: env.DB,
    EVIDENCE: env.EVIDENCE,
    JIFEN_JWT_SECRET: TEST_SECRET,
    JIFEN_SIGNING_KEY: JSON.stringify(await testSigningKey()),
    JIFEN_BODY_LIMIT: String(256 * 1024),
    JIFEN_LOG: 'off',
  };
  const deps = await workerDeps(bindings, clock.now);
  return harnessOver('d1', deps, clock, {
    all: async (sql, ...params) => (await env.DB.prepare(sql).bind(...params).all()).results as never[],
    exec: async (...statements) => {
      await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
    },
  }, () => new D1WriteExecutor(env.DB), pageScripts);
}
