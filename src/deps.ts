import type { JSONWebKeySet, JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { Config } from './config/schema.js';
import { ConfigError } from './config/schema.js';
import type { Database } from './db/types.js';
import type { WriteExecutor } from './db/executor.js';
import { createTokenVerifier } from './auth/tokens.js';
import { createServiceSigner } from './auth/signing.js';
import type { AppDeps } from './http/context.js';
import { jsonLogger, silentLogger } from './http/logger.js';

/**
 * The app's dependencies from a parsed config and a backend (its Kysely and
 * its atomic executor). Shared by the Node and Workers entries.
 */
export async function buildDeps(
  config: Config,
  backend: { name: AppDeps['backend']; db: Kysely<Database>; executor: WriteExecutor; writeLine: (line: string) => void },
  options: { clock?: () => Date; quiet?: boolean } = {},
): Promise<AppDeps> {
  const clock = options.clock ?? (() => new Date());
  if (!config.signingKey) throw new ConfigError('Invalid configuration: JIFEN_SIGNING_KEY (the service signing key) is required');
  return {
    db: backend.db,
    executor: backend.executor,
    tokens: createTokenVerifier({
      ...(config.jwt.secret ? { hsSecret: config.jwt.secret } : {}),
      ...(config.jwt.jwks ? { jwks: config.jwt.jwks as unknown as JSONWebKeySet } : {}),
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      clock,
    }),
    signer: await createServiceSigner(config.signingKey as JWK),
    log: options.quiet || config.log === 'off' ? silentLogger : jsonLogger(backend.writeLine),
    clock,
    bodyLimit: config.bodyLimit,
    programme: config.programme,
    backend: backend.name,
  };
}
