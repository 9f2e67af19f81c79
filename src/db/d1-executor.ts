import type { CompiledQuery } from 'kysely';
import type { BatchBuilder, ChainHead, WriteExecutor } from './executor.js';
import type { D1DatabaseLike } from './d1-types.js';
import { ChainConflict, translateDbError } from './errors.js';
import { CHAIN_HEAD_SQL, chainHeadOf } from '../ledger/chain-head.js';
import { unavailable } from '../errors.js';

const MAX_ATTEMPTS = 8;

/**
 * D1 executor: one write = one `DB.batch()`, which D1 runs atomically (a
 * failing statement rolls the whole batch back). Several isolates may write
 * at once, so the chain head read before building is only a guess: if
 * another writer extended the chain first, the schema refuses the batch
 * (chain_conflict / UNIQUE seq) and the write is rebuilt on the new head.
 * Within one isolate writes are queued, so conflicts only come from others.
 */
export class D1WriteExecutor implements WriteExecutor {
  private head: ChainHead | null = null;
  /** Writes of this isolate go one at a time, so they never collide with each other. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly d1: D1DatabaseLike) {}

  write<T>(build: BatchBuilder<T>): Promise<T> {
    const run = this.tail.then(() => this.attempt(build));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async attempt<T>(build: BatchBuilder<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const batch = build(this.head ?? (await this.readHead()));
      try {
        // D1 refuses an empty batch; a write with nothing to do (an import of members all registered) is done.
        if (batch.statements.length > 0) await this.d1.batch(batch.statements.map((s) => this.bind(s)));
      } catch (error) {
        const meaning = translateDbError(error);
        if (meaning instanceof ChainConflict) {
          this.head = null;
          if (attempt < MAX_ATTEMPTS) {
            await backoff(attempt);
            continue;
          }
          throw unavailable('chain_busy');
        }
        throw meaning;
      }
      if (batch.head) this.head = batch.head;
      return batch.result;
    }
  }

  private bind(statement: CompiledQuery) {
    return this.d1.prepare(statement.sql).bind(...statement.parameters);
  }

  private async readHead(): Promise<ChainHead> {
    const { results } = await this.d1.prepare(CHAIN_HEAD_SQL).all<ChainHead>();
    return chainHeadOf(results[0]);
  }
}

/** A short randomised pause so concurrent writers stop colliding. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
