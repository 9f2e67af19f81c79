import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/db/sqlite.js';
import { nodeDeps } from '../../src/entry/node-deps.js';
import { parseConfig } from '../../src/config/schema.js';
import { testSigningKey, TEST_SECRET } from '../support/harness-core.js';

// The connection that runs commit groups keeps its savepoint journals in
// memory (see prepareCommitConnection): on a temporary file, every write of a
// busy group paid file writes, about half the cost of its guarded inserts.
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the committing connection', () => {
  it('keeps temporary storage in memory when it commits on the request thread', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jifen-commit-'));
    const sqlite = openSqlite(join(dir, 'jifen.db'), 'full');
    expect(sqlite.pragma('temp_store', { simple: true })).toBe(0);
    const config = parseConfig({ JIFEN_JWT_SECRET: TEST_SECRET, JIFEN_SIGNING_KEY: JSON.stringify(await testSigningKey()), JIFEN_WRITER_THREAD: 'off' });
    const deps = await nodeDeps(config, sqlite, { quiet: true });
    expect(sqlite.pragma('temp_store', { simple: true })).toBe(2);
    await deps.executor.close?.();
    sqlite.close();
  });
});
