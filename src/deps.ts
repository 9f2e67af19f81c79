import type { JSONWebKeySet, JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { Config, ProgrammeRules } from './config/schema.js';
import { ConfigError } from './config/schema.js';
import type { Database } from './db/types.js';
import type { WriteExecutor } from './db/executor.js';
import { createTokenVerifier, type TokenVerifier } from './auth/tokens.js';
import { createServiceSigner, type ServiceSigner } from './auth/signing.js';
import { deriveSessionKey, type SessionKey } from './auth/sessions.js';
import { jsonLogger, silentLogger, type Logger } from './http/logger.js';
import { missingEvidenceStore, type EvidenceStore } from './evidence/store.js';
import { deriveAttendanceKey } from './attendance/code.js';

/** Everything the app needs from its runtime; the two entries build it. */
export interface AppDeps {
  /** Kysely over the backend: reads, and compiling the statements of writes. */
  db: Kysely<Database>;
  /** Runs a write atomically (better-sqlite3 transaction or D1 batch). */
  executor: WriteExecutor;
  tokens: TokenVerifier;
  signer: ServiceSigner;
  /** Mints the sessions sign-in codes are exchanged for (the verifier accepts them). */
  sessions: SessionKey;
  /** The public origin sign-in links point at (JIFEN_PUBLIC_URL); else the request's own. */
  publicUrl: string | undefined;
  log: Logger;
  clock: () => Date;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Redemption and settlement rules. */
  programme: ProgrammeRules;
  /** Shown by `/health`. */
  backend: 'sqlite' | 'd1' | 'postgres';
  /** Where photo evidence is kept (the data folder on Node, R2 on Workers). */
  evidence: EvidenceStore;
  /** The key each event's attendance secret is derived from (src/attendance/code.ts). */
  attendanceKey: Uint8Array;
}

/**
 * The app's dependencies from a parsed config and a backend (its Kysely and
 * its atomic executor). Shared by the Node and Workers entries.
 */
export async function buildDeps(
  config: Config,
  backend: { name: AppDeps['backend']; db: Kysely<Database>; executor: WriteExecutor; writeLine: (line: string) => void; evidence?: EvidenceStore },
  options: { clock?: () => Date; quiet?: boolean } = {},
): Promise<AppDeps> {
  const clock = options.clock ?? (() => new Date());
  if (!config.signingKey) throw new ConfigError('Invalid configuration: JIFEN_SIGNING_KEY (the service signing key) is required');
  const sessions = await deriveSessionKey(config.signingKey, config.jwt.audience);
  return {
    db: backend.db,
    executor: backend.executor,
    tokens: createTokenVerifier({
      ...(config.jwt.secret ? { hsSecret: config.jwt.secret } : {}),
      ...(config.jwt.jwks ? { jwks: config.jwt.jwks as unknown as JSONWebKeySet } : {}),
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      sessions,
      clock,
    }),
    signer: await createServiceSigner(config.signingKey as JWK),
    sessions,
    publicUrl: config.publicUrl,
    log: options.quiet || config.log === 'off' ? silentLogger : jsonLogger(backend.writeLine),
    clock,
    bodyLimit: config.bodyLimit,
    programme: config.programme,
    backend: backend.name,
    evidence: backend.evidence ?? missingEvidenceStore(),
    attendanceKey: await deriveAttendanceKey(config.signingKey),
  };
}

/** The origin links printed for people point at: JIFEN_PUBLIC_URL when set, else the request's own, without a trailing slash. */
export function publicOrigin(deps: Pick<AppDeps, 'publicUrl'>, requestOrigin: string): string {
  return (deps.publicUrl ?? requestOrigin).replace(/\/+$/, '');
}
