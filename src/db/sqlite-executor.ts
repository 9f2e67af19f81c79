import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import type { Batch, BatchBuilder, ChainHead, WriteExecutor } from './executor.js';
import { ChainConflict, translateDbError } from './errors.js';
import { GENESIS_HASH } from '../ledger/hash.js';
import { unavailable } from '../errors.js';

const MAX_ATTEMPTS = 5;
/** Most writes committed together; the rest wait for the next commit. */
const MAX_GROUP = 256;

interface Pending {
  build: BatchBuilder<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  attempts: number;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown } | { retry: true };

/**
 * better-sqlite3 executor. Each write runs its batch's statements in order
 * with nothing in between; prepared statements are cached by SQL text; the
 * chain head is kept in memory (this process is the only writer) and re-read
 * whenever the database reports a conflict.
 *
 * Group commit (the default): writes that arrive together share one SQLite
 * transaction — one fsync under synchronous=FULL — each in its own savepoint,
 * so one write's refusal rolls back only its own statements. Every write is
 * answered only after the COMMIT that contains it returned (is durable). A
 * write arriving alone is committed on the next turn of the event loop: no
 * fixed wait.
 */
export class SqliteWriteExecutor implements WriteExecutor {
  private head: ChainHead | null = null;
  private readonly prepared = new Map<string, BetterSqlite3.Statement>();
  private readonly queue: Pending[] = [];
  private scheduled = false;
  private readonly groupCommit: boolean;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    options: { groupCommit?: boolean } = {},
  ) {
    this.groupCommit = options.groupCommit ?? true;
  }

  write<T>(build: BatchBuilder<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ build, resolve: resolve as (v: unknown) => void, reject, attempts: 0 });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush(this.queue.splice(0, this.groupCommit ? MAX_GROUP : 1));
      this.schedule();
    });
  }

  /** Commits a group of writes in one transaction, each in a savepoint. */
  private flush(group: Pending[]): void {
    const outcomes: Outcome[] = [];
    try {
      let head = this.head ?? readChainHead(this.sqlite);
      this.run('BEGIN IMMEDIATE');
      for (const item of group) {
        let batch: Batch<unknown>;
        try {
          batch = item.build(head);
        } catch (error) {
          outcomes.push({ ok: false, error });
          continue;
        }
        this.run('SAVEPOINT write');
        try {
          for (const statement of batch.statements) this.run(statement.sql, statement.parameters);
          this.run('RELEASE write');
          if (batch.head) head = batch.head;
          outcomes.push({ ok: true, value: batch.result });
        } catch (error) {
          // SQLITE_FULL, IOERR, BUSY or NOMEM may roll the whole transaction
          // back, not just the statement: then the savepoint is gone and the
          // group's earlier writes with it, so the whole group fails (and no
          // later write may run outside a transaction).
          if (!this.sqlite.inTransaction) throw error;
          this.run('ROLLBACK TO write');
          this.run('RELEASE write');
          const meaning = translateDbError(error);
          if (meaning instanceof ChainConflict && item.attempts + 1 < MAX_ATTEMPTS) {
            item.attempts++;
            head = readChainHead(this.sqlite); // another process wrote: rebuild on its head next time
            outcomes.push({ retry: true });
          } else if (meaning instanceof ChainConflict) {
            outcomes.push({ ok: false, error: unavailable('chain_busy', 'Another writer keeps extending the chain; retry shortly', 1) });
          } else {
            outcomes.push({ ok: false, error: meaning });
          }
        }
      }
      this.run('COMMIT');
      this.head = head;
    } catch (error) {
      // BEGIN or COMMIT failed, or the transaction was lost (busy, disk full…):
      // nothing of the group is durable, so every write in it is refused.
      this.abandon();
      const meaning = translateDbError(error);
      for (const item of group) item.reject(meaning);
      return;
    }
    group.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if ('retry' in outcome) this.queue.unshift(item);
      else if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  /** Rolls back whatever is left of a failed group and forgets the cached head. */
  private abandon(): void {
    this.head = null;
    try {
      if (this.sqlite.inTransaction) this.sqlite.prepare('ROLLBACK').run();
    } catch {
      // The connection has already rolled back (or cannot): nothing was committed either way.
    }
  }

  private run(sql: string, parameters: CompiledQuery['parameters'] = []): void {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.prepared.set(sql, statement);
    }
    statement.run(...(parameters as unknown[]));
  }
}

/** Reads the current chain head straight from the database. */
export function readChainHead(sqlite: BetterSqlite3.Database): ChainHead {
  const row = sqlite.prepare('SELECT seq, hash FROM transactions ORDER BY seq DESC LIMIT 1').get() as ChainHead | undefined;
  return row ?? { seq: 0, hash: GENESIS_HASH };
}
