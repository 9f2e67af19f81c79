import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// The tests that spawn processes or open database files on the Node backend
// (scripts, the writer thread, crash and resource faults), apart from the shared suite.
export default defineConfig({
  resolve: {
    alias: { '#harness': fileURLToPath(new URL('./test/support/harness-sqlite.ts', import.meta.url)) },
  },
  test: {
    name: 'node',
    include: ['test/node/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
