import type pg from 'pg';
import { readMigrations, type Migration } from './migrate-sqlite.js';

/** Where the PostgreSQL migrations are: `schema/postgres/`, frozen like `schema/`. */
export const POSTGRES_SCHEMA_DIR = new URL('../../schema/postgres/', import.meta.url).pathname;

/** Advisory lock keys of Jifen on a shared database (pg_advisory_lock takes a bigint). */
export const ADVISORY_LOCKS = {
  /** Held while migrating: two services starting together migrate once. */
  migrate: 0x6a6966656e01n,
  /** Held by the transaction of a commit group: one writer extends the chain at a time. */
  chain: 0x6a6966656e02n,
  /** Held while the scheduled jobs run: one process sweeps at a time. */
  jobs: 0x6a6966656e03n,
} as const;

/** Collations that order text byte by byte (as SQLite's BINARY does). */
const BYTE_ORDER = /^(C|POSIX|C\.UTF-?8|C\.utf-?8)$/;

/** Reads `schema/postgres/NNNN_name.sql` files in order. */
export function readPostgresMigrations(dir = POSTGRES_SCHEMA_DIR): Migration[] {
  return readMigrations(dir);
}

/**
 * Applies pending migrations, each in its own transaction (PostgreSQL's DDL
 * is transactional), recorded in `jifen_migrations`. An advisory lock makes a
 * second process wait for the first one's migration instead of racing it.
 * @returns the names applied now
 */
export async function migratePostgres(pool: pg.Pool, migrations = readPostgresMigrations()): Promise<string[]> {
  const client = await pool.connect();
  const done: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.migrate.toString()]);
    // Times and ids are compared and ordered as text, byte by byte, as SQLite does: a language's
    // collation would order '2026-03-01T…' and 'mem_A…' its own way, and lists and guards with it.
    const { rows: collation } = await client.query<{ datcollate: string; datlocprovider: string }>(
      'SELECT datcollate, datlocprovider FROM pg_database WHERE datname = current_database()',
    );
    const { datcollate = '', datlocprovider = '' } = collation[0] ?? {};
    if (datlocprovider !== 'c' || !BYTE_ORDER.test(datcollate)) {
      throw new Error(
        `the database orders text by ${datlocprovider === 'i' ? 'an ICU locale' : datcollate}; Jifen needs byte order: create it with CREATE DATABASE … TEMPLATE template0 LOCALE_PROVIDER libc LOCALE 'C.UTF-8'`,
      );
    }
    await client.query(`CREATE TABLE IF NOT EXISTS jifen_migrations (
      name TEXT PRIMARY KEY,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ name: string }>('SELECT name FROM jifen_migrations');
    const applied = new Set(rows.map((r) => r.name));
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO jifen_migrations (name) VALUES ($1)', [migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      done.push(migration.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.migrate.toString()]).catch(() => undefined);
    client.release();
  }
  return done;
}
