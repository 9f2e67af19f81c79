// `npm run bench -- --only backup [--backup-transactions 1000000]`: the backup of a big
// ledger, timed, with the backup process's peak RSS. The ledger is built once
// into a file under the system's temp folder and reused by later runs.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqlite } from '../src/db/sqlite.js';
import { hashTransaction, GENESIS_HASH } from '../src/ledger/hash.js';
import { newId } from '../src/ids.js';

const root = new URL('../', import.meta.url).pathname;
const WORKERS = 10_000;
const PER_COMMIT = 20_000;

/**
 * Builds a ledger of `count` transactions (issuance to one of 10,000 worker
 * accounts each) the schema's own way: every row through its triggers — the
 * chain head, the posting guards and running balances, the seal — in large
 * commits on one connection, with synchronous off while it is built. The
 * rows are the ones `appendTransaction` writes; only the batching differs.
 */
export function buildLedger(file: string, count: number, log: (line: string) => void): void {
  const partial = `${file}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  const started = performance.now();
  const sqlite = openSqlite(partial, 'normal');
  sqlite.pragma('synchronous = OFF');
  sqlite.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${WORKERS})
    INSERT INTO accounts (id, kind, owner_id, no_overdraft, created_at)
    SELECT 'worker:mem_bk' || i, 'worker', 'mem_bk' || i, 1, '2026-01-01T00:00:00.000Z' FROM n`);
  const insertTx = sqlite.prepare(`INSERT INTO transactions (id, seq, kind, actor, memo, ref_type, ref_id, reverses_id, created_at, prev_hash, hash)
    VALUES (?, ?, 'adjustment', 'bench', NULL, NULL, NULL, NULL, ?, ?, ?)`);
  const insertPosting = sqlite.prepare('INSERT INTO postings (tx_id, seq, account_id, amount, balance_after, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const seal = sqlite.prepare('INSERT INTO transaction_seals (tx_id) VALUES (?)');
  const balances = new Map<string, number>();
  let issued = 0;
  let head = { seq: 0, hash: GENESIS_HASH };
  const commit = sqlite.transaction((from: number, to: number) => {
    for (let seq = from; seq <= to; seq++) {
      const worker = `worker:mem_bk${(seq % WORKERS) + 1}`;
      const amount = 100 + (seq % 900);
      const id = newId('tx');
      const created_at = new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString();
      // Canonical order (by account): program:… before worker:….
      const postings = [
        { account_id: 'program:issuance', amount: -amount },
        { account_id: worker, amount },
      ];
      const hash = hashTransaction(head.hash, { seq, id, kind: 'adjustment', actor: 'bench', memo: null, ref_type: null, ref_id: null, reverses_id: null, created_at, postings });
      insertTx.run(id, seq, created_at, head.hash, hash);
      issued -= amount;
      insertPosting.run(id, seq, 'program:issuance', -amount, issued, created_at);
      const balance = (balances.get(worker) ?? 0) + amount;
      balances.set(worker, balance);
      insertPosting.run(id, seq, worker, amount, balance, created_at);
      seal.run(id);
      head = { seq, hash };
    }
  });
  for (let from = 1; from <= count; from += PER_COMMIT) {
    commit(from, Math.min(count, from + PER_COMMIT - 1));
    if ((from - 1) % 200_000 === 0 && from > 1) log(`  built ${from - 1} transactions in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('journal_mode = DELETE');
  sqlite.close();
  renameSync(partial, file);
  log(`built a ledger of ${count} transactions (${(statSync(file).size / 1048576).toFixed(0)} MB) in ${((performance.now() - started) / 1000).toFixed(0)} s: ${file}`);
}

/** The cached ledger of `count` transactions, built first if it is not there (or not whole). */
export function cachedLedger(count: number, log: (line: string) => void): string {
  const dir = join(tmpdir(), 'jifen-bench-cache');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `ledger-${count}.db`);
  if (existsSync(file)) {
    const db = new Database(file, { readonly: true });
    const head = (db.prepare('SELECT max(seq) AS seq FROM transactions').get() as { seq: number | null }).seq;
    db.close();
    if (head === count) {
      log(`reusing ${file} (${count} transactions; delete it to build it again)`);
      return file;
    }
    rmSync(file);
  }
  buildLedger(file, count, log);
  return file;
}

/** Runs `npm run backup`'s script on the cached ledger under GNU time: what it printed, its wall time and peak RSS. */
export async function timeBackup(source: string, target: string): Promise<{ out: string; seconds: number; peakRss: number; code: number | null }> {
  const gnuTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
  const command = [process.execPath, '--import', 'tsx', 'scripts/backup.ts', target, '--from', source];
  const child = gnuTime ? spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB %M', ...command], { cwd: root }) : spawn(command[0]!, command.slice(1), { cwd: root });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  const kb = Number(/PEAK_RSS_KB (\d+)/.exec(err)?.[1] ?? NaN);
  if (code !== 0) process.stderr.write(err);
  return { out, seconds, peakRss: kb * 1024, code };
}

/**
 * The same backup of a copy of the ledger while the service runs on it and
 * four clients keep allocating budget (one ledger transaction each, own
 * Idempotency-Key): how long the backup takes then, and how many writes the
 * service acknowledged per second before and during it.
 */
export async function timeBackupUnderWrites(
  ledger: string,
  dir: string,
  env: Record<string, string>,
  adminToken: string,
  log: (line: string) => void,
): Promise<{ run: Awaited<ReturnType<typeof timeBackup>>; before: number; during: number; copyHead: number; liveHead: number }> {
  const live = join(dir, 'live.db');
  copyFileSync(ledger, live);
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], {
    cwd: root,
    env: { ...process.env, ...env, JIFEN_DB_PATH: live, PORT: '0', JIFEN_DURABILITY: 'full' },
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/listening on (http:\/\/localhost:\d+)/);
        if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
      });
      server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
    });
    let n = 0;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'idempotency-key': `bench-backup-${++n}` },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    };
    const city = await post('/v1/orgs', { name: '湘潭市', kind: 'city' });
    let acknowledged = 0;
    let writing = true;
    const writers = Array.from({ length: 4 }, async () => {
      while (writing) {
        await post('/v1/budget-allocations', { org_id: city.id, amount: '1' });
        acknowledged++;
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    const warm = acknowledged;
    await new Promise((r) => setTimeout(r, 3000));
    const before = (acknowledged - warm) / 3;
    log('  backing up while four clients write');
    const atStart = acknowledged;
    const run = await timeBackup(live, join(dir, 'backup-under-writes.db'));
    const during = (acknowledged - atStart) / run.seconds;
    writing = false;
    await Promise.all(writers);
    const copyHead = Number(/chain head:\s+seq ([\d,]+)/.exec(run.out)?.[1]?.replaceAll(',', '') ?? NaN);
    const db = new Database(live, { readonly: true });
    const liveHead = (db.prepare('SELECT max(seq) AS seq FROM transactions').get() as { seq: number }).seq;
    db.close();
    return { run, before, during, copyHead, liveHead };
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    for (const file of ['live.db', 'live.db-wal', 'live.db-shm', 'backup-under-writes.db']) rmSync(join(dir, file), { force: true });
  }
}
