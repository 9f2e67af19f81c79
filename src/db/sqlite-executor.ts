import type BetterSqlite3 from 'better-sqlite3';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Batch, ChainHead, WriteExecutor } from './executor.js';
import { translateDbError } from './errors.js';
import { GroupQueue, type Pending } from './group-queue.js';
import { commitGroup, type DescribedError, type GroupItem, type GroupResult } from './commit-group.js';
import { prepareCommitConnection } from './connection.js';
import { readChainHead } from '../ledger/chain-head.js';
import { endReadSnapshot } from './sqlite.js';

/** Commits a group of writes: on this thread, or on the writer thread. */
export interface GroupCommitter {
  commit(items: GroupItem[]): GroupResult | Promise<GroupResult>;
  close(): Promise<void>;
}

/**
 * better-sqlite3 executor with group commit. Writes that arrive while a
 * commit is in progress (or in the same turn of the event loop) share the
 * next SQLite transaction — one fsync under synchronous=FULL — each in its own
 * savepoint, so one write's refusal rolls back only its own statements. Every
 * write is answered only after the COMMIT that contains it returned (is
 * durable). A write arriving alone is committed at once: no fixed wait.
 *
 * Batches are built here, on the chain head the previous commit left (this
 * process is the only writer; a conflict re-reads it); the committer runs
 * them. With the writer thread, the fsync happens off the event loop.
 */
export class SqliteWriteExecutor extends GroupQueue implements WriteExecutor {
  private head: ChainHead | null = null;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly committer: GroupCommitter = new InProcessCommitter(sqlite),
    options: { groupCommit?: boolean } = {},
  ) {
    super(options.groupCommit ?? true);
  }

  /** Finishes the queued writes, then releases the committer. */
  async close(): Promise<void> {
    await this.drained();
    await this.committer.close();
  }

  protected async flush(group: Pending[]): Promise<void> {
    if (!this.head) endReadSnapshot(this.sqlite);
    let head = this.head ?? readChainHead(this.sqlite);
    const sent: Array<{ pending: Pending; result: unknown }> = [];
    const items: GroupItem[] = [];
    for (const pending of group) {
      let batch: Batch<unknown>;
      try {
        batch = pending.build(head);
      } catch (error) {
        pending.reject(error);
        continue;
      }
      items.push({ statements: batch.statements.map((s) => ({ sql: s.sql, parameters: s.parameters })), extendsChain: batch.head !== undefined });
      sent.push({ pending, result: batch.result });
      if (batch.head) head = batch.head;
    }
    if (items.length === 0) return;
    let outcome: GroupResult;
    try {
      outcome = await this.committer.commit(items);
    } catch {
      // The writer thread died mid-commit: the group is not acknowledged, and SQLite rolled back what it had not committed.
      outcome = { committed: false, error: { message: 'SQLITE_IOERR: the writer stopped', code: 'SQLITE_IOERR' }, head: null };
    }
    // What is read after an answer below must see this commit.
    endReadSnapshot(this.sqlite);
    if (!outcome.committed) {
      this.head = null;
      const meaning = translateDbError(asError(outcome.error));
      sent.forEach(({ pending }) => pending.reject(meaning));
      return;
    }
    this.head = outcome.head;
    this.settle(
      sent,
      outcome.outcomes.map((o) => (o.kind === 'failed' ? { kind: 'failed', error: asError(o.error) } : o)),
    );
  }
}

/** Commits on the calling thread (in-memory databases, or JIFEN_WRITER_THREAD=off). */
export class InProcessCommitter implements GroupCommitter {
  private readonly prepared = new Map<string, BetterSqlite3.Statement>();
  constructor(private readonly sqlite: BetterSqlite3.Database) {
    prepareCommitConnection(sqlite);
  }
  commit(items: GroupItem[]): GroupResult {
    endReadSnapshot(this.sqlite);
    return commitGroup(this.sqlite, this.prepared, items);
  }
  async close(): Promise<void> {}
}

/**
 * Commits on a worker thread with its own connection to the database file,
 * so the event loop keeps serving while the fsync runs. The thread does not
 * keep the process alive when no commit is waiting.
 */
export class ThreadCommitter implements GroupCommitter {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, { resolve(r: GroupResult): void; reject(e: unknown): void }>();
  private nextId = 1;

  constructor(private readonly file: string, private readonly durability: 'full' | 'normal') {
    this.worker = this.start();
  }

  commit(items: GroupItem[]): Promise<GroupResult> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      // A writer that died is replaced when next needed (never in a loop).
      const worker = (this.worker ??= this.start());
      worker.ref();
      worker.postMessage({ type: 'group', id, items });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = once(worker, 'exit');
    worker.postMessage({ type: 'close' });
    await exited;
  }

  private start(): Worker {
    const workerData = { file: this.file, durability: this.durability };
    const url = writerThreadUrl();
    const worker = url.pathname.endsWith('.ts') ? new Worker(tsxBootstrap(url), { eval: true, workerData }) : new Worker(url, { workerData });
    worker.on('message', (message: { id: number; result: GroupResult }) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (this.waiting.size === 0) worker.unref();
      waiter?.resolve(message.result);
    });
    const lost = (error: unknown) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      // What the writer was committing was not acknowledged: those writes fail (503).
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`writer thread exited with code ${code}`)));
    // After the listeners (adding one refs the worker again): idle, it does not hold the process open.
    worker.unref();
    return worker;
  }
}

/**
 * Where the writer thread's module is: beside this one under tsx
 * (src/db/writer-thread.ts), or, in `npm run build`'s bundle (this code
 * inside build/node/entry.mjs), its own bundle beside it.
 */
function writerThreadUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './writer-thread.ts' : './writer-thread.mjs', import.meta.url);
}

/**
 * Worker code that loads a TypeScript module through tsx. On Node 20 a
 * worker's `--import tsx` (execArgv) registers no hooks for the worker's own
 * imports (the .ts file is refused), so the worker registers tsx itself, then
 * imports the module. 'tsx' resolves from the working directory, as
 * `npm start`'s `--import tsx` does.
 */
function tsxBootstrap(url: URL): string {
  return `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
}

function asError(described: DescribedError): Error {
  return Object.assign(new Error(described.message), { code: described.code });
}
