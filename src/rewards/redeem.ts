import { sql, type CompiledQuery } from 'kysely';
import type { ChainHead } from '../db/executor.js';
import type { Database, Db } from '../db/types.js';
import { jsonRows } from '../db/dialect.js';
import type { ServiceSigner } from '../auth/signing.js';
import { newId } from '../ids.js';
import { formatPoints } from '../ledger/amount.js';
import { merchantAccount, workerAccount } from '../ledger/accounts.js';
import { appendTransaction, type RecordedTransaction } from '../ledger/transactions.js';
import { captureHold, type Hold } from '../ledger/holds.js';
import { newCardCode } from './codes.js';
import type { RewardRow } from './catalog.js';

export type RedemptionRow = Database['redemptions'];
export type CardRow = Database['cards'];

/** What a redemption answers: the record, its signed receipt, and the card it issued. */
export interface Redeemed {
  redemption: RedemptionRow;
  transaction: RecordedTransaction;
  card: CardRow | null;
  receipt: string;
}

/** Counts a member's take of a limited reward in each period; the schema refuses passing the limit. */
export function countTowardLimit(db: Db, reward: RewardRow, memberId: string, quantity: number, periods: readonly string[]): CompiledQuery[] {
  if (periods.length === 0 || reward.per_member_limit === null) return [];
  const rows = periods.map((period) => ({ reward_id: reward.id, member_id: memberId, period, quantity, max: reward.per_member_limit! }));
  return [
    sql`INSERT INTO reward_member_counts (reward_id, member_id, period, quantity, max)
        SELECT j.value ->> 'reward_id', j.value ->> 'member_id', j.value ->> 'period', CAST(j.value ->> 'quantity' AS BIGINT), CAST(j.value ->> 'max' AS BIGINT)
        FROM ${jsonRows(db, JSON.stringify(rows), 'j')} WHERE true
        ON CONFLICT (reward_id, member_id, period) DO UPDATE SET quantity = reward_member_counts.quantity + excluded.quantity, max = excluded.max`.compile(db),
  ];
}

/** Records what a redemption counted toward the limit, so its refund gives back exactly that (schema 0007). */
function recordCounts(db: Db, redemption: RedemptionRow, reward: RewardRow, periods: readonly string[]): CompiledQuery[] {
  if (periods.length === 0 || reward.per_member_limit === null) return [];
  const rows = periods.map((period) => ({ redemption_id: redemption.id, reward_id: reward.id, member_id: redemption.member_id, period, quantity: redemption.quantity }));
  return [db.insertInto('redemption_counts').values(rows).compile()];
}

/** Takes stock; the schema's CHECK refuses going below zero (unlimited rewards have no stock). */
export function takeStock(db: Db, reward: RewardRow, quantity: number): CompiledQuery[] {
  if (reward.stock === null) return [];
  return [sql`UPDATE rewards SET stock = stock - ${quantity} WHERE id = ${reward.id} AND stock IS NOT NULL`.compile(db)];
}

/** The card a discount-card redemption issues. */
function issueCard(reward: RewardRow, redemption: RedemptionRow, now: string): CardRow | null {
  if (reward.kind !== 'discount_card') return null;
  return {
    id: newId('card'),
    code: newCardCode(),
    redemption_id: redemption.id,
    member_id: redemption.member_id,
    merchant_id: redemption.merchant_id,
    reward_id: reward.id,
    name: reward.name,
    percent_off: reward.card_percent_off,
    amount_off_cny: reward.card_amount_off_cny,
    uses: reward.card_uses!,
    expires_at: new Date(Date.parse(now) + reward.card_valid_days! * 86_400_000).toISOString(),
    created_at: now,
  };
}

/** The signed statement a merchant and worker keep: who, what, how many points, and where in the chain. */
export function signReceipt(
  signer: ServiceSigner,
  r: { redemption: RedemptionRow; transaction: Pick<RecordedTransaction, 'id' | 'seq' | 'hash'>; card: CardRow | null },
  reward: RewardRow,
): string {
  return signer.sign(
    {
      iss: 'jifen',
      redemption_id: r.redemption.id,
      merchant_id: r.redemption.merchant_id,
      member_id: r.redemption.member_id,
      reward: { id: reward.id, name: reward.name, kind: reward.kind },
      quantity: r.redemption.quantity,
      unit_price: formatPoints(r.redemption.unit_price),
      points: formatPoints(r.redemption.points),
      transaction: { id: r.transaction.id, seq: r.transaction.seq, hash: r.transaction.hash },
      card: r.card ? { code: r.card.code, expires_at: r.card.expires_at, uses: r.card.uses } : null,
      issued_at: r.redemption.created_at,
    },
    'jifen-receipt+jwt',
  );
}

/** The redemption row, its card if any, and the receipt naming the transaction. */
function recordRedemption(db: Db, signer: ServiceSigner, reward: RewardRow, redemption: RedemptionRow, transaction: RecordedTransaction) {
  const card = issueCard(reward, redemption, redemption.created_at);
  const statements = [db.insertInto('redemptions').values(redemption).compile(), ...(card ? [db.insertInto('cards').values(card).compile()] : [])];
  const result = { redemption, transaction, card };
  return { statements, result: { ...result, receipt: signReceipt(signer, result, reward) } };
}

/** A redemption row for `quantity` units at `unitPrice` (the transaction id is set when known). */
function newRedemption(input: Omit<RedeemInput, 'periods'>, unitPrice: number, holdId: string | null): RedemptionRow {
  return {
    id: newId('red'),
    merchant_id: input.reward.merchant_id,
    reward_id: input.reward.id,
    member_id: input.memberId,
    quantity: input.quantity,
    unit_price: unitPrice,
    points: unitPrice * input.quantity,
    tx_id: '',
    hold_id: holdId,
    refundable_until: input.refundableUntil,
    created_at: input.now,
  };
}

interface RedeemInput {
  reward: RewardRow;
  memberId: string;
  quantity: number;
  now: string;
  refundableUntil: string;
  actor: string;
  periods: readonly string[];
}

/**
 * Compiles a redemption against a one-time code: points worker → merchant,
 * the code consumed, stock taken, the member's limit counted, a card issued
 * for a card reward — one atomic write, every guard in the schema.
 */
export function redeemWithCode(db: Db, head: ChainHead, signer: ServiceSigner, input: RedeemInput & { codeHash: string }) {
  const redemption = newRedemption(input, input.reward.price, null);
  const points = redemption.points;
  const appended = appendTransaction(db, head, {
    kind: 'redemption',
    actor: input.actor,
    memo: `${input.quantity} × ${input.reward.name}`,
    ref_type: 'redemption',
    ref_id: redemption.id,
    created_at: input.now,
    postings: [
      { account_id: workerAccount(input.memberId), amount: -points },
      { account_id: merchantAccount(input.reward.merchant_id), amount: points },
    ],
  });
  redemption.tx_id = appended.transaction.id;
  const recorded = recordRedemption(db, signer, input.reward, redemption, appended.transaction);
  const statements = [
    db.insertInto('redeem_code_uses').values({ code_hash: input.codeHash, member_id: input.memberId, used_for: redemption.id, created_at: input.now }).compile(),
    ...appended.statements,
    ...recorded.statements,
    ...takeStock(db, input.reward, input.quantity),
    ...countTowardLimit(db, input.reward, input.memberId, input.quantity, input.periods),
    ...recordCounts(db, redemption, input.reward, input.periods),
  ];
  return { statements, head: appended.head, result: recorded.result };
}

/**
 * Compiles the pickup of a reserved reward: the ledger hold captured (points
 * worker → merchant), recorded as a redemption with its receipt. Stock and
 * the member's limit were taken when the hold was made.
 */
export function redeemHold(
  db: Db,
  head: ChainHead,
  signer: ServiceSigner,
  input: Omit<RedeemInput, 'periods'> & { hold: Hold; unitPrice: number },
) {
  const captured = captureHold(db, head, input.hold, { amount: input.hold.amount, actor: input.actor, created_at: input.now, memo: `pickup: ${input.quantity} × ${input.reward.name}` });
  const redemption = { ...newRedemption(input, input.unitPrice, input.hold.id), points: input.hold.amount, tx_id: captured.transaction.id };
  const recorded = recordRedemption(db, signer, input.reward, redemption, captured.transaction);
  return { statements: [...captured.statements, ...recorded.statements], head: captured.head, result: recorded.result };
}
