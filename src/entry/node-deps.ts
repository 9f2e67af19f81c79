import type Database from 'better-sqlite3';
import type pg from 'pg';
import { ConfigError, type Config } from '../config/schema.js';
import { kyselyFor, openSqlite } from '../db/sqlite.js';
import { kyselyForPool, openPool } from '../db/postgres.js';
import { PostgresWriteExecutor } from '../db/postgres-executor.js';
import { ADVISORY_LOCKS, migratePostgres } from '../db/migrate-postgres.js';
import { isPgConnectionFault } from '../db/postgres-errors.js';
import { runScheduledJobs } from '../jobs/scheduled.js';
import { InProcessCommitter, SqliteWriteExecutor, ThreadCommitter } from '../db/sqlite-executor.js';
import { join } from 'node:path';
import { buildDeps, type AppDeps } from '../deps.js';
import { fileEvidenceStore } from './evidence-files.js';

/** Wires the app's dependencies over an open better-sqlite3 database. */
export function nodeDeps(config: Config, sqlite: Database.Database, options: { clock?: () => Date; quiet?: boolean } = {}): Promise<AppDeps> {
  // An in-memory database exists only on its own connection: it commits here.
  const committer = config.writerThread && !sqlite.memory ? new ThreadCommitter(sqlite.name, config.durability) : new InProcessCommitter(sqlite);
  const executor = new SqliteWriteExecutor(sqlite, committer, { groupCommit: config.groupCommit });
  return buildDeps(
    config,
    {
      name: 'sqlite',
      db: kyselyFor(sqlite),
      executor,
      writeLine: (line) => process.stdout.write(`${line}\n`),
      evidence: fileEvidenceStore(join(config.dataDir, 'evidence')),
    },
    options,
  );
}

/** Wires the app's dependencies over a PostgreSQL pool (migrated). */
export function postgresDeps(config: Config, pool: pg.Pool, options: { clock?: () => Date; quiet?: boolean } = {}): Promise<AppDeps> {
  return buildDeps(
    config,
    {
      name: 'postgres',
      db: kyselyForPool(pool),
      executor: new PostgresWriteExecutor(pool, { groupCommit: config.groupCommit }),
      writeLine: (line) => process.stdout.write(`${line}\n`),
      evidence: fileEvidenceStore(join(config.dataDir, 'evidence')),
    },
    options,
  );
}

/** The database the Node service runs on, opened and migrated, with what the entry does with it. */
export interface NodeBackend {
  deps: AppDeps;
  /** Said at start: which database. */
  where: string;
  /** The scheduled jobs, run by one process at a time. */
  runJobs(): Promise<unknown>;
  /** Finishes the writes asked for, then closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the configured database: PostgreSQL when JIFEN_DATABASE_URL is set,
 * else the embedded file. An unreachable server or a refused login stops the
 * start with one line (a ConfigError), never a stack trace.
 */
export async function openNodeBackend(config: Config & { dbFile: string }): Promise<NodeBackend> {
  if (!config.databaseUrl) {
    const sqlite = openSqlite(config.dbFile, config.durability);
    const deps = await nodeDeps(config, sqlite);
    return {
      deps,
      where: `database ${config.dbFile}, durability ${config.durability}`,
      runJobs: () => runScheduledJobs(deps),
      close: async () => {
        await deps.executor.close?.();
        sqlite.close();
      },
    };
  }
  const url = new URL(config.databaseUrl);
  const shown = `${url.hostname}:${url.port || 5432}${url.pathname}`;
  const pool = openPool(config.databaseUrl, { max: config.databasePoolSize, durability: config.durability });
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`Jifen could not start: PostgreSQL at ${shown} ${isPgConnectionFault(error) ? `cannot be reached (${why}): is it running, and is JIFEN_DATABASE_URL right?` : `refused: ${why}`}`);
  }
  const deps = await postgresDeps(config, pool);
  return {
    deps,
    where: `PostgreSQL ${shown}`,
    runJobs: () => withAdvisoryLock(pool, ADVISORY_LOCKS.jobs, () => runScheduledJobs(deps)),
    close: async () => {
      await deps.executor.close?.();
      await deps.db.destroy();
    },
  };
}

/**
 * Runs `job` only if no other process holds the lock (it skips otherwise):
 * with several service processes on one database, one sweeps at a time.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: bigint, job: () => Promise<T>): Promise<T | undefined> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [key.toString()]);
    if (!rows[0]?.locked) return undefined;
    try {
      return await job();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}
