import { formatPoints, parsePoints } from '../ledger/amount.js';
import { GENESIS_HASH, hashTransaction } from '../ledger/hash.js';
import type { ExportedTransaction } from './export.js';

/** Why a transaction of an export is bad, at which seq. */
export interface HistoryFault {
  seq: number;
  reason: string;
}

/**
 * Follows an exported history from seq 1, one transaction at a time, as the
 * service's own guards built it: seqs contiguous, each prev_hash the hash
 * before it, each hash recomputed over the canonical bytes (the service's
 * `hashTransaction`, not a copy), at least two postings on distinct accounts
 * summing to zero, and each posting's running balance the account's previous
 * one (from 0) plus its amount. Holds one running balance per account, so
 * memory grows with accounts, not with history.
 */
export class HistoryChecker {
  private prevHash = GENESIS_HASH;
  private readonly balances = new Map<string, number>();
  /** The seq of the last transaction that followed (0 before the first). */
  head = 0;

  /** Checks the next transaction; null when it follows, else the first fault. */
  next(tx: ExportedTransaction): HistoryFault | null {
    const expected = this.head + 1;
    if (tx.seq !== expected) return { seq: expected, reason: tx.seq > expected ? 'missing transaction' : `seq ${String(tx.seq)} is out of order` };
    const fault = (reason: string) => ({ seq: tx.seq, reason });
    if (tx.prev_hash !== this.prevHash) return fault('prev_hash does not match the hash before it');
    let legs: Array<{ account_id: string; amount: number; balance_after: number | null }>;
    try {
      legs = tx.postings.map((p) => ({
        account_id: p.account_id,
        amount: parsePoints(p.amount),
        balance_after: p.balance_after === undefined ? null : parsePoints(p.balance_after),
      }));
    } catch (error) {
      return fault(`a posting is malformed (${error instanceof Error ? error.message : String(error)})`);
    }
    if (hashTransaction(this.prevHash, { ...tx, postings: legs }) !== tx.hash) return fault('hash does not match the transaction');
    const legsFault = unbalanced(legs);
    if (legsFault) return fault(legsFault);
    for (const leg of legs) {
      if (leg.balance_after === null) return fault(`the posting of ${leg.account_id} has no balance_after (an export from before running balances were exported: export again)`);
      const follows = (this.balances.get(leg.account_id) ?? 0) + leg.amount;
      if (leg.balance_after !== follows) {
        return fault(`running balance of ${leg.account_id} is ${formatPoints(leg.balance_after)}, but the previous one plus the amount is ${formatPoints(follows)}`);
      }
    }
    for (const leg of legs) this.balances.set(leg.account_id, leg.balance_after!);
    this.prevHash = tx.hash;
    this.head = tx.seq;
    return null;
  }
}

/** Why these postings are not a double entry (the schema's seal), or null. */
function unbalanced(legs: ReadonlyArray<{ account_id: string; amount: number }>): string | null {
  if (legs.length < 2) return 'fewer than two postings';
  const seen = new Set<string>();
  let total = 0;
  for (const leg of legs) {
    if (seen.has(leg.account_id)) return `account ${leg.account_id} is posted twice`;
    if (leg.amount === 0) return `the posting of ${leg.account_id} is zero`;
    seen.add(leg.account_id);
    total += leg.amount;
  }
  return total === 0 ? null : `postings sum to ${formatPoints(total)}, not zero`;
}
