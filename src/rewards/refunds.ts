import { sql, type CompiledQuery } from 'kysely';
import type { ChainHead } from '../db/executor.js';
import type { Db } from '../db/types.js';
import { merchantAccount, workerAccount } from '../ledger/accounts.js';
import { appendTransaction } from '../ledger/transactions.js';
import type { RedemptionRow } from './redeem.js';
import { callerKey, type Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { notFound } from '../errors.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { ownAccount } from '../accounts/access.js';
import { transactionView } from '../ledger/read.js';
import { findReward } from './catalog.js';
import { requireMerchant } from './merchants.js';
import { findRedemption } from './redemption-reads.js';

/**
 * Compiles a refund: a reversing transaction (merchant → worker), the stock
 * and the member's limit (what the redemption counted) given back, and the refund row — which the schema
 * accepts once, within the window, and only while the redemption's card is
 * unused (the row also revokes the card).
 */
export function refundRedemption(
  db: Db,
  head: ChainHead,
  input: { redemption: RedemptionRow; stockTracked: boolean; reason: string; actor: string; now: string },
) {
  const r = input.redemption;
  const appended = appendTransaction(db, head, {
    kind: 'redemption_refund',
    actor: input.actor,
    memo: input.reason,
    ref_type: 'redemption',
    ref_id: r.id,
    reverses_id: r.tx_id,
    created_at: input.now,
    postings: [
      { account_id: merchantAccount(r.merchant_id), amount: -r.points },
      { account_id: workerAccount(r.member_id), amount: r.points },
    ],
  });
  const giveBack: CompiledQuery[] = [];
  if (input.stockTracked) giveBack.push(sql`UPDATE rewards SET stock = stock + ${r.quantity} WHERE id = ${r.reward_id} AND stock IS NOT NULL`.compile(db));
  // The member's limit: the refund row's trigger gives back exactly what the
  // redemption recorded in redemption_counts (0007), whatever the reward says now.
  return {
    head: appended.head,
    transaction: appended.transaction,
    statements: [
      db.insertInto('refunds').values({ redemption_id: r.id, reason: input.reason, tx_id: appended.transaction.id, actor: input.actor, created_at: input.now }).compile(),
      ...appended.statements,
      ...giveBack,
    ],
  };
}

/**
 * Refunds a redemption for its merchant (or an admin) within the refund window.
 * The merchant sees its own leg of the reversing transaction, not the worker's account; an admin the whole.
 */
export async function refundForCaller(deps: AppDeps, caller: Caller, input: { id: string; reason: string }, idempotency: IdempotencyScope | undefined) {
  const { db, clock } = deps;
  const r = await findRedemption(db, input.id);
  if (!r) throw notFound(`Redemption ${input.id}`);
  await requireMerchant(db, caller, r.merchant_id);
  const reward = (await findReward(db, r.reward_id))!;
  const now = clock().toISOString();
  const own = ownAccount(caller);
  // The schema refuses a second refund, one past the refund window and one of a used card.
  return commitWrite(
    deps,
    idempotency,
    (head) => {
      const refund = refundRedemption(db, head, { redemption: r, stockTracked: reward.stock !== null, reason: input.reason, actor: callerKey(caller), now });
      return { statements: refund.statements, head: refund.head, result: refund.transaction };
    },
    200,
    (tx) => ({ redemption_id: r.id, transaction: transactionView(tx, own === undefined ? undefined : (account) => account === own) }),
  );
}
