import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { WriteExecutor } from '../db/executor.js';
import type { TokenVerifier } from '../auth/tokens.js';
import type { ServiceSigner } from '../auth/signing.js';
import type { Caller } from '../auth/caller.js';
import type { Logger } from './logger.js';
import type { ProgrammeRules } from '../config/schema.js';

/** Everything the app needs from its runtime; the two entries build it. */
export interface AppDeps {
  /** Kysely over the backend: reads, and compiling the statements of writes. */
  db: Kysely<Database>;
  /** Runs a write atomically (better-sqlite3 transaction or D1 batch). */
  executor: WriteExecutor;
  tokens: TokenVerifier;
  signer: ServiceSigner;
  log: Logger;
  clock: () => Date;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Redemption and settlement rules. */
  programme: ProgrammeRules;
  /** Shown by `/health`. */
  backend: 'sqlite' | 'd1';
}

/** What an idempotent write needs to store its answer. */
export interface IdempotencyScope {
  scope: string;
  key: string;
  requestHash: string;
}

/** Hono environment of every router. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    caller: Caller;
    idempotency: IdempotencyScope | undefined;
  };
}
