import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// The units under src/ on better-sqlite3 in memory. The shared HTTP suite
// (test/*.test.ts) runs on the embedded backend as `npm start` runs it
// (sqlite-thread: a file, the writer thread) and on D1; a third, in-memory run of
// it added minutes to CI and no backend. `--project sqlite test/x.test.ts` still
// runs one shared file in memory, the quickest way to try a change.
export default defineConfig({
  resolve: {
    alias: { '#harness': fileURLToPath(new URL('./test/support/harness-sqlite.ts', import.meta.url)) },
  },
  test: {
    name: 'sqlite',
    include: process.argv.some((a) => /test\/[^/]+\.test\.ts$/.test(a)) ? ['test/*.test.ts', 'src/**/*.test.ts'] : ['src/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
