import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { GENESIS_HASH, hashTransaction, type HashedTransaction } from './hash.js';

const PAGE = 5_000;

type TxRow = Omit<HashedTransaction, 'postings'> & { prev_hash: string; hash: string; sealed: number; legs: string };

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
  const running = new Map<string, number>();
  const openingBalance = async (accountId: string): Promise<number> => {
    if (fromSeq === 1) return 0;
    const row = await db
      .selectFrom('postings')
      .select('balance_after')
      .where('account_id', '=', accountId)
      .where('seq', '<', fromSeq)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.balance_after ?? 0;
  };

  let expectedSeq = fromSeq;
  chain: while (expectedSeq <= toSeq) {
    const last = Math.min(toSeq, expectedSeq + PAGE - 1);
    // One row per transaction, its postings folded into a JSON array: a third
    // of the rows, and no regrouping here.
    const { rows: txs } = await sql<TxRow>`
      SELECT t.seq, t.id, t.kind, t.actor, t.memo, t.ref_type, t.ref_id, t.reverses_id, t.created_at, t.prev_hash, t.hash,
             s.tx_id IS NOT NULL AS sealed,
             (SELECT json_group_array(json_array(p.account_id, p.amount, p.balance_after, p.tx_id))
                FROM postings p WHERE p.seq = t.seq) AS legs
      FROM transactions t LEFT JOIN transaction_seals s ON s.tx_id = t.id
      WHERE t.seq BETWEEN ${expectedSeq} AND ${last}
      ORDER BY t.seq`.execute(db);
    for (const tx of txs) {
      if (tx.seq !== expectedSeq) {
        fail(expectedSeq, 'missing transaction');
        break chain;
      }
      const postings = (JSON.parse(tx.legs) as Array<[string, number, number, string]>).map(
        ([account_id, amount, balance_after, tx_id]) => ({ account_id, amount, balance_after, tx_id }),
      );
      if (tx.prev_hash !== prevHash) {
        fail(tx.seq, 'prev_hash does not match the hash before it');
        break chain;
      }
      if (postings.some((p) => p.tx_id !== tx.id)) {
        fail(tx.seq, 'a posting names another transaction');
        break chain;
      }
      if (hashTransaction(prevHash, { ...tx, postings }) !== tx.hash) {
        fail(tx.seq, 'hash does not match the transaction and its postings');
        break chain;
      }
      if (postings.length < 2 || postings.reduce((s, p) => s + p.amount, 0) !== 0 || !tx.sealed) {
        fail(tx.seq, 'postings are not a sealed, balanced set');
        break chain;
      }
      for (const p of postings) {
        const before = running.has(p.account_id) ? running.get(p.account_id)! : await openingBalance(p.account_id);
        if (before + p.amount !== p.balance_after) {
          fail(tx.seq, `running balance of ${p.account_id} does not follow from its previous entry`);
          break chain;
        }
        running.set(p.account_id, p.balance_after);
      }
      prevHash = tx.hash;
      expectedSeq++;
      report.checked++;
    }
    if (txs.length === 0) {
      fail(expectedSeq, 'missing transaction');
      break;
    }
  }

  await checkStoredBalances(db, report);
  if (report.balance_mismatches.length > 0) report.ok = false;
  return report;
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
