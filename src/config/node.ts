import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { parseConfig, type Config } from './schema.js';

/** Where development keys live under the data folder. */
export const devKeyPaths = (dataDir: string) => ({
  jwtSecret: join(dataDir, 'keys', 'dev-jwt-secret'),
  signingKey: join(dataDir, 'keys', 'signing-key.jwk.json'),
});

/** The database file the Node service uses: JIFEN_DB_PATH, else jifen.db in the data folder (as `loadNodeConfig` says). */
export function nodeDbFile(env: Record<string, string | undefined> = process.env): string {
  return env.JIFEN_DB_PATH ? resolve(env.JIFEN_DB_PATH) : join(resolve(env.JIFEN_DATA_DIR || './data'), 'jifen.db');
}

/**
 * The Node configuration: `process.env`, plus development keys generated once
 * under the data folder and reused when no keys are configured.
 */
export async function loadNodeConfig(env: Record<string, string | undefined> = process.env): Promise<Config & { dbFile: string }> {
  const dataDir = resolve(env.JIFEN_DATA_DIR || './data');
  const keys = devKeyPaths(dataDir);
  const filled: Record<string, string | undefined> = { ...env, JIFEN_DATA_DIR: dataDir };
  if (!env.JIFEN_JWT_SECRET && !env.JIFEN_JWT_JWKS) filled.JIFEN_JWT_SECRET = await devSecret(keys.jwtSecret);
  if (!env.JIFEN_SIGNING_KEY) filled.JIFEN_SIGNING_KEY = await devSigningKey(keys.signingKey);
  const config = parseConfig(filled);
  return { ...config, dbFile: config.dbPath ?? join(dataDir, 'jifen.db') };
}

async function devSecret(path: string): Promise<string> {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  return writePrivate(path, `${randomBytes(32).toString('base64url')}\n`).trim();
}

async function devSigningKey(path: string): Promise<string> {
  if (existsSync(path)) return readFileSync(path, 'utf8');
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return writePrivate(path, JSON.stringify(await exportJWK(privateKey)));
}

/** Writes a key readable by its owner only; if another process won the race, keeps theirs. */
function writePrivate(path: string, content: string): string {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8');
    throw error;
  }
}
