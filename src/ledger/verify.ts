import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { isPostgres } from '../db/dialect.js';
import { GENESIS_HASH, hashTransaction, sha256Hex, type HashedTransaction } from './hash.js';

const PAGE = 5_000;

/** One transaction of a page: its chain fields, the database's canonical bytes, and what its postings add up to. */
interface PageRow {
  seq: number;
  prev_hash: string;
  hash: string;
  canonical: string;
  legs: number;
  total: number;
  /** 1 when a posting of this seq names another transaction. */
  foreign_leg: number;
  sealed: number;
}

/** What `/v1/audit/verify` answers. */
export interface VerifyReport {
  ok: boolean;
  from_seq: number;
  to_seq: number;
  checked: number;
  first_bad_seq?: number;
  reason?: string;
  balances_checked: number;
  balance_mismatches: Array<{ account_id: string; field: 'posted' | 'held'; stored: number; recomputed: number }>;
}

/**
 * Recomputes the hash chain over [fromSeq, toSeq] — contiguous seqs, each
 * prev_hash the hash before it, each hash over the canonical bytes, postings
 * balanced and sealed, each running balance the previous one plus the amount —
 * and every account's stored posted and held from postings and open holds.
 * Reads in pages; names the first bad seq.
 *
 * Per page, the database does the set-based work in two queries: one pass joining
 * each transaction to its postings lays out the canonical bytes and says
 * whether the postings are foreign, unbalanced or unsealed; a window over the
 * page's postings finds the first running balance that does not follow.
 * Here each hash is recomputed and the chain followed. The postings come in
 * the order they were inserted, which the writer makes the canonical order
 * (by account); SQLite does not promise that order, so where a hash over
 * the database's bytes does not match, the transaction's fields are read and hashed
 * with the writer's own `canonicalTransaction` before anything is reported.
 * A difference of order or of JSON formatting costs time, never the verdict.
 */
export async function verifyLedger(db: Db, range: { fromSeq?: number; toSeq?: number }): Promise<VerifyReport> {
  const head = await db.selectFrom('transactions').select(({ fn }) => fn.max('seq').as('seq')).executeTakeFirst();
  const fromSeq = Math.max(1, range.fromSeq ?? 1);
  const headSeq = Number(head?.seq ?? 0);
  const toSeq = Math.min(headSeq, range.toSeq ?? Number.MAX_SAFE_INTEGER);
  const report: VerifyReport = { ok: true, from_seq: fromSeq, to_seq: toSeq, checked: 0, balances_checked: 0, balance_mismatches: [] };
  const fail = (seq: number, reason: string) => {
    report.ok = false;
    report.first_bad_seq = seq;
    report.reason = reason;
  };

  let prevHash = GENESIS_HASH;
  if (fromSeq > 1) {
    const before = await db.selectFrom('transactions').select('hash').where('seq', '=', fromSeq - 1).executeTakeFirst();
    prevHash = before?.hash ?? '';
  }

  let expectedSeq = fromSeq;
  chain: while (expectedSeq <= toSeq) {
    const first = expectedSeq;
    const last = Math.min(toSeq, first + PAGE - 1);
    const running = await firstRunningFault(db, first, last);
    const postgres = isPostgres(db);
    // One pass over the page's transactions, each joined to its postings in
    // the order they were inserted (the postings_seq index): the canonical
    // bytes and, from the same rows, whether the legs are this transaction's,
    // at least two, summing to zero, and sealed.
    const { rows } = await sql<PageRow>`
      SELECT t.seq, t.prev_hash, t.hash,
             ${canonicalBytes(postgres)} AS canonical,
             count(p.seq) AS legs, coalesce(sum(p.amount), 0) AS total,
             coalesce(max(CASE WHEN p.tx_id <> t.id THEN 1 ELSE 0 END), 0) AS foreign_leg,
             EXISTS (SELECT 1 FROM transaction_seals s WHERE s.tx_id = t.id) AS sealed
      FROM transactions t LEFT JOIN postings p ON p.seq = t.seq
      WHERE t.seq BETWEEN ${first} AND ${last}
      GROUP BY t.seq
      ORDER BY t.seq`.execute(db);
    for (const tx of rows) {
      if (tx.seq !== expectedSeq) {
        fail(expectedSeq, 'missing transaction');
        break chain;
      }
      if (tx.prev_hash !== prevHash) {
        fail(tx.seq, 'prev_hash does not match the hash before it');
        break chain;
      }
      if (tx.foreign_leg) {
        fail(tx.seq, 'a posting names another transaction');
        break chain;
      }
      // No legs: the database's bytes carry one null leg, so the reference form decides.
      const canonical = postgres ? JSON.stringify(JSON.parse(tx.canonical)) : tx.canonical;
      if (sha256Hex(`${prevHash}\n${canonical}`) !== tx.hash && !(await hashesByReference(db, prevHash, tx))) {
        fail(tx.seq, 'hash does not match the transaction and its postings');
        break chain;
      }
      if (tx.legs < 2 || tx.total !== 0 || !tx.sealed) {
        fail(tx.seq, 'postings are not a sealed, balanced set');
        break chain;
      }
      if (running === tx.seq) {
        fail(tx.seq, `running balance of ${await runningFaultAccount(db, tx.seq)} does not follow from its previous entry`);
        break chain;
      }
      prevHash = tx.hash;
      expectedSeq++;
      report.checked++;
    }
    if (rows.length === 0 || expectedSeq <= last) {
      fail(expectedSeq, 'missing transaction');
      break;
    }
  }

  await checkStoredBalances(db, report, report.ok && fromSeq === 1 && toSeq === headSeq);
  if (report.balance_mismatches.length > 0) report.ok = false;
  return report;
}

/**
 * A transaction's canonical JSON, laid out by the database from its row and
 * its postings (grouped by t.seq). PostgreSQL writes JSON with spaces, so
 * its text is parsed and written again compactly before it is hashed.
 */
function canonicalBytes(postgres: boolean) {
  if (postgres) {
    return sql<string>`CAST(json_build_array(t.seq, t.id, t.kind, t.actor, t.memo, t.ref_type, t.ref_id, t.reverses_id, t.created_at,
      json_agg(json_build_array(p.account_id, p.amount) ORDER BY p.account_id COLLATE "C")) AS TEXT)`;
  }
  return sql<string>`json_array(t.seq, t.id, t.kind, t.actor, t.memo, t.ref_type, t.ref_id, t.reverses_id, t.created_at,
    json_group_array(json_array(p.account_id, p.amount)))`;
}

/**
 * The first seq in [first, last] whose running balance is not the account's
 * previous one (before the page too) plus the amount; null when none.
 */
async function firstRunningFault(db: Db, first: number, last: number): Promise<number | null> {
  const { rows } = await sql<{ seq: number | null }>`
    SELECT min(seq) AS seq FROM (
      SELECT p.seq, p.balance_after - p.amount AS before,
             coalesce(lag(p.balance_after) OVER (PARTITION BY p.account_id ORDER BY p.seq),
                      (SELECT o.balance_after FROM postings o WHERE o.account_id = p.account_id AND o.seq < ${first} ORDER BY o.seq DESC LIMIT 1),
                      0) AS previous
      FROM postings p WHERE p.seq BETWEEN ${first} AND ${last}) AS r
    WHERE before <> previous`.execute(db);
  return rows[0]?.seq ?? null;
}

/** Hashes one transaction from its fields with the writer's canonical form (the arbiter when SQLite's bytes differ). */
async function hashesByReference(db: Db, prevHash: string, at: { seq: number; hash: string }): Promise<boolean> {
  const tx = await db
    .selectFrom('transactions')
    .select(['seq', 'id', 'kind', 'actor', 'memo', 'ref_type', 'ref_id', 'reverses_id', 'created_at'])
    .where('seq', '=', at.seq)
    .executeTakeFirstOrThrow();
  const postings = await db.selectFrom('postings').select(['account_id', 'amount']).where('seq', '=', at.seq).execute();
  const hashed: HashedTransaction = { ...tx, postings };
  return hashTransaction(prevHash, hashed) === at.hash;
}

/** Names the account whose running balance breaks at `seq`. */
async function runningFaultAccount(db: Db, seq: number): Promise<string> {
  const { rows } = await sql<{ account_id: string }>`
    SELECT p.account_id FROM postings p
    WHERE p.seq = ${seq}
      AND p.balance_after - p.amount <> coalesce(
        (SELECT o.balance_after FROM postings o WHERE o.account_id = p.account_id AND o.seq < p.seq ORDER BY o.seq DESC LIMIT 1), 0)
    ORDER BY p.account_id LIMIT 1`.execute(db);
  return rows[0]?.account_id ?? 'an account';
}

/**
 * Every account's stored posted and held against what the ledger says. When
 * the whole chain has just been verified — every posting's running balance
 * follows from the one before it, from zero — an account's last running
 * balance is the sum of its postings, and one index step per account reads it;
 * otherwise (a range, a fault, a posting outside the chain's seqs) the
 * postings are summed.
 */
async function checkStoredBalances(db: Db, report: VerifyReport, wholeChainVerified: boolean): Promise<void> {
  let lastBalanceIsSum = false;
  if (wholeChainVerified) {
    const { rows: bounds } = await sql<{ low: number | null; high: number | null }>`
      SELECT min(seq) AS low, max(seq) AS high FROM postings`.execute(db);
    const { low, high } = bounds[0] ?? { low: null, high: null };
    lastBalanceIsSum = low === null || (low >= report.from_seq && high !== null && high <= report.to_seq);
  }
  const posted = lastBalanceIsSum
    ? sql`(SELECT p.balance_after FROM postings p WHERE p.account_id = a.id ORDER BY p.seq DESC LIMIT 1)`
    : sql`(SELECT sum(p.amount) FROM postings p WHERE p.account_id = a.id)`;
  // Open holds aggregated first, then joined to accounts: one pass over holds.
  const { rows } = await sql<{ id: string; posted: number; held: number; sum_posted: number | null; sum_held: number | null }>`
    SELECT a.id, a.posted, a.held, ${posted} AS sum_posted, h.s AS sum_held
    FROM accounts a
    LEFT JOIN (SELECT h.account_id, sum(h.amount) AS s FROM holds h
               WHERE NOT EXISTS (SELECT 1 FROM hold_resolutions r WHERE r.hold_id = h.id)
               GROUP BY h.account_id) h ON h.account_id = a.id`.execute(db);
  for (const row of rows) {
    report.balances_checked++;
    const posted = Number(row.sum_posted ?? 0);
    const held = Number(row.sum_held ?? 0);
    if (posted !== row.posted) {
      report.balance_mismatches.push({ account_id: row.id, field: 'posted', stored: row.posted, recomputed: posted });
    }
    if (held !== row.held) {
      report.balance_mismatches.push({ account_id: row.id, field: 'held', stored: row.held, recomputed: held });
    }
  }
}
