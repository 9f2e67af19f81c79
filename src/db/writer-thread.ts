// The embedded backend's writer: a worker thread with its own connection that
// commits groups of writes, so the fsync of a durable commit never blocks the
// event loop that parses requests and serves reads. Started by URL from
// sqlite-executor.ts: under tsx with its loader, in the build as its own
// bundle (build/node/writer-thread.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { commitGroup, type GroupItem, type Runnable } from './commit-group.js';
import { configureConnection } from './connection.js';

/** What the executor sends the writer. */
export type WriterMessage = { type: 'group'; id: number; items: GroupItem[] } | { type: 'close' };

const port = parentPort!;
const { file, durability } = workerData as { file: string; durability: 'full' | 'normal' };
const sqlite = new Database(file);
configureConnection(sqlite, { durability, committing: true });
const prepared = new Map<string, Runnable>();

port.on('message', (message: WriterMessage) => {
  if (message.type === 'group') {
    port.postMessage({ id: message.id, result: commitGroup(sqlite, prepared, message.items) });
  } else if (message.type === 'close') {
    sqlite.close();
    port.close();
  }
});
