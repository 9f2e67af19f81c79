// Moves a programme from the embedded database to PostgreSQL:
//   npm run migrate-to-postgres -- --from data/jifen.db --to postgres://user@host:5432/jifen
// Cut-over steps: README, "PostgreSQL".
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { compactVerify, importJWK, type JWK } from 'jose';
import { Kysely, PostgresDialect } from 'kysely';
import { migrateSqlite, readMigrations } from '../src/db/migrate-sqlite.js';
import { migratePostgres } from '../src/db/migrate-postgres.js';
import { openPool } from '../src/db/postgres.js';
import type { Database as Schema } from '../src/db/types.js';
import { verifyLedger } from '../src/ledger/verify.js';
import { trialBalance } from '../src/ledger/trial-balance.js';
import { loadNodeConfig } from '../src/config/node.js';

const USAGE = `Usage: npm run migrate-to-postgres -- --from <database file> --to postgres://user:password@host:5432/database

Copies everything the embedded database holds (ledger, claims, redemptions, attendance,
certificates, checkpoints…) into an EMPTY PostgreSQL database, which it migrates first
(schema/postgres/). Then, before anything is committed, it checks the copy: the hash
chain from seq 1 and every running and stored balance (as /v1/audit/verify does), the
trial balance, row counts table by table, and the newest signed checkpoint: its signature
(with the service key of JIFEN_SIGNING_KEY or the data folder, as npm start finds it)
and its seq and hash against the copied chain. Any failure rolls the whole copy back.

Stop the service first (the source must not change during the copy).

Exit status: 0 copied and verified, 1 the copy failed a check (nothing kept), 2 bad usage,
a non-empty target or I/O.`;

export class MigrationRefused extends Error {
  override name = 'MigrationRefused';
}

export interface MigrationReport {
  tables: number;
  rows: number;
  transactions: number;
  head: { seq: number; hash: string };
  checkpoint: { seq: number; hash: string; issued_at: string } | null;
  seconds: number;
}

const ROWS_PER_INSERT = 5_000;

/** Tables in an order where each comes after the tables it names (foreign keys), from the target's catalogue. */
async function tablesInOrder(client: pg.PoolClient, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(`
    SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
    WHERE k.contype = 'f' AND c.relname <> p.relname`);
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const { child, parent } of rows) parents.get(child)?.add(parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.filter((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p) || !parents.has(p)));
    // A cycle of foreign keys: the rest go in as they are (the constraints are deferred to COMMIT).
    const batch = next.length > 0 ? next : tables.filter((t) => !placed.has(t));
    batch.forEach((t) => {
      placed.add(t);
      ordered.push(t);
    });
  }
  return ordered;
}

/** Kysely over one client inside its open transaction, for the checks (they read the uncommitted copy). */
function kyselyOnClient(client: pg.PoolClient): Kysely<Schema> {
  const shared = { query: client.query.bind(client), release: () => undefined };
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool: { connect: async () => shared, end: async () => undefined } as never }) });
}

/**
 * Copies the embedded database at `from` into the empty PostgreSQL database
 * at `to`, in one transaction, checked before COMMIT.
 */
export async function migrateToPostgres(options: {
  from: string;
  to: string;
  /** The service's public key (a JWK) to check the newest checkpoint's signature with. */
  publicKey?: JWK;
  log?: (line: string) => void;
}): Promise<MigrationReport> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  if (!existsSync(options.from)) throw new MigrationRefused(`no database at ${options.from}`);
  const source = new Database(options.from, { readonly: true, fileMustExist: true });
  const pool = openPool(options.to, { max: 1 });
  try {
    // The source must be at the schema this code knows: older ones are migrated by starting the service once.
    const applied = new Set((source.prepare('SELECT name FROM d1_migrations').all() as Array<{ name: string }>).map((r) => r.name));
    const pending = readMigrations().filter((m) => !applied.has(m.name));
    if (pending.length > 0) throw new MigrationRefused(`${options.from} lacks migrations ${pending.map((m) => m.name).join(', ')}: start the service on it once (npm start) or run npm run migrate, then copy`);
    await migratePostgres(pool);
    const client = await pool.connect();
    try {
      const tables = (
        source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'd1_migrations' ORDER BY name").all() as Array<{ name: string }>
      ).map((r) => r.name);
      // Empty: no table holds more rows than the migrations put there (transaction kinds, the programme's accounts…).
      const seeded = new Database(':memory:');
      migrateSqlite(seeded);
      for (const table of tables) {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
        const expected = (seeded.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        if (rows[0]!.n !== expected) {
          throw new MigrationRefused(`the target is not empty (${table} holds ${rows[0]!.n} rows): copy into a new, empty database`);
        }
      }
      const ordered = await tablesInOrder(client, tables);
      const { rows: foreignKeys } = await client.query<{ tbl: string; name: string }>(
        `SELECT c.relname AS tbl, k.conname AS name FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' WHERE k.contype = 'f' AND NOT k.condeferrable`,
      );
      await client.query('BEGIN');
      // The guards are the schema's to apply to new writes; a copy of rows that passed them once is
      // checked as a whole below instead (row by row, a running balance would be checked against the
      // finished account). Foreign keys stay on but are checked once the copy is complete (members and
      // their changes name each other), then made immediate again: all inside this one transaction.
      for (const { tbl, name } of foreignKeys) await client.query(`ALTER TABLE ${tbl} ALTER CONSTRAINT ${name} DEFERRABLE INITIALLY DEFERRED`);
      for (const table of ordered) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      let total = 0;
      for (const table of ordered) {
        const seededRows = (seeded.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        // The rows the migrations put there (kinds, the programme's accounts) are replaced by the source's.
        if (seededRows > 0) await client.query(`DELETE FROM ${table}`);
        const statement = source.prepare(`SELECT * FROM ${table} ORDER BY rowid`);
        let chunk: unknown[] = [];
        let copied = 0;
        const flush = async () => {
          if (chunk.length === 0) return;
          await client.query(`INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1)`, [JSON.stringify(chunk)]);
          copied += chunk.length;
          chunk = [];
        };
        for (const row of statement.iterate()) {
          chunk.push(row);
          if (chunk.length >= ROWS_PER_INSERT) await flush();
        }
        await flush();
        total += copied;
        if (copied > 0) log(`  ${table}: ${copied} rows`);
      }
      // The deferred checks run now; a table with checks pending cannot be altered.
      await client.query('SET CONSTRAINTS ALL IMMEDIATE');
      for (const table of ordered) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
      for (const { tbl, name } of foreignKeys) await client.query(`ALTER TABLE ${tbl} ALTER CONSTRAINT ${name} NOT DEFERRABLE`);

      // ---- Checks, on the uncommitted copy ----
      for (const table of tables) {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
        const expected = (source.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        if (rows[0]!.n !== expected) throw new Error(`${table}: ${rows[0]!.n} rows copied of ${expected}`);
      }
      const db = kyselyOnClient(client);
      const verified = await verifyLedger(db, {});
      if (!verified.ok || verified.balance_mismatches.length > 0) {
        throw new Error(`the copied ledger does not verify: ${verified.reason ?? JSON.stringify(verified.balance_mismatches.slice(0, 3))} (seq ${verified.first_bad_seq ?? '-'})`);
      }
      const balance = await trialBalance(db);
      if (!balance.balanced) throw new Error(`the copied trial balance is ${balance.total}, not 0.00`);
      const sourceHead = source.prepare('SELECT seq, hash FROM transactions ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const { rows: heads } = await client.query<{ seq: number; hash: string }>('SELECT seq, hash FROM transactions ORDER BY seq DESC LIMIT 1');
      const head = heads[0] ?? { seq: 0, hash: '' };
      if (sourceHead && (sourceHead.seq !== head.seq || sourceHead.hash !== head.hash)) throw new Error(`the copied head is seq ${head.seq}, the source's ${sourceHead.seq}`);
      const latest = source.prepare('SELECT seq, hash, issued_at, jws FROM checkpoints ORDER BY issued_at DESC, seq DESC LIMIT 1').get() as
        | { seq: number; hash: string; issued_at: string; jws: string }
        | undefined;
      if (latest) {
        if (options.publicKey) {
          const { payload } = await compactVerify(latest.jws, await importJWK(options.publicKey, 'EdDSA'));
          const signed = JSON.parse(new TextDecoder().decode(payload)) as { seq: number; hash: string };
          if (signed.seq !== latest.seq || signed.hash !== latest.hash) throw new Error('the newest checkpoint does not say what its row says');
        }
        const { rows } = await client.query<{ hash: string }>('SELECT hash FROM transactions WHERE seq = $1', [latest.seq]);
        if (rows[0]?.hash !== latest.hash) throw new Error(`the copied chain does not pass through the newest signed checkpoint (seq ${latest.seq})`);
      }
      await client.query('COMMIT');
      return {
        tables: tables.length,
        rows: total,
        transactions: head.seq,
        head,
        checkpoint: latest ? { seq: latest.seq, hash: latest.hash, issued_at: latest.issued_at } : null,
        seconds: (performance.now() - started) / 1000,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  } finally {
    source.close();
    await pool.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const fail = (message: string, code: number): never => {
    process.stderr.write(`${message}\n`);
    process.exit(code);
  };
  let values;
  try {
    ({ values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (values!.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!values!.from || !values!.to) fail(USAGE, 2);
  if (!/^postgres(ql)?:\/\//.test(values!.to!)) fail(`--to must be a postgres:// URL, not ${values!.to}`, 2);
  const config = await loadNodeConfig();
  const { d: _private, ...publicKey } = (config.signingKey ?? {}) as JWK;
  void _private;
  try {
    const report = await migrateToPostgres({
      from: resolve(values!.from!),
      to: values!.to!,
      ...(config.signingKey ? { publicKey } : {}),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(
      `Copied ${report.rows} rows of ${report.tables} tables in ${report.seconds.toFixed(1)} s; verified: the chain and balances of ${report.transactions} transactions, ` +
        `the trial balance, ${report.checkpoint ? `the newest signed checkpoint (seq ${report.checkpoint.seq}, ${report.checkpoint.issued_at})` : 'no checkpoint yet'}.\n` +
        'Start the service with JIFEN_DATABASE_URL set to the target.\n',
    );
  } catch (error) {
    if (error instanceof MigrationRefused) fail(`Not copied: ${error.message}`, 2);
    if (error instanceof Error && /ECONNREFUSED|ENOTFOUND|password authentication|does not exist/.test(error.message)) fail(`Not copied: ${error.message}`, 2);
    fail(`Not copied (rolled back, the target is empty): ${error instanceof Error ? error.message : String(error)}`, 1);
  }
}
