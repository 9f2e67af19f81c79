import type { AppDeps } from '../deps.js';
import type { IdempotencyScope } from '../db/write-runner.js';
import type { Caller } from '../auth/caller.js';

/** Hono environment of every router. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    caller: Caller;
    idempotency: IdempotencyScope | undefined;
  };
}
