// Applies pending schema migrations to the configured database: npm run migrate
// (the SQLite file, or PostgreSQL when JIFEN_DATABASE_URL is set).
import { loadNodeConfig } from '../src/config/node.js';
import { openSqlite } from '../src/db/sqlite.js';
import { openPool } from '../src/db/postgres.js';
import { migratePostgres } from '../src/db/migrate-postgres.js';

try {
  const config = await loadNodeConfig();
  if (config.databaseUrl) {
    const pool = openPool(config.databaseUrl, { max: 1 });
    try {
      await migratePostgres(pool);
      const { rows } = await pool.query<{ name: string; applied_at: Date }>('SELECT name, applied_at FROM jifen_migrations ORDER BY name');
      for (const m of rows) process.stdout.write(`${m.applied_at.toISOString()}  ${m.name}\n`);
      const url = new URL(config.databaseUrl);
      process.stdout.write(`PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}: ${rows.length} migration(s) applied, schema up to date\n`);
    } finally {
      await pool.end();
    }
  } else {
    const sqlite = openSqlite(config.dbFile, config.durability); // opening applies pending migrations
    const applied = sqlite.prepare('SELECT name, applied_at FROM d1_migrations ORDER BY id').all() as Array<{ name: string; applied_at: string }>;
    for (const m of applied) process.stdout.write(`${m.applied_at}  ${m.name}\n`);
    process.stdout.write(`${config.dbFile}: ${applied.length} migration(s) applied, schema up to date\n`);
    sqlite.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
