// How every better-sqlite3 connection of the embedded backend is set up: the
// service's, the writer thread's and the test harness's, so tests run with
// the settings production runs with.

/** A connection as far as its settings go (better-sqlite3's Database). */
export interface ConfigurableConnection {
  pragma(source: string, options?: { simple: boolean }): unknown;
  /** True for ':memory:' (better-sqlite3's `memory`). */
  readonly memory: boolean;
}

/** How a connection is to be set up. */
export interface ConnectionOptions {
  /** `full`: an acknowledged write survives power loss; `normal`: survives a crash of the process. */
  durability: 'full' | 'normal';
  /** The connection commits groups of writes (the writer thread, or the in-process committer). */
  committing?: boolean;
}

/**
 * Sets the pragmas of a connection: WAL, synchronous per durability, foreign
 * keys enforced, a 5 s busy timeout, and for a committing connection the
 * savepoint journals in memory.
 */
export function configureConnection(sqlite: ConfigurableConnection, options: ConnectionOptions): void {
  // An in-memory database has no file to keep a WAL beside: SQLite answers
  // 'memory' and keeps its own journal mode, so the request is skipped.
  if (!sqlite.memory) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  if (options.committing) prepareCommitConnection(sqlite);
}

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
 * Part of configureConnection; exported for a connection that was set up
 * before it became a committing one (the in-process committer's).
 */
export function prepareCommitConnection(sqlite: Pick<ConfigurableConnection, 'pragma'>): void {
  sqlite.pragma('temp_store = MEMORY');
}
