import { createApp, type JifenApp } from '../app.js';
import { parseConfig } from '../config/schema.js';
import { D1Dialect } from '../db/d1-dialect.js';
import { D1WriteExecutor } from '../db/d1-executor.js';
import type { D1DatabaseLike } from '../db/d1-types.js';
import { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { buildDeps, type AppDeps } from '../deps.js';
import { r2EvidenceStore, type R2BucketLike } from '../evidence/store.js';
import { problemResponse } from '../http/problem.js';
import { refuse } from '../errors.js';
import { runScheduledJobs } from '../jobs/scheduled.js';
import type { DocsAssets } from '../http/docs.js';
import { PAGE_SCRIPT_NAMES, type PageScriptName, type PageScripts } from '../pages/page-scripts.js';

/** Bindings and secrets of the Worker (wrangler.toml `[vars]`, `wrangler secret put`). */
export interface WorkerEnv {
  DB: D1DatabaseLike;
  /** The R2 bucket of photo evidence (wrangler.toml `[[r2_buckets]]`). */
  EVIDENCE?: R2BucketLike;
  [setting: string]: unknown;
}

interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

/** Builds the app's dependencies from Worker bindings, validated by the same zod schema as Node's. */
export function workerDeps(env: WorkerEnv, clock: () => Date = () => new Date()): Promise<AppDeps> {
  const settings: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) if (typeof value === 'string') settings[key] = value;
  return buildDeps(
    parseConfig(settings),
    { name: 'd1', db: new Kysely<Database>({ dialect: new D1Dialect(env.DB) }), executor: new D1WriteExecutor(env.DB), writeLine: (line) => console.log(line), ...(env.EVIDENCE ? { evidence: r2EvidenceStore(env.EVIDENCE) } : {}) },
    { clock },
  );
}

// The pages' scripts and Swagger UI's files, text modules bundled by wrangler (worker-assets.ts),
// imported when first asked for: the d1 tests load this entry without build/pages/.
let assets: Promise<typeof import('./worker-assets.js')> | undefined;
const workerAssets = () => (assets ??= import('./worker-assets.js'));
const pageScript = (name: PageScriptName) => async () => (await workerAssets()).PAGE_SOURCES[name];
const pageScripts = Object.fromEntries(PAGE_SCRIPT_NAMES.map((name) => [name, pageScript(name)])) as PageScripts;
const docsAssets: DocsAssets = { css: async () => (await workerAssets()).SWAGGER.css, js: async () => (await workerAssets()).SWAGGER.js };

// One app per isolate, built on first use (bindings arrive with the first event).
let cached: { env: WorkerEnv; deps: Promise<AppDeps>; app: Promise<JifenApp> } | undefined;

function appFor(env: WorkerEnv) {
  if (!cached || cached.env !== env) {
    const deps = workerDeps(env);
    cached = { env, deps, app: deps.then((d) => createApp(d, { docsAssets, pageScripts })) };
    cached.app.catch(() => (cached = undefined));
  }
  return cached;
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContextLike): Promise<Response> {
    try {
      const app = await appFor(env).app;
      return app.fetch(request, env, ctx as never);
    } catch (error) {
      console.error(error instanceof Error ? error.message : String(error));
      return problemResponse(refuse('misconfigured'));
    }
  },

  async scheduled(_event: unknown, env: WorkerEnv, ctx: ExecutionContextLike): Promise<void> {
    ctx.waitUntil(appFor(env).deps.then((deps) => runScheduledJobs(deps)));
  },
};
