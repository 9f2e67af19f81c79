import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

/** A schema migration: a file `schema/NNNN_name.sql`. */
export interface Migration {
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/;

/** Default location of the SQL migrations, next to `src/`. */
export const SCHEMA_DIR = new URL('../../schema/', import.meta.url).pathname;

/** Reads `schema/NNNN_name.sql` files in order. */
export function readMigrations(dir = SCHEMA_DIR): Migration[] {
  return readdirSync(dir)
    .filter((name) => MIGRATION_FILE.test(name))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

/**
 * Applies pending migrations, each in its own transaction, recording them in
 * `d1_migrations` exactly as `wrangler d1 migrations apply` does, so one
 * database could move between the two tools.
 * @returns the names applied now
 */
export function migrateSqlite(sqlite: BetterSqlite3.Database, migrations = readMigrations()): string[] {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS d1_migrations(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT UNIQUE,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
  )`);
  const applied = new Set(
    (sqlite.prepare('SELECT name FROM d1_migrations').all() as Array<{ name: string }>).map((r) => r.name),
  );
  const record = sqlite.prepare('INSERT INTO d1_migrations (name) VALUES (?)');
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    sqlite.transaction(() => {
      sqlite.exec(migration.sql);
      record.run(migration.name);
    })();
    done.push(migration.name);
  }
  return done;
}
