import type pg from 'pg';
import type { Batch, ChainHead, WriteExecutor } from './executor.js';
import { databaseUnreachable, translateDbError } from './errors.js';
import { GroupQueue, type Pending, type SettledOutcome } from './group-queue.js';
import { ADVISORY_LOCKS } from './migrate-postgres.js';
import { CHAIN_HEAD_SQL, chainHeadOf } from '../ledger/chain-head.js';
import { describePgError, isPgConnectionFault, isPgRetryable } from './postgres-errors.js';
import { inlineParameters } from './postgres-literals.js';

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
export class PostgresWriteExecutor extends GroupQueue implements WriteExecutor {
  constructor(
    private readonly pool: pg.Pool,
    options: { groupCommit?: boolean } = {},
  ) {
    super(options.groupCommit ?? true);
  }

  /** Finishes the queued writes (the pool is the caller's to end). */
  close(): Promise<void> {
    return this.drained();
  }

  protected async flush(group: Pending[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch {
      // The server is down or unreachable: nothing was written; the caller is told to come back.
      group.forEach((pending) => pending.reject(databaseUnreachable()));
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
        if (isPgRetryable(error) && !this.exhausted(pending)) again.push(pending);
        else pending.reject(isPgConnectionFault(error) ? databaseUnreachable() : translateDbError(describePgError(error)));
      }
      this.requeue(again);
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
    const outcomes: SettledOutcome[] = [];
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
        outcomes.push({ kind: 'failed', error: describePgError(error) });
      }
    }
    await client.query('COMMIT');
    // Under the lock no other writer moves the head: a chain conflict comes from elsewhere, and is rebuilt a few times.
    this.settle(sent, outcomes);
  }
}

/** The chain head as this transaction sees it (after the lock: every earlier group is committed). */
async function readHead(client: pg.PoolClient): Promise<ChainHead> {
  const { rows } = await client.query<ChainHead>(CHAIN_HEAD_SQL);
  return chainHeadOf(rows[0]);
}
