import type pg from 'pg';
import type { Batch, BatchBuilder, ChainHead, WriteExecutor } from './executor.js';
import { ChainConflict, translateDbError } from './errors.js';
import { ADVISORY_LOCKS } from './migrate-postgres.js';
import { CHAIN_HEAD_SQL, chainHeadOf } from '../ledger/chain-head.js';
import { unavailable } from '../errors.js';
import { describePgError, isPgConnectionFault, isPgRetryable } from './postgres-errors.js';
import { inlineParameters } from './postgres-literals.js';

const MAX_ATTEMPTS = 5;
/** Most writes committed together; the rest wait for the next commit. */
const MAX_GROUP = 256;

interface Pending {
  build: BatchBuilder<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  attempts: number;
}

/**
 * PostgreSQL executor with group commit, the embedded backend's design on a
 * shared server. Writes that arrive while a commit is in progress share the
 * next transaction (one WAL flush), each in its own savepoint, so a refusal
 * rolls back only its own statements; each is answered after the COMMIT that
 * holds it returned.
 *
 * Several service processes may write to one database. The chain has one
 * head, so a group first takes a transaction-scoped advisory lock and reads
 * the head under it: writers of other processes queue behind the lock
 * instead of failing on the head one after another. The schema's guards
 * (seq and prev_hash, every refusal) still decide; the lock only keeps
 * processes from wasting their work.
 *
 * Each write goes to the server as one simple query (its statements with
 * their parameters as quoted literals, see postgres-literals.ts) between
 * SAVEPOINT and RELEASE: one round trip per write instead of one per statement.
 */
export class PostgresWriteExecutor implements WriteExecutor {
  private readonly queue: Pending[] = [];
  private scheduled = false;
  private committing = false;
  private idle: Array<() => void> = [];
  private readonly groupSize: number;

  constructor(
    private readonly pool: pg.Pool,
    options: { groupCommit?: boolean } = {},
  ) {
    this.groupSize = options.groupCommit ?? true ? MAX_GROUP : 1;
  }

  write<T>(build: BatchBuilder<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ build, resolve: resolve as (v: unknown) => void, reject, attempts: 0 });
      this.schedule();
    });
  }

  /** Finishes the queued writes (the pool is the caller's to end). */
  async close(): Promise<void> {
    if (this.committing || this.scheduled || this.queue.length > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.committing) return;
    if (this.queue.length === 0) {
      this.idle.splice(0).forEach((resolve) => resolve());
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.committing = true;
      void this.flush(this.queue.splice(0, this.groupSize)).finally(() => {
        this.committing = false;
        this.schedule();
      });
    });
  }

  private async flush(group: Pending[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      // The server is down or unreachable: nothing was written; the caller is told to come back.
      group.forEach((pending) => pending.reject(storageUnavailable(error)));
      return;
    }
    let broken: Error | undefined;
    try {
      await this.commit(client, group);
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      await client.query('ROLLBACK').catch(() => undefined);
      // Nothing of the group is committed: each write is retried, or told the database is unavailable.
      const again: Pending[] = [];
      for (const pending of group) {
        if (isPgRetryable(error) && ++pending.attempts < MAX_ATTEMPTS) again.push(pending);
        else pending.reject(isPgConnectionFault(error) ? storageUnavailable(error) : translateDbError(describePgError(error)));
      }
      this.queue.unshift(...again);
    } finally {
      // A connection that failed mid-transaction is not given back to others.
      client.release(broken && isPgConnectionFault(broken) ? broken : undefined);
    }
  }

  /** One group in one transaction; answers each write once COMMIT returned. */
  private async commit(client: pg.PoolClient, group: Pending[]): Promise<void> {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.chain.toString()]);
    let head = await readHead(client);
    const sent: Array<{ pending: Pending; result: unknown; text: string; extendsChain: boolean }> = [];
    for (const pending of group) {
      let batch: Batch<unknown>;
      try {
        batch = pending.build(head);
      } catch (error) {
        pending.reject(error);
        continue;
      }
      const statements = batch.statements.map((s) => inlineParameters(s.sql, s.parameters));
      sent.push({ pending, result: batch.result, text: statements.join(';\n'), extendsChain: batch.head !== undefined });
      if (batch.head) head = batch.head;
    }
    const outcomes: Array<{ kind: 'ok' } | { kind: 'failed'; error: unknown } | { kind: 'skipped' }> = [];
    let chainBroken = false;
    for (const item of sent) {
      if (chainBroken && item.extendsChain) {
        outcomes.push({ kind: 'skipped' });
        continue;
      }
      if (item.text === '') {
        outcomes.push({ kind: 'ok' });
        continue;
      }
      try {
        await client.query(`SAVEPOINT w;\n${item.text};\nRELEASE SAVEPOINT w`);
        outcomes.push({ kind: 'ok' });
      } catch (error) {
        // A lost connection or a server shutting down fails the whole group (nothing is committed).
        if (isPgConnectionFault(error) || isPgRetryable(error)) throw error;
        await client.query('ROLLBACK TO SAVEPOINT w; RELEASE SAVEPOINT w');
        if (item.extendsChain) chainBroken = true;
        outcomes.push({ kind: 'failed', error });
      }
    }
    await client.query('COMMIT');
    const again: Pending[] = [];
    outcomes.forEach((outcome, i) => {
      const { pending, result } = sent[i]!;
      if (outcome.kind === 'ok') return pending.resolve(result);
      if (outcome.kind === 'skipped') return again.push(pending);
      const meaning = translateDbError(describePgError(outcome.error));
      if (!(meaning instanceof ChainConflict)) return pending.reject(meaning);
      // Under the lock another writer cannot move the head; a conflict is a guard's word from elsewhere. Rebuild a few times.
      if (++pending.attempts < MAX_ATTEMPTS) return again.push(pending);
      pending.reject(unavailable('chain_busy', 'Another writer keeps extending the chain; retry shortly', 1));
    });
    this.queue.unshift(...again);
  }
}

/** The chain head as this transaction sees it (after the lock: every earlier group is committed). */
async function readHead(client: pg.PoolClient): Promise<ChainHead> {
  const { rows } = await client.query<ChainHead>(CHAIN_HEAD_SQL);
  return chainHeadOf(rows[0]);
}

/** 503 with Retry-After: the server cannot be reached, or is shutting down or starting. */
function storageUnavailable(error: unknown) {
  void error;
  return unavailable('storage_unavailable', 'The database cannot be reached; retry shortly', 2);
}
