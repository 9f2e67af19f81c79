// Applies pending schema migrations to the configured database: npm run migrate
import { loadNodeConfig } from '../src/config/node.js';
import { openSqlite } from '../src/db/sqlite.js';

try {
  const config = await loadNodeConfig();
  const sqlite = openSqlite(config.dbFile, config.durability); // opening applies pending migrations
  const applied = sqlite.prepare('SELECT name, applied_at FROM d1_migrations ORDER BY id').all() as Array<{ name: string; applied_at: string }>;
  for (const m of applied) process.stdout.write(`${m.applied_at}  ${m.name}\n`);
  process.stdout.write(`${config.dbFile}: ${applied.length} migration(s) applied, schema up to date\n`);
  sqlite.close();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
