import type { Db } from '../db/types.js';
import type { BatchBuilder } from '../db/executor.js';
import { ISSUANCE_ACCOUNT, orgBudgetAccount } from '../ledger/accounts.js';
import { appendTransaction, type RecordedTransaction } from '../ledger/transactions.js';

/** Compiles an allocation: issuance → the org's budget, one transaction. */
export function allocateBudget(
  db: Db,
  input: { orgId: string; amount: number; memo: string | null; actor: string; now: string },
): BatchBuilder<RecordedTransaction> {
  return (head) => {
    const { statements, transaction, head: next } = appendTransaction(db, head, {
      kind: 'budget_allocation',
      actor: input.actor,
      memo: input.memo,
      ref_type: 'org',
      ref_id: input.orgId,
      created_at: input.now,
      postings: [
        { account_id: ISSUANCE_ACCOUNT, amount: -input.amount },
        { account_id: orgBudgetAccount(input.orgId), amount: input.amount },
      ],
    });
    return { statements, result: transaction, head: next };
  };
}
