import type pg from 'pg';
import type { Batch, ChainHead, WriteExecutor } from './executor.js';
import { databaseUnreachable, translateDbError } from './errors.js';
import { GroupQueue, type Pending, type SettledOutcome } from './group-queue.js';
import { ADVISORY_LOCKS } from './migrate-postgres.js';
import { CHAIN_HEAD_SQL, chainHeadOf } from '../ledger/chain-head.js';
import { describePgError, isPgConnectionFault, isPgRetryable } from './postgres-errors.js';
import { inlineParameters, literal } from './postgres-literals.js';

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
 * A write's statements travel with their parameters as quoted literals
 * (postgres-literals.ts), so a whole group goes to the server as one simple
 * query: the writes run there one after another, each in its own
 * subtransaction (jifen_write_group), and COMMIT follows in the same round
 * trip. The service's event loop is no longer between one write and the next.
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

  /**
   * One group in one transaction, in two round trips: BEGIN, the lock and the
   * head; then every write (jifen_write_group, schema/postgres/0004) and
   * COMMIT. Each write is answered once COMMIT returned.
   */
  private async commit(client: pg.PoolClient, group: Pending[]): Promise<void> {
    // The whole group is one statement on the server: a statement_timeout set for the role or
    // database, meant for one query, would cut off the group; each write is bounded by the group's size.
    const opened = (await client.query(
      `BEGIN; SET LOCAL statement_timeout = 0; SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.chain}); ${CHAIN_HEAD_SQL}`,
    )) as unknown as pg.QueryResult<ChainHead>[];
    let head = chainHeadOf(opened[3]?.rows[0]);
    const sent: Array<{ pending: Pending; result: unknown; text: string; extendsChain: boolean }> = [];
    for (const pending of group) {
      let batch: Batch<unknown>;
      let text: string;
      try {
        batch = pending.build(head);
        // A parameter that cannot be written (see postgres-literals.ts) refuses this write only.
        text = batch.statements.map((s) => inlineParameters(s.sql, s.parameters)).join(';\n');
      } catch (error) {
        pending.reject(error);
        continue;
      }
      sent.push({ pending, result: batch.result, text, extendsChain: batch.head !== undefined });
      if (batch.head) head = batch.head;
    }
    const outcomes: SettledOutcome[] = sent.map(() => ({ kind: 'ok' }));
    const writes = sent.filter((item) => item.text !== '');
    if (writes.length === 0) {
      await client.query('COMMIT');
    } else {
      const call = `SELECT ord, skipped, code, message, detail, table_name, column_name, constraint_name
        FROM jifen_write_group(ARRAY[${writes.map((item) => literal(item.text)).join(', ')}]::text[],
                               ARRAY[${writes.map((item) => item.extendsChain).join(', ')}]::boolean[]);
        COMMIT`;
      const [refused] = (await client.query(call)) as unknown as [pg.QueryResult<RefusedWrite>];
      for (const row of refused.rows) {
        const index = sent.indexOf(writes[row.ord - 1]!);
        if (index < 0) throw new Error(`jifen_write_group answered for write ${row.ord} of ${writes.length}`);
        outcomes[index] = row.skipped ? { kind: 'skipped' } : { kind: 'failed', error: describePgError(refusal(row)) };
      }
      // A chain write with no statements, after a refused chain write, was built on a head that never came too.
      const firstBroken = sent.findIndex((item, i) => item.extendsChain && outcomes[i]!.kind !== 'ok');
      sent.forEach((item, i) => {
        if (firstBroken >= 0 && i > firstBroken && item.extendsChain && item.text === '') outcomes[i] = { kind: 'skipped' };
      });
    }
    // Under the lock no other writer moves the head: a chain conflict comes from elsewhere, and is rebuilt a few times.
    this.settle(sent, outcomes);
  }
}

/** A write jifen_write_group refused or skipped; `ord` counts from 1. */
interface RefusedWrite {
  ord: number;
  skipped: boolean;
  code: string | null;
  message: string | null;
  detail: string | null;
  table_name: string | null;
  column_name: string | null;
  constraint_name: string | null;
}

/** The refusal as node-postgres would have reported it, had the write been sent alone. */
function refusal(row: RefusedWrite) {
  const given = (text: string | null) => (text ? text : undefined);
  return {
    code: given(row.code),
    message: given(row.message),
    detail: given(row.detail),
    table: given(row.table_name),
    column: given(row.column_name),
    constraint: given(row.constraint_name),
  };
}
