import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// The shared HTTP suite on PostgreSQL: a private cluster for the run (Debian's
// server, started by the global setup), a database per harness.
export default defineConfig({
  resolve: {
    alias: { '#harness': fileURLToPath(new URL('./test/support/harness-postgres.ts', import.meta.url)) },
  },
  test: {
    name: 'postgres',
    include: ['test/*.test.ts', 'test/postgres/**/*.test.ts'],
    globalSetup: ['./test/support/postgres-cluster-setup.ts'],
    testTimeout: 60_000,
  },
});
