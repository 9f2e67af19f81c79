import { defineConfig } from 'vitest/config';

// One `vitest run`, two backends: the same test files against better-sqlite3
// (in memory, in Node) and against D1 (in workerd).
export default defineConfig({
  test: {
    projects: ['./vitest.sqlite.config.ts', './vitest.sqlite-thread.config.ts', './vitest.d1.config.ts'],
  },
});
