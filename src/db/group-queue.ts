// The queue in front of a group-committing executor, shared by the embedded
// backend's and PostgreSQL's: writes that arrive while a commit is in
// progress (or in the same turn of the event loop) wait for the next group;
// a write arriving alone is committed at once.
import type { BatchBuilder } from './executor.js';
import { ChainConflict, translateDbError } from './errors.js';
import { unavailable } from '../errors.js';

/** Most writes committed together; the rest wait for the next commit. */
const MAX_GROUP = 256;
/** How often a write is rebuilt on a moved chain head before it is told to retry. */
const MAX_ATTEMPTS = 5;

/** One write waiting for its commit. */
export interface Pending {
  build: BatchBuilder<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  attempts: number;
}

/** What became of one write of a committed group; a failure as the database words it. */
export type SettledOutcome = { kind: 'ok' } | { kind: 'failed'; error: Error } | { kind: 'skipped' };

export abstract class GroupQueue {
  protected readonly queue: Pending[] = [];
  private scheduled = false;
  private committing = false;
  private idle: Array<() => void> = [];
  private readonly groupSize: number;

  constructor(groupCommit: boolean) {
    this.groupSize = groupCommit ? MAX_GROUP : 1;
  }

  write<T>(build: BatchBuilder<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ build, resolve: resolve as (v: unknown) => void, reject, attempts: 0 });
      this.schedule();
    });
  }

  /** Commits one group; every write of it is answered, rejected or put back on the queue. */
  protected abstract flush(group: Pending[]): Promise<void>;

  /** Resolves once the writes asked for so far are committed. */
  protected async drained(): Promise<void> {
    if (this.committing || this.scheduled || this.queue.length > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /**
   * Answers the writes of a committed group, in order: ok resolves; skipped
   * (built on the head a failed write would have made) and chain conflicts
   * are rebuilt, a few times; any other failure is the catalogue's refusal.
   */
  protected settle(sent: ReadonlyArray<{ pending: Pending; result: unknown }>, outcomes: readonly SettledOutcome[]): void {
    const again: Pending[] = [];
    outcomes.forEach((outcome, i) => {
      const { pending, result } = sent[i]!;
      if (outcome.kind === 'ok') return pending.resolve(result);
      if (outcome.kind === 'skipped') return again.push(pending);
      const meaning = translateDbError(outcome.error);
      if (!(meaning instanceof ChainConflict)) return pending.reject(meaning);
      // Another writer extended the chain: rebuild on the head read after the commit.
      if (++pending.attempts < MAX_ATTEMPTS) return again.push(pending);
      pending.reject(unavailable('chain_busy', 'Another writer keeps extending the chain; retry shortly', 1));
    });
    this.requeue(again);
  }

  /** Puts writes back at the front of the queue, for the next group. */
  protected requeue(writes: Pending[]): void {
    this.queue.unshift(...writes);
  }

  /** True once a write has been tried as often as it may be (a group that failed as a whole, to run again). */
  protected exhausted(pending: Pending): boolean {
    return ++pending.attempts >= MAX_ATTEMPTS;
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
}
