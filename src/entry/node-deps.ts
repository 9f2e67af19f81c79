import type Database from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import { kyselyFor } from '../db/sqlite.js';
import { SqliteWriteExecutor } from '../db/sqlite-executor.js';
import { buildDeps } from '../deps.js';
import type { AppDeps } from '../http/context.js';

/** Wires the app's dependencies over an open better-sqlite3 database. */
export function nodeDeps(config: Config, sqlite: Database.Database, options: { clock?: () => Date; quiet?: boolean } = {}): Promise<AppDeps> {
  return buildDeps(
    config,
    { name: 'sqlite', db: kyselyFor(sqlite), executor: new SqliteWriteExecutor(sqlite, { groupCommit: config.groupCommit }), writeLine: (line) => process.stdout.write(`${line}\n`) },
    options,
  );
}
