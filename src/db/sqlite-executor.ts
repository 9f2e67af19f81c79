import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import type { BatchBuilder, ChainHead, WriteExecutor } from './executor.js';
import { ChainConflict, translateDbError } from './errors.js';
import { GENESIS_HASH } from '../ledger/hash.js';
import { unavailable } from '../errors.js';

const MAX_ATTEMPTS = 5;

/**
 * better-sqlite3 executor: one write = one `BEGIN IMMEDIATE … COMMIT` running
 * the batch's statements in order, nothing in between. Prepared statements
 * are cached by SQL text. The chain head is kept in memory (this process is
 * the only writer) and re-read whenever the database reports a conflict.
 */
export class SqliteWriteExecutor implements WriteExecutor {
  private head: ChainHead | null = null;
  private readonly prepared = new Map<string, BetterSqlite3.Statement>();
  private readonly begin: BetterSqlite3.Statement;
  private readonly commit: BetterSqlite3.Statement;
  private readonly rollback: BetterSqlite3.Statement;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    this.begin = sqlite.prepare('BEGIN IMMEDIATE');
    this.commit = sqlite.prepare('COMMIT');
    this.rollback = sqlite.prepare('ROLLBACK');
  }

  async write<T>(build: BatchBuilder<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const batch = build(this.head ?? readChainHead(this.sqlite));
      try {
        this.runAtomically(batch.statements);
      } catch (error) {
        const meaning = translateDbError(error);
        if (meaning instanceof ChainConflict) {
          this.head = null;
          if (attempt < MAX_ATTEMPTS) continue;
          throw unavailable('chain_busy', 'Another writer keeps extending the chain; retry shortly', 1);
        }
        throw meaning;
      }
      if (batch.head) this.head = batch.head;
      return batch.result;
    }
  }

  private runAtomically(statements: readonly CompiledQuery[]): void {
    this.begin.run();
    try {
      for (const statement of statements) {
        this.statement(statement.sql).run(...(statement.parameters as unknown[]));
      }
      this.commit.run();
    } catch (error) {
      if (this.sqlite.inTransaction) this.rollback.run();
      throw error;
    }
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}

/** Reads the current chain head straight from the database. */
export function readChainHead(sqlite: BetterSqlite3.Database): ChainHead {
  const row = sqlite.prepare('SELECT seq, hash FROM transactions ORDER BY seq DESC LIMIT 1').get() as
    | ChainHead
    | undefined;
  return row ?? { seq: 0, hash: GENESIS_HASH };
}
