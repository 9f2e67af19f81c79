import { defineConfig } from 'vitest/config';

// One `vitest run`, every backend: the same test files against better-sqlite3
// (a file written by the writer thread, as `npm start` runs), against D1 (in
// workerd) and against PostgreSQL (a private cluster for the run, started by
// the postgres project's global setup); and the web pages in a real browser (test/e2e).
export default defineConfig({
  test: {
    projects: ['./vitest.sqlite.config.ts', './vitest.node.config.ts', './vitest.sqlite-thread.config.ts', './vitest.d1.config.ts', './vitest.postgres.config.ts', './vitest.e2e.config.ts'],
    // Vitest's default is one worker fewer than the cores: one file at a time on
    // CI's two cores, which ran the suite on one core (user time = wall time).
    // Two files at a time keep both cores busy, browser files among them (a
    // project limited to one file at a time would run after all the others, alone).
    maxWorkers: 2,
  },
});
