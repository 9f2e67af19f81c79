import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database as Schema } from './types.js';
import { migrateSqlite } from './migrate-sqlite.js';
import { configureConnection } from './connection.js';

/**
 * Opens (creating if needed) and migrates the embedded database. WAL with
 * synchronous=FULL by default: an acknowledged write survives power loss.
 */
export function openSqlite(file: string, durability: 'full' | 'normal' = 'full'): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  configureConnection(sqlite, { durability });
  migrateSqlite(sqlite);
  return sqlite;
}

/** Kysely over an open better-sqlite3 database (reads and compiling). */
export function kyselyFor(sqlite: Database.Database): Kysely<Schema> {
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: preparedOnce(sqlite, snapshotOf(sqlite)) }) });
}

/**
 * The reads of one turn of the event loop share one read transaction. In WAL
 * mode a statement outside a transaction opens and closes its own, locking a
 * read mark of the shared-memory index each time: about 7.5 µs, four times
 * what a primary-key read costs inside a transaction, and a credit makes
 * eight reads. The snapshot ends when the turn does (setImmediate), before
 * this connection commits, and before a write is acknowledged, so a read made
 * after an acknowledged write always sees it. Writes never run in it: they are
 * built from these reads but guarded by the database when they commit.
 */
class ReadSnapshot {
  private ending = false;
  constructor(private readonly sqlite: Database.Database) {}

  /** Before a read: joins the open snapshot, or opens one until the end of this turn. */
  enter(): void {
    if (this.sqlite.inTransaction) return;
    this.sqlite.exec('BEGIN');
    if (this.ending) return;
    this.ending = true;
    setImmediate(() => {
      this.ending = false;
      this.end();
    });
  }

  /** Ends the snapshot now (a commit or an acknowledgement follows); the next read opens a new one. */
  end(): void {
    if (!this.sqlite.inTransaction || !this.sqlite.open) return;
    try {
      this.sqlite.exec('COMMIT');
    } catch {
      // A read transaction has nothing to keep: drop it however it can be dropped.
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
    }
  }
}

const snapshots = new WeakMap<Database.Database, ReadSnapshot>();

function snapshotOf(sqlite: Database.Database): ReadSnapshot {
  let snapshot = snapshots.get(sqlite);
  if (!snapshot) snapshots.set(sqlite, (snapshot = new ReadSnapshot(sqlite)));
  return snapshot;
}

/**
 * Ends the service's shared read snapshot on this connection, if one is open:
 * before the connection writes, and before a write is acknowledged.
 */
export function endReadSnapshot(sqlite: Database.Database): void {
  snapshots.get(sqlite)?.end();
}

const MAX_CACHED_STATEMENTS = 500;

/**
 * The database as Kysely's dialect sees it, with each statement prepared once
 * per SQL text (Kysely prepares on every query, a tenth of a read's cost).
 * A statement still iterating (a streamed export) is not shared: a second
 * user of the same SQL gets a fresh one.
 */
function preparedOnce(sqlite: Database.Database, snapshot: ReadSnapshot): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      snapshot.enter();
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
