import { defineConfig } from 'vitest/config';

// One `vitest run`, two backends: the same test files against better-sqlite3
// (in memory, in Node) and against D1 (in workerd); and the web pages in a
// real browser (test/e2e).
export default defineConfig({
  test: {
    projects: ['./vitest.sqlite.config.ts', './vitest.d1.config.ts', './vitest.e2e.config.ts'],
  },
});
