import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureConnection } from '../../src/db/connection.js';

// One setup for every connection of the embedded backend (service, writer thread, tests).
let dir: string | undefined;
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const settings = (sqlite: Database.Database) =>
  Object.fromEntries(['journal_mode', 'synchronous', 'foreign_keys', 'busy_timeout', 'temp_store'].map((p) => [p, sqlite.pragma(p, { simple: true })]));

describe('configureConnection', () => {
  it('sets WAL, synchronous per durability, foreign keys and the busy timeout; memory journals only when committing', () => {
    dir = mkdtempSync(join(tmpdir(), 'jifen-settings-'));
    const service = new Database(join(dir, 'jifen.db'));
    const writer = new Database(join(dir, 'jifen.db'));
    open.push(service, writer);
    configureConnection(service, { durability: 'full' });
    configureConnection(writer, { durability: 'normal', committing: true });
    expect(settings(service)).toEqual({ journal_mode: 'wal', synchronous: 2, foreign_keys: 1, busy_timeout: 5000, temp_store: 0 });
    expect(settings(writer)).toEqual({ journal_mode: 'wal', synchronous: 1, foreign_keys: 1, busy_timeout: 5000, temp_store: 2 });
  });

  it('leaves an in-memory database its own journal, and sets the rest', () => {
    const memory = new Database(':memory:');
    open.push(memory);
    configureConnection(memory, { durability: 'normal' });
    expect(settings(memory)).toEqual({ journal_mode: 'memory', synchronous: 1, foreign_keys: 1, busy_timeout: 5000, temp_store: 0 });
  });
});
