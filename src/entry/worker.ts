import type { JSONWebKeySet, JWK } from 'jose';
import { createApp, type JifenApp } from '../app.js';
import { ConfigError, parseConfig, type Config } from '../config/schema.js';
import { D1Dialect } from '../db/d1-dialect.js';
import { D1WriteExecutor } from '../db/d1-executor.js';
import type { D1DatabaseLike } from '../db/d1-types.js';
import { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { createTokenVerifier } from '../auth/tokens.js';
import { createServiceSigner } from '../auth/signing.js';
import type { AppDeps } from '../http/context.js';
import { jsonLogger, silentLogger } from '../http/logger.js';
import { problemResponse } from '../http/problem.js';
import { AppError } from '../errors.js';
import { runScheduledJobs } from '../jobs/expire-holds.js';

/** Bindings and secrets of the Worker (wrangler.toml `[vars]`, `wrangler secret put`). */
export interface WorkerEnv {
  DB: D1DatabaseLike;
  [setting: string]: unknown;
}

interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

/** Builds the app's dependencies from Worker bindings, validated by the same zod schema as Node's. */
export async function workerDeps(env: WorkerEnv, clock: () => Date = () => new Date()): Promise<AppDeps> {
  const settings: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) if (typeof value === 'string') settings[key] = value;
  const config: Config = parseConfig(settings);
  if (!config.signingKey) throw new ConfigError('Invalid configuration: JIFEN_SIGNING_KEY is required on Workers (wrangler secret put JIFEN_SIGNING_KEY)');
  return {
    db: new Kysely<Database>({ dialect: new D1Dialect(env.DB) }),
    executor: new D1WriteExecutor(env.DB),
    tokens: createTokenVerifier({
      ...(config.jwt.secret ? { hsSecret: config.jwt.secret } : {}),
      ...(config.jwt.jwks ? { jwks: config.jwt.jwks as unknown as JSONWebKeySet } : {}),
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      clock,
    }),
    signer: await createServiceSigner(config.signingKey as JWK),
    log: config.log === 'off' ? silentLogger : jsonLogger((line) => console.log(line)),
    clock,
    bodyLimit: config.bodyLimit,
    utcOffsetMinutes: config.utcOffsetMinutes,
    programme: config.programme,
    backend: 'd1',
  };
}

// One app per isolate, built on first use (bindings arrive with the first event).
let cached: { env: WorkerEnv; deps: Promise<AppDeps>; app: Promise<JifenApp> } | undefined;

function appFor(env: WorkerEnv) {
  if (!cached || cached.env !== env) {
    const deps = workerDeps(env);
    cached = { env, deps, app: deps.then(createApp) };
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
      return problemResponse(new AppError(503, 'misconfigured', 'Service unavailable', 'The service is not configured correctly; see its logs'));
    }
  },

  async scheduled(_event: unknown, env: WorkerEnv, ctx: ExecutionContextLike): Promise<void> {
    ctx.waitUntil(appFor(env).deps.then((deps) => runScheduledJobs(deps)));
  },
};
