// The commit loop of the embedded backend, shared by the in-process executor
// and the writer thread. Plain JavaScript so that a worker thread loads it
// without a TypeScript loader (under tsx, vitest and plain node alike).

const GENESIS_HASH = '0'.repeat(64);

/**
 * Readies a connection to run commit groups. Savepoints keep the prior
 * content of every page a write changes (the sub-journal); by default SQLite
 * spills that journal to a temporary file past 64 KiB, so in a busy group
 * each write paid file writes for pages earlier writes had touched. In memory
 * it costs a few MB at most for the largest group, and halves the cost of a
 * guarded insert. Durability is the WAL's; the journal only serves rollbacks.
 * The price: after each statement SQLite walks the in-memory journal to
 * truncate it, so one write of thousands of statements slows down
 * quadratically (300 statements cost the same as on file, 1,500 three times
 * as much). The service's largest writes are set-based (a roster is a few
 * statements) or batched by 100 transactions (expiry), about 300 statements.
 * @param {{ pragma(source: string): unknown }} sqlite
 */
export function prepareCommitConnection(sqlite) {
  sqlite.pragma('temp_store = MEMORY');
}

/**
 * Runs a group of writes in one SQLite transaction (one fsync under
 * synchronous=FULL), each write in its own savepoint so that one refusal rolls
 * back only its own statements. A write that extended the chain and failed
 * leaves the chain-extending writes built after it (on the head it would have
 * made) unrun: they are answered `skipped`, to be rebuilt on the real head.
 * @param {{ prepare(sql: string): { run(...p: unknown[]): unknown, get(): unknown }, pragma(source: string, options?: { simple: boolean }): unknown, inTransaction: boolean }} sqlite
 * @param {Map<string, { run(...p: unknown[]): unknown }>} prepared statement cache, by SQL text
 * @param {Array<{ statements: Array<{ sql: string, parameters: readonly unknown[] }>, extendsChain: boolean }>} items
 * @returns {import('./commit-group.js').GroupResult}
 */
export function commitGroup(sqlite, prepared, items) {
  const run = (sql, parameters = []) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      prepared.set(sql, statement);
    }
    statement.run(...parameters);
  };
  const outcomes = [];
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
const lastRestart = new WeakMap();

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
 * @param {{ pragma(source: string, options?: { simple: boolean }): unknown }} sqlite
 */
function restartWal(sqlite) {
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

/**
 * The current chain head, straight from the database.
 * @param {{ prepare(sql: string): { get(): unknown } }} sqlite
 * @returns {{ seq: number, hash: string }}
 */
export function readChainHead(sqlite) {
  const row = /** @type {{ seq: number, hash: string } | undefined} */ (
    sqlite.prepare('SELECT seq, hash FROM transactions ORDER BY seq DESC LIMIT 1').get()
  );
  return row ?? { seq: 0, hash: GENESIS_HASH };
}

/** An error as plain data: it crosses the thread boundary, and only its message is interpreted. */
function describe(error) {
  return { message: error instanceof Error ? error.message : String(error), code: error?.code ?? null };
}
