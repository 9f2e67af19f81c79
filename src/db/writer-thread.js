// The embedded backend's writer: a worker thread with its own connection that
// commits groups of writes, so the fsync of a durable commit never blocks the
// event loop that parses requests and serves reads. Plain JavaScript so it
// loads without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { commitGroup, prepareCommitConnection } from './commit-group.js';

const { file, durability } = workerData;
const sqlite = new Database(file);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
sqlite.pragma('foreign_keys = ON');
sqlite.pragma('busy_timeout = 5000');
prepareCommitConnection(sqlite);
const prepared = new Map();

parentPort.on('message', (message) => {
  if (message.type === 'group') {
    parentPort.postMessage({ id: message.id, result: commitGroup(sqlite, prepared, message.items) });
  } else if (message.type === 'close') {
    sqlite.close();
    parentPort.close();
  }
});
