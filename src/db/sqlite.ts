import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database as Schema } from './types.js';
import { migrateSqlite } from './migrate-sqlite.js';

/**
 * Opens (creating if needed) and migrates the embedded database. WAL with
 * synchronous=FULL by default: an acknowledged write survives power loss.
 */
export function openSqlite(file: string, durability: 'full' | 'normal' = 'full'): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  migrateSqlite(sqlite);
  return sqlite;
}

/** Kysely over an open better-sqlite3 database (reads and compiling). */
export function kyselyFor(sqlite: Database.Database): Kysely<Schema> {
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
}
