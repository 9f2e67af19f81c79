import type { Db } from '../db/types.js';
import type { BatchBuilder } from '../db/executor.js';
import { callerKey, type Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { notFound } from '../errors.js';
import { findTransaction, transactionView } from '../ledger/read.js';
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

/**
 * Records an admin correction: the explicit balanced postings, or the full
 * reversal of the transaction `reverses_transaction_id` names (exactly one of them).
 */
export async function recordAdjustment(
  deps: AppDeps,
  caller: Caller,
  input: { reason: string; postings?: Posting[]; reverses_transaction_id?: string },
  idempotency: IdempotencyScope | undefined,
) {
  const { db, clock } = deps;
  let reverses;
  if (input.reverses_transaction_id) {
    reverses = await findTransaction(db, input.reverses_transaction_id);
    // What may be reversed here (budget allocations and adjustments, not
    // what a claim, redemption, settlement or expiry owns) is the schema's rule.
    if (!reverses) throw notFound(`Transaction ${input.reverses_transaction_id}`);
  }
  const build = adjustLedger(db, {
    ...(input.postings ? { postings: input.postings } : {}),
    ...(reverses ? { reverses } : {}),
    reason: input.reason,
    actor: callerKey(caller),
    now: clock().toISOString(),
  });
  return commitWrite(deps, idempotency, build, 201, transactionView);
}
