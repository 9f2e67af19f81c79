import { exportJWK, generateKeyPair } from 'jose';
import { createApp, type JifenApp } from '../../src/app.js';
import type { Role } from '../../src/auth/caller.js';
import { mintToken } from '../../src/auth/mint.js';
import type { AppDeps } from '../../src/deps.js';
import type { WriteExecutor } from '../../src/db/executor.js';
import type { PageScripts } from '../../src/pages/page-scripts.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';
export const TEST_ISSUER = 'jifen';
export const TEST_AUDIENCE = 'jifen';

/**
 * A settable clock shared by the app and the test: fixed at 2026-03-01 and
 * moved by hand, or (live) the real time plus whatever was advanced, for a
 * browser whose own clock keeps running.
 */
export class TestClock {
  private ms = Date.parse('2026-03-01T08:00:00.000Z');
  constructor(private readonly live = false) {
    if (live) this.ms = 0;
  }
  now = (): Date => new Date(this.live ? Date.now() + this.ms : this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A response, parsed. */
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Raw SQL against the backend, for state assertions and tampering. */
export interface RawSql {
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Runs the statements atomically (all or nothing), one statement per argument. */
  exec(...statements: string[]): Promise<void>;
}

/** One fresh service over one fresh database. */
export interface Harness {
  backend: 'sqlite' | 'd1' | 'postgres';
  app: JifenApp;
  deps: AppDeps;
  clock: TestClock;
  sql: RawSql;
  /** Another writer over the same database (as a second process or isolate would be). */
  newExecutor(): WriteExecutor;
  token(role: Role, scope?: { sub?: string; org_id?: string; merchant_id?: string; member_id?: string }): Promise<string>;
  call<T = any>(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string | Uint8Array }): Promise<Answer<T>>;
}

/** A fresh Ed25519 private JWK for the service signer. */
export async function testSigningKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { ...(await exportJWK(privateKey)) };
}

/** Builds the shared part of a harness over an app (with the pages' bundled scripts when given). */
export function harnessOver(
  backend: 'sqlite' | 'd1' | 'postgres',
  deps: AppDeps,
  clock: TestClock,
  sql: RawSql,
  newExecutor: () => WriteExecutor,
  pageScripts?: PageScripts,
): Harness {
  const app = createApp(deps, pageScripts ? { pageScripts } : {});
  return {
    backend,
    app,
    deps,
    clock,
    sql,
    newExecutor,
    token: (role, scope = {}) =>
      mintToken(TEST_SECRET, { role, ...scope, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttl: '400d' }, clock.now()),
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | Uint8Array | undefined = options.raw;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await app.request(path, { method, headers, ...(body !== undefined ? { body: body as BodyInit } : {}) });
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, body: parsed as any, text };
    },
  };
}
