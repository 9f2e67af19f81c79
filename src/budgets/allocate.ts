import type { Db } from '../db/types.js';
import type { BatchBuilder } from '../db/executor.js';
import { callerKey, type Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { formatPoints } from '../ledger/amount.js';
import { transactionView } from '../ledger/read.js';
import { requireOrgScope } from '../orgs/orgs.js';
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

/** Allocates points from the programme's issuance to the budget of an org in the caller's scope. */
export async function allocateToOrg(deps: AppDeps, caller: Caller, input: { org_id: string; amount: number; memo?: string }, idempotency: IdempotencyScope | undefined) {
  const { db, clock } = deps;
  await requireOrgScope(db, caller, input.org_id);
  const build = allocateBudget(db, {
    orgId: input.org_id,
    amount: input.amount,
    memo: input.memo ?? null,
    actor: callerKey(caller),
    now: clock().toISOString(),
  });
  return commitWrite(deps, idempotency, build, 201, (tx) => ({
    org_id: input.org_id,
    amount: formatPoints(input.amount),
    transaction: transactionView(tx),
  }));
}
