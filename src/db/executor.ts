import type { CompiledQuery, RawBuilder } from 'kysely';

/** The last transaction of the hash chain (seq 0 and the genesis hash when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The statements of one write, all or nothing, and what the caller gets back. */
export interface Batch<T> {
  statements: CompiledQuery[];
  result: T;
  /** The chain head after this write, when the write appends transactions. */
  head?: ChainHead;
  /**
   * Fields of the answer that only the database knows once the statements
   * ran (a number it assigned): each a scalar SQL expression, set on the
   * rendered answer by the same batch that stores it under the key.
   */
  answerFields?: Readonly<Record<string, RawBuilder<unknown>>>;
}

/** Builds a batch against the chain head it will extend. Must be pure and synchronous. */
export type BatchBuilder<T> = (head: ChainHead) => Batch<T>;

/**
 * Runs one write atomically. Implementations: better-sqlite3 (one SQLite
 * transaction) and D1 (one `DB.batch()`). Guards are in the schema, so an
 * executor never reads state to decide anything; it only retries a write
 * whose chain head moved underneath it.
 */
export interface WriteExecutor {
  write<T>(build: BatchBuilder<T>): Promise<T>;
  /** Finishes the writes already asked for, then releases what the executor holds. */
  close?(): Promise<void>;
}

/** A batch that does not touch the chain. */
export function plainBatch<T>(statements: CompiledQuery[], result: T): BatchBuilder<T> {
  return () => ({ statements, result });
}
