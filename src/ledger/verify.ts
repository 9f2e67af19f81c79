import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { GENESIS_HASH, hashTransaction, sha256Hex, type HashedTransaction } from './hash.js';

const PAGE = 5_000;

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

/** The first seq of a page with each fault SQLite looks for (null: none). */
interface PageFaults {
  foreign_leg: number | null;
  unbalanced: number | null;
  unsealed: number | null;
  running: number | null;
}

/**
 * Recomputes the hash chain over [fromSeq, toSeq] — contiguous seqs, each
 * prev_hash the hash before it, each hash over the canonical bytes, postings
 * balanced and sealed, each running balance the previous one plus the amount —
 * and every account's stored posted and held from postings and open holds.
 * Reads in pages; names the first bad seq.
 *
 * Per page, SQLite does the set-based work: it finds the first transaction
 * with a foreign, unbalanced or unsealed set of postings or a running balance
 * that does not follow, and lays out each transaction's canonical bytes.
 * Here each hash is recomputed and the chain followed. The postings come in
 * the order they were inserted, which the writer makes the canonical order
 * (by account); SQLite does not promise that order, so where a hash over
 * SQLite's bytes does not match, the transaction's fields are read and hashed
 * with the writer's own `canonicalTransaction` before anything is reported.
 * A difference of order or of JSON formatting costs time, never the verdict.
 */
export async function verifyLedger(db: Db, range: { fromSeq?: number; toSeq?: number }): Promise<VerifyReport> {
  const head = await db.selectFrom('transactions').select(({ fn }) => fn.max('seq').as('seq')).executeTakeFirst();
  const fromSeq = Math.max(1, range.fromSeq ?? 1);
  const toSeq = Math.min(Number(head?.seq ?? 0), range.toSeq ?? Number.MAX_SAFE_INTEGER);
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
    const faults = await pageFaults(db, first, last);
    const { rows } = await sql<{ seq: number; prev_hash: string; hash: string; canonical: string }>`
      SELECT t.seq, t.prev_hash, t.hash,
             json_array(t.seq, t.id, t.kind, t.actor, t.memo, t.ref_type, t.ref_id, t.reverses_id, t.created_at,
               (SELECT json_group_array(json_array(p.account_id, p.amount)) FROM postings p WHERE p.seq = t.seq)) AS canonical
      FROM transactions t
      WHERE t.seq BETWEEN ${first} AND ${last}
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
      if (faults.foreign_leg === tx.seq) {
        fail(tx.seq, 'a posting names another transaction');
        break chain;
      }
      if (sha256Hex(`${prevHash}\n${tx.canonical}`) !== tx.hash && !(await hashesByReference(db, prevHash, tx))) {
        fail(tx.seq, 'hash does not match the transaction and its postings');
        break chain;
      }
      if (faults.unbalanced === tx.seq || faults.unsealed === tx.seq) {
        fail(tx.seq, 'postings are not a sealed, balanced set');
        break chain;
      }
      if (faults.running === tx.seq) {
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

  await checkStoredBalances(db, report);
  if (report.balance_mismatches.length > 0) report.ok = false;
  return report;
}

/**
 * The first seq in [first, last] with each fault: a posting that names
 * another transaction; fewer than two postings (none too) or a non-zero sum; no seal;
 * a running balance that is not the account's previous one (before the page
 * too) plus the amount.
 */
async function pageFaults(db: Db, first: number, last: number): Promise<PageFaults> {
  const { rows } = await sql<PageFaults>`
    SELECT
      (SELECT min(p.seq) FROM postings p JOIN transactions t ON t.seq = p.seq
        WHERE p.seq BETWEEN ${first} AND ${last} AND p.tx_id <> t.id) AS foreign_leg,
      (SELECT min(t.seq) FROM transactions t
         LEFT JOIN (SELECT p.seq, count(*) AS legs, sum(p.amount) AS total FROM postings p
                    WHERE p.seq BETWEEN ${first} AND ${last} GROUP BY p.seq) g ON g.seq = t.seq
        WHERE t.seq BETWEEN ${first} AND ${last} AND (g.legs IS NULL OR g.legs < 2 OR g.total <> 0)) AS unbalanced,
      (SELECT min(t.seq) FROM transactions t
        WHERE t.seq BETWEEN ${first} AND ${last} AND NOT EXISTS (SELECT 1 FROM transaction_seals s WHERE s.tx_id = t.id)) AS unsealed,
      (SELECT min(seq) FROM (
         SELECT p.seq, p.balance_after - p.amount AS before,
                coalesce(lag(p.balance_after) OVER (PARTITION BY p.account_id ORDER BY p.seq),
                         (SELECT o.balance_after FROM postings o WHERE o.account_id = p.account_id AND o.seq < ${first} ORDER BY o.seq DESC LIMIT 1),
                         0) AS previous
         FROM postings p WHERE p.seq BETWEEN ${first} AND ${last})
       WHERE before <> previous) AS running`.execute(db);
  return rows[0]!;
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

async function checkStoredBalances(db: Db, report: VerifyReport): Promise<void> {
  // Aggregates first, then joined to accounts: one pass over postings and holds.
  const { rows } = await sql<{ id: string; posted: number; held: number; sum_posted: number | null; sum_held: number | null }>`
    SELECT a.id, a.posted, a.held, p.s AS sum_posted, h.s AS sum_held
    FROM accounts a
    LEFT JOIN (SELECT account_id, sum(amount) AS s FROM postings GROUP BY account_id) p ON p.account_id = a.id
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
