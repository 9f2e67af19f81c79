import type { ChainHead } from './executor.js';

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
interface Runnable {
  run(...parameters: unknown[]): unknown;
}

interface SqliteLike {
  prepare(sql: string): Runnable & { get(...parameters: unknown[]): unknown };
  pragma(source: string, options?: { simple: boolean }): unknown;
  readonly inTransaction: boolean;
}

/** Readies a connection to run commit groups (sub-journals in memory). */
export function prepareCommitConnection(sqlite: { pragma(source: string): unknown }): void;

/** Runs a group of writes in one transaction, each in its own savepoint. */
export function commitGroup(sqlite: SqliteLike, prepared: Map<string, Runnable>, items: readonly GroupItem[]): GroupResult;

/** The current chain head, straight from the database. */
export function readChainHead(sqlite: SqliteLike): ChainHead;
