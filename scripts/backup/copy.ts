// The two halves of `npm run backup`: a consistent copy of a live database
// file, and the checks a copy must pass before anyone relies on it.
import Database from 'better-sqlite3';
import { chmodSync, linkSync, rmSync, statSync } from 'node:fs';
import { kyselyFor } from '../../src/db/sqlite.js';
import { verifyLedger, type VerifyReport } from '../../src/ledger/verify.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { latestCheckpoint } from '../../src/audit/checkpoints.js';

/** What was copied. */
export interface CopyReport {
  bytes: number;
  pages: number;
  ms: number;
}

/**
 * Copies the database at `source` to `target` with SQLite's online backup
 * while the service goes on writing, and makes the copy one self-contained
 * file (rollback journal, no -wal beside it). The copy is written under a
 * temporary name and linked into place at the end, so `target` never exists
 * half-written, and an existing `target` is never overwritten (EEXIST).
 *
 * All pages go in one backup step: the step reads one snapshot of the
 * database (in WAL mode a reader blocks no writer), so the copy is the
 * database as it stood at one commit. In small steps, a write by the service
 * between two steps would restart the copy, and under steady writes it might
 * never finish.
 */
export async function copyLiveDatabase(source: string, target: string): Promise<CopyReport> {
  const started = performance.now();
  const partial = `${target}.partial-${process.pid}`;
  const live = new Database(source, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 5000');
    const { totalPages } = await live.backup(partial, { progress: () => 0x7fffffff });
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    // The ledger names people: the copy is for its owner only, like the keys.
    chmodSync(partial, 0o600);
    linkSync(partial, target);
    return { bytes: statSync(target).size, pages: totalPages, ms: performance.now() - started };
  } finally {
    live.close();
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
  }
}

/** What a copy was checked for, and what it holds. */
export interface CopyVerification {
  ok: boolean;
  /** `PRAGMA quick_check`: the file's pages and indexes are sound. */
  integrity: string;
  /** The chain from seq 1, each posting set, every stored balance (the service's own /v1/audit/verify). */
  ledger: VerifyReport;
  head: { seq: number; hash: string } | null;
  transactions: number;
  accounts: number;
  /** The sum of every posted balance (0.00 when sound) and whether it is zero (the service's own trial balance). */
  trial_balance: { balanced: boolean; total: string };
  /** The newest signed checkpoint, and whether the copy's chain reaches its hash at its seq. */
  checkpoint: { seq: number; matches: boolean } | null;
  problems: string[];
}

/**
 * Opens a database file read-only and checks it with the service's own
 * verification: chain, postings, stored balances, trial balance, and that the
 * newest checkpoint is a point of its chain.
 */
export async function verifyDatabaseFile(file: string): Promise<CopyVerification> {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  const db = kyselyFor(sqlite);
  try {
    const integrity = String(sqlite.pragma('quick_check', { simple: true }));
    const ledger = await verifyLedger(db, {});
    const balance = await trialBalance(db);
    const head = (sqlite.prepare('SELECT seq, hash FROM transactions ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? null;
    const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const latest = await latestCheckpoint(db);
    const at = latest ? (sqlite.prepare('SELECT hash FROM transactions WHERE seq = ?').get(latest.seq) as { hash: string } | undefined) : undefined;
    const checkpoint = latest ? { seq: latest.seq, matches: latest.seq === 0 ? true : at?.hash === latest.hash } : null;
    const problems: string[] = [];
    if (integrity !== 'ok') problems.push(`quick_check: ${integrity}`);
    if (!ledger.ok) {
      problems.push(
        ledger.first_bad_seq !== undefined
          ? `the chain breaks at seq ${ledger.first_bad_seq}: ${ledger.reason}`
          : `${ledger.balance_mismatches.length} stored balance(s) differ from their postings`,
      );
    }
    if (!balance.balanced) problems.push(`the trial balance is ${balance.total}, not 0.00`);
    if (checkpoint && !checkpoint.matches) problems.push(`the checkpoint at seq ${checkpoint.seq} is not a point of this chain`);
    return {
      ok: problems.length === 0,
      integrity,
      ledger,
      head,
      transactions: count('transactions'),
      accounts: count('accounts'),
      trial_balance: { balanced: balance.balanced, total: balance.total },
      checkpoint,
      problems,
    };
  } finally {
    await db.destroy();
    if (sqlite.open) sqlite.close();
  }
}
