import { sql, type CompiledQuery } from 'kysely';
import type { ChainHead } from '../db/executor.js';
import type { Db } from '../db/types.js';
import { merchantAccount, workerAccount } from '../ledger/accounts.js';
import { appendTransaction } from '../ledger/transactions.js';
import type { RedemptionRow } from './redeem.js';

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
