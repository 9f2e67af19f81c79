import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: { '#harness': fileURLToPath(new URL('./test/support/harness-sqlite.ts', import.meta.url)) },
  },
  test: {
    name: 'sqlite',
    include: ['test/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
