import type { Db } from '../db/types.js';
import type { BatchBuilder } from '../db/executor.js';
import { appendTransaction, reversingPostings, type Posting, type RecordedTransaction } from '../ledger/transactions.js';

/**
 * Compiles an admin correction. With `reverses`, the postings are the
 * original's negated and the schema lets a transaction be reversed once;
 * otherwise the explicit postings are recorded as an `adjustment`.
 */
export function adjustLedger(
  db: Db,
  input: {
    postings?: Posting[];
    reverses?: RecordedTransaction;
    reason: string;
    actor: string;
    now: string;
  },
): BatchBuilder<RecordedTransaction> {
  const postings = input.reverses ? reversingPostings(input.reverses.postings) : input.postings ?? [];
  return (head) => {
    const appended = appendTransaction(db, head, {
      kind: input.reverses ? 'reversal' : 'adjustment',
      actor: input.actor,
      memo: input.reason,
      ref_type: input.reverses ? 'transaction' : null,
      ref_id: input.reverses?.id ?? null,
      reverses_id: input.reverses?.id ?? null,
      created_at: input.now,
      postings,
    });
    return { statements: appended.statements, result: appended.transaction, head: appended.head };
  };
}
