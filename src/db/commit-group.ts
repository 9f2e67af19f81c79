// The commit loop of the embedded backend, shared by the in-process executor
// and the writer thread.
import type { ChainHead } from './executor.js';
import { readChainHead } from '../ledger/chain-head.js';

/** A database error as plain data (it crosses the thread boundary). */
export interface DescribedError {
  message: string;
  code: string | null;
}

/** What became of one write of a group. */
export type WriteOutcome = { kind: 'ok' } | { kind: 'failed'; error: DescribedError } | { kind: 'skipped' };

/** The statements of one write, as plain data. */
export interface GroupItem {
  statements: Array<{ sql: string; parameters: readonly unknown[] }>;
  extendsChain: boolean;
}

/** A group's fate: committed with one outcome per write, or not at all. */
export type GroupResult =
  | { committed: true; outcomes: WriteOutcome[]; head: ChainHead }
  | { committed: false; error: DescribedError; head: null };

/** Statement handle as far as the commit loop needs it. */
export interface Runnable {
  run(...parameters: unknown[]): unknown;
}

/** A connection as far as the commit loop needs it (better-sqlite3's Database). */
export interface SqliteLike {
  prepare(sql: string): Runnable & { get(...parameters: unknown[]): unknown };
  pragma(source: string, options?: { simple: boolean }): unknown;
  readonly inTransaction: boolean;
}

/**
 * Runs a group of writes in one SQLite transaction (one fsync under
 * synchronous=FULL), each write in its own savepoint so that one refusal rolls
 * back only its own statements. A write that extended the chain and failed
 * leaves the chain-extending writes built after it (on the head it would have
 * made) unrun: they are answered `skipped`, to be rebuilt on the real head.
 * `prepared` caches statements by SQL text.
 */
export function commitGroup(sqlite: SqliteLike, prepared: Map<string, Runnable>, items: readonly GroupItem[]): GroupResult {
  const run = (sql: string, parameters: readonly unknown[] = []) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      prepared.set(sql, statement);
    }
    statement.run(...parameters);
  };
  const outcomes: WriteOutcome[] = [];
  try {
    run('BEGIN IMMEDIATE');
    let chainBroken = false;
    for (const item of items) {
      if (chainBroken && item.extendsChain) {
        outcomes.push({ kind: 'skipped' });
        continue;
      }
      run('SAVEPOINT write');
      try {
        for (const statement of item.statements) run(statement.sql, statement.parameters);
        run('RELEASE write');
        outcomes.push({ kind: 'ok' });
      } catch (error) {
        // SQLITE_FULL, IOERR, BUSY or NOMEM may roll back the whole transaction,
        // not just the statement: the savepoint and the group's earlier writes
        // are gone, so the whole group fails (and nothing runs outside a transaction).
        if (!sqlite.inTransaction) throw error;
        run('ROLLBACK TO write');
        run('RELEASE write');
        if (item.extendsChain) chainBroken = true;
        outcomes.push({ kind: 'failed', error: describe(error) });
      }
    }
    run('COMMIT');
  } catch (error) {
    // BEGIN or COMMIT failed (busy, disk full…): nothing of the group is durable.
    try {
      if (sqlite.inTransaction) sqlite.prepare('ROLLBACK').run();
    } catch {
      // The connection already rolled back (or cannot): nothing was committed either way.
    }
    return { committed: false, error: describe(error), head: null };
  }
  restartWal(sqlite);
  return { committed: true, outcomes, head: readChainHead(sqlite) };
}

/** How often, at most, a committing connection starts the WAL over. */
const WAL_RESTART_MS = 250;
/** How long it waits for readers to move on before it gives up until the next time. */
const WAL_RESTART_WAIT_MS = 20;
const lastRestart = new WeakMap<object, number>();

/**
 * Starts the WAL over from its beginning, once what it holds is in the
 * database file. SQLite's automatic checkpoint copies only what no reader
 * still sees, and the WAL starts over only when a write begins with all of it
 * copied, which under steady reads on another connection (the request
 * thread's, while the writer thread commits) hardly ever happens: the WAL
 * grew past 50 MB in ten seconds of credits, and every commit's checkpoint
 * and every read's WAL lookup grew with it. A RESTART checkpoint waits for
 * the readers to move to the newest snapshot (the service's snapshots last one event-loop
 * turn), at most a few milliseconds, and otherwise gives up until next time.
 */
function restartWal(sqlite: Pick<SqliteLike, 'pragma'>): void {
  const now = Date.now();
  if (now - (lastRestart.get(sqlite) ?? 0) < WAL_RESTART_MS) return;
  lastRestart.set(sqlite, now);
  const timeout = Number(sqlite.pragma('busy_timeout', { simple: true }));
  try {
    sqlite.pragma(`busy_timeout = ${Math.min(timeout, WAL_RESTART_WAIT_MS)}`);
    sqlite.pragma('wal_checkpoint(RESTART)');
  } catch {
    // The commit is durable already; the WAL starts over another time.
  } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`);
  }
}

/** An error as plain data: it crosses the thread boundary, and only its message is interpreted. */
function describe(error: unknown): DescribedError {
  const code = (error as { code?: string | null } | null | undefined)?.code;
  return { message: error instanceof Error ? error.message : String(error), code: code ?? null };
}
