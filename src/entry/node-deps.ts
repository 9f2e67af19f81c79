import type Database from 'better-sqlite3';
import type { JSONWebKeySet, JWK } from 'jose';
import type { Config } from '../config/schema.js';
import { kyselyFor } from '../db/sqlite.js';
import { SqliteWriteExecutor } from '../db/sqlite-executor.js';
import { createTokenVerifier } from '../auth/tokens.js';
import { createServiceSigner } from '../auth/signing.js';
import type { AppDeps } from '../http/context.js';
import { jsonLogger, silentLogger } from '../http/logger.js';

/** Wires the app's dependencies over an open better-sqlite3 database. */
export async function nodeDeps(
  config: Config,
  sqlite: Database.Database,
  options: { clock?: () => Date; quiet?: boolean } = {},
): Promise<AppDeps> {
  const clock = options.clock ?? (() => new Date());
  if (!config.signingKey) throw new Error('no signing key configured');
  return {
    db: kyselyFor(sqlite),
    executor: new SqliteWriteExecutor(sqlite),
    tokens: createTokenVerifier({
      ...(config.jwt.secret ? { hsSecret: config.jwt.secret } : {}),
      ...(config.jwt.jwks ? { jwks: config.jwt.jwks as unknown as JSONWebKeySet } : {}),
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      clock,
    }),
    signer: await createServiceSigner(config.signingKey as JWK),
    log: options.quiet || config.log === 'off' ? silentLogger : jsonLogger((line) => process.stdout.write(`${line}\n`)),
    clock,
    bodyLimit: config.bodyLimit,
    utcOffsetMinutes: config.utcOffsetMinutes,
    programme: config.programme,
    backend: 'sqlite',
  };
}
