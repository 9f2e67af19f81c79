// PostgreSQL through node-postgres: the pool the service reads through, and
// Kysely's PostgreSQL dialect over it.
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database as Schema } from './types.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Integers come back as JS numbers, as better-sqlite3 and D1 give them.
 * node-postgres returns BIGINT and NUMERIC (what sum() of a BIGINT is) as
 * text because they may exceed 2^53; the ledger's amounts are bounded far
 * below that (MAX_AMOUNT), so a value that is not a safe integer is a fault,
 * not a rounding.
 */
function exactInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`integer out of range or not whole: ${text}`);
  return value;
}

/** A NUMERIC: an integer when it is one (sums), else the decimal as a number only when exact (averages are not stored). */
function numericValue(text: string): number {
  return /^-?\d+$/.test(text) ? exactInteger(text) : Number(text);
}

/** The type parsers of every Jifen connection. */
export const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID) return exactInteger;
    if (oid === NUMERIC_OID) return numericValue;
    return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

/** Options of one pool. */
export interface PoolOptions {
  max: number;
  /** For tests: drop idle connections soon, so thrown-away harnesses do not hold the server's slots. */
  idleTimeoutMillis?: number;
  /**
   * `full` (the default): COMMIT returns once the WAL is flushed on the
   * server (synchronous_commit=on), so an acknowledged write survives a crash
   * of the server. `normal`: synchronous_commit=off, the last moments of
   * commits may be lost by a server crash (never corrupted), as SQLite's normal.
   */
  durability?: 'full' | 'normal';
}

/** A pool of connections to `url`. Idle connections that the server drops (a restart) are replaced on demand. */
export function openPool(url: string, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 30_000,
    connectionTimeoutMillis: 5_000,
    types: pgTypes,
    application_name: 'jifen',
    // standard_conforming_strings: a write's parameters travel as quoted literals (postgres-literals.ts), where
    // only a doubled quote may be special; a server configured otherwise would read backslashes as escapes.
    options: `-c synchronous_commit=${options.durability === 'normal' ? 'off' : 'on'} -c standard_conforming_strings=on`,
  });
  // An idle connection the server closed (a restart, a failover) is an error event on the pool,
  // not on a request: without a listener Node would end the process. The pool drops it.
  pool.on('error', () => undefined);
  // A connection in use when the server goes away reports it twice: the query fails (and the caller
  // answers 503), and the connection emits 'error', which the pool does not listen to while the
  // connection is checked out. Unheard, that event would end the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Kysely over a pool (reads and compiling). */
export function kyselyForPool(pool: pg.Pool): Kysely<Schema> {
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}
