import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// The web pages in a real browser: Debian's Chromium driven by playwright-core
// against the service on a free local port, over an in-memory better-sqlite3.
export default defineConfig({
  resolve: {
    alias: { '#harness': fileURLToPath(new URL('./test/support/harness-sqlite.ts', import.meta.url)) },
  },
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    // Generous: under the whole suite's load on two cores a fresh service and page take long.
    hookTimeout: 180_000,
    // Parallel with the other projects' files (two workers in all): a project
    // limited to one file at a time is run by vitest after every other file,
    // alone, leaving a core idle for its whole three minutes. So at times two
    // browsers run at once; the timeouts above allow for it.
  },
});
