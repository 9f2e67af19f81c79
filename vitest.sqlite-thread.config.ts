import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// The shared suite once more on the embedded backend as `npm start` runs it:
// a database file, written by the writer thread (another connection), read here.
export default defineConfig({
  resolve: {
    alias: { '#harness': fileURLToPath(new URL('./test/support/harness-sqlite.ts', import.meta.url)) },
  },
  test: {
    name: 'sqlite-thread',
    include: ['test/*.test.ts'],
    env: { JIFEN_TEST_WRITER: 'thread' },
    testTimeout: 60_000,
  },
});
