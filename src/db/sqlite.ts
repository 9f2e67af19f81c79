import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
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
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: preparedOnce(sqlite) }) });
}

const MAX_CACHED_STATEMENTS = 500;

/**
 * The database as Kysely's dialect sees it, with each statement prepared once
 * per SQL text (Kysely prepares on every query, a tenth of a read's cost).
 * A statement still iterating (a streamed export) is not shared: a second
 * user of the same SQL gets a fresh one.
 */
function preparedOnce(sqlite: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        // Query texts are a fixed set plus a few built per request; bound them anyway.
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
