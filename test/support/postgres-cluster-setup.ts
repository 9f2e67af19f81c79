// Global setup of the `postgres` project: a private cluster for this run (a
// temporary folder, a free local port), and a template database migrated
// from schema/postgres/ that every harness copies (CREATE DATABASE … TEMPLATE).
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { freePort, startCluster, type PgCluster } from '../../scripts/pg-cluster.js';
import { openPool } from '../../src/db/postgres.js';
import { migratePostgres } from '../../src/db/migrate-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's cluster (its `postgres` database). */
    pgAdminUrl: string;
    /** The migrated database every harness copies. */
    pgTemplate: string;
  }
}

export const TEMPLATE = 'jifen_template';


let cluster: PgCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  // JIFEN_TEST_PG_URL: a server of your own (a superuser URL); else a private cluster for the run.
  let adminUrl = process.env.JIFEN_TEST_PG_URL;
  if (!adminUrl) {
    cluster = startCluster({ port: await freePort() });
    adminUrl = cluster.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  const pool = openPool(new URL(TEMPLATE, `${adminUrl.replace(/\/[^/]*$/, '')}/`).href, { max: 1 });
  await migratePostgres(pool);
  await pool.end();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', TEMPLATE);
}

export function teardown(): void {
  cluster?.stop();
}
