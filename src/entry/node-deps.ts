import type Database from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import { kyselyFor } from '../db/sqlite.js';
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
