import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import type { ChainHead } from '../db/executor.js';
import { callerKey, type Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { notFound, refused } from '../errors.js';
import { newId } from '../ids.js';
import { formatPoints, formatPointsExact } from '../ledger/amount.js';
import { findAccount, merchantAccount, SETTLED_ACCOUNT } from '../ledger/accounts.js';
import { findTransaction, transactionView } from '../ledger/read.js';
import { appendTransaction, reversingPostings, type RecordedTransaction } from '../ledger/transactions.js';
import { requireMerchant } from './merchants.js';

/** CNY for an amount of points (hundredths) at the programme's rate, to the fen, half-even. */
export function pointsToCny(hundredths: number | string, rateCny: string): string {
  const fen = new Decimal(hundredths).times(rateCny).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
  return formatPointsExact(fen.toFixed(0)); // fen are hundredths of a yuan: the same two-decimal form
}

/**
 * A merchant's statement for [from, to): redemptions and refunds (counts and
 * points, per reward), the net points owed for the period and their CNY
 * value, settlements recorded in it and reversed in it, and the balance
 * still to settle.
 */
export async function settlementStatement(db: Db, merchantId: string, range: { from: string; to: string }, rateCny: string) {
  // Sums of points as exact text: a period's total may pass 2^53 hundredths.
  const redeemed = await sql<{ reward_id: string; name: string; n: number; quantity: number; points: string }>`
    SELECT r.reward_id, w.name, count(*) AS n, sum(r.quantity) AS quantity, CAST(sum(r.points) AS TEXT) AS points
    FROM redemptions r JOIN rewards w ON w.id = r.reward_id
    WHERE r.merchant_id = ${merchantId} AND r.created_at >= ${range.from} AND r.created_at < ${range.to}
    GROUP BY r.reward_id, w.name ORDER BY w.name`.execute(db);
  const refunded = await sql<{ n: number; points: string }>`
    SELECT count(*) AS n, CAST(coalesce(sum(r.points), 0) AS TEXT) AS points
    FROM refunds f JOIN redemptions r ON r.id = f.redemption_id
    WHERE r.merchant_id = ${merchantId} AND f.created_at >= ${range.from} AND f.created_at < ${range.to}`.execute(db);
  const settled = await sql<{ n: number; points: string }>`
    SELECT count(*) AS n, CAST(coalesce(sum(points), 0) AS TEXT) AS points FROM settlements
    WHERE merchant_id = ${merchantId} AND created_at >= ${range.from} AND created_at < ${range.to}`.execute(db);
  const reversed = await sql<{ n: number; points: string }>`
    SELECT count(*) AS n, CAST(coalesce(sum(s.points), 0) AS TEXT) AS points
    FROM settlement_reversals v JOIN settlements s ON s.id = v.settlement_id
    WHERE s.merchant_id = ${merchantId} AND v.created_at >= ${range.from} AND v.created_at < ${range.to}`.execute(db);
  const account = await db.selectFrom('accounts').select('posted').where('id', '=', merchantAccount(merchantId)).executeTakeFirst();
  const redeemedPoints = redeemed.rows.reduce((s, r) => s.plus(r.points), new Decimal(0)).toFixed(0);
  const refundedPoints = refunded.rows[0]?.points ?? '0';
  const net = new Decimal(redeemedPoints).minus(refundedPoints).toFixed(0);
  return {
    merchant_id: merchantId,
    from: range.from,
    to: range.to,
    rate_cny_per_point: rateCny,
    redemptions: {
      count: redeemed.rows.reduce((s, r) => s + Number(r.n), 0),
      points: formatPointsExact(redeemedPoints),
      by_reward: redeemed.rows.map((r) => ({ reward_id: r.reward_id, name: r.name, count: Number(r.n), quantity: Number(r.quantity), points: formatPointsExact(r.points) })),
    },
    refunds: { count: Number(refunded.rows[0]?.n ?? 0), points: formatPointsExact(refundedPoints) },
    net_points: formatPointsExact(net),
    net_cny: pointsToCny(net, rateCny),
    settled_in_period: { count: Number(settled.rows[0]?.n ?? 0), points: formatPointsExact(settled.rows[0]?.points) },
    settlements_reversed_in_period: { count: Number(reversed.rows[0]?.n ?? 0), points: formatPointsExact(reversed.rows[0]?.points) },
    unsettled_balance: formatPoints(account?.posted ?? 0),
    unsettled_cny: pointsToCny(account?.posted ?? 0, rateCny),
  };
}

/** Compiles a settlement: the merchant's redeemed points moved to the programme's settled account. */
export function settleMerchant(
  db: Db,
  head: ChainHead,
  input: { merchantId: string; points: number; rateCny: string; periodFrom: string | null; periodTo: string | null; reference: string | null; actor: string; now: string },
) {
  const id = newId('stl');
  const appended = appendTransaction(db, head, {
    kind: 'settlement',
    actor: input.actor,
    memo: input.reference,
    ref_type: 'settlement',
    ref_id: id,
    created_at: input.now,
    postings: [
      { account_id: merchantAccount(input.merchantId), amount: -input.points },
      { account_id: SETTLED_ACCOUNT, amount: input.points },
    ],
  });
  const row = {
    id,
    merchant_id: input.merchantId,
    points: input.points,
    cny: pointsToCny(input.points, input.rateCny),
    rate_cny: input.rateCny,
    period_from: input.periodFrom,
    period_to: input.periodTo,
    reference: input.reference,
    tx_id: appended.transaction.id,
    actor: input.actor,
    created_at: input.now,
  };
  return { statements: [...appended.statements, db.insertInto('settlements').values(row).compile()], head: appended.head, result: { settlement: row, transaction: appended.transaction } };
}

/**
 * Compiles the reversal of a settlement: the settlement's postings negated
 * (settled → the merchant's redeemed account) as a `settlement_reversal`, and
 * the row that the schema accepts once per settlement.
 */
export function reverseSettlement(
  db: Db,
  head: ChainHead,
  input: { settlementId: string; settled: RecordedTransaction; reason: string; actor: string; now: string },
) {
  const appended = appendTransaction(db, head, {
    kind: 'settlement_reversal',
    actor: input.actor,
    memo: input.reason,
    ref_type: 'settlement',
    ref_id: input.settlementId,
    reverses_id: input.settled.id,
    created_at: input.now,
    postings: reversingPostings(input.settled.postings),
  });
  const row = { settlement_id: input.settlementId, reason: input.reason, tx_id: appended.transaction.id, actor: input.actor, created_at: input.now };
  return { statements: [db.insertInto('settlement_reversals').values(row).compile(), ...appended.statements], head: appended.head, result: appended.transaction };
}

/** A settlement's id and the transaction that recorded it, if there is one. */
export function findSettlement(db: Db, id: string) {
  return db.selectFrom('settlements').select(['id', 'tx_id']).where('id', '=', id).executeTakeFirst();
}

/** What a settlement records: the merchant, its points (default: its whole unsettled balance), the period and a reference. */
export interface SettlementInput {
  merchant_id: string;
  points?: number;
  period_from?: string;
  period_to?: string;
  reference?: string;
}

/** Settles a merchant: its redeemed points move to the programme's settled account, valued at the programme's rate. */
export async function recordSettlement(deps: AppDeps, caller: Caller, input: SettlementInput, idempotency: IdempotencyScope | undefined) {
  const { db, clock, programme } = deps;
  const merchant = await requireMerchant(db, caller, input.merchant_id);
  const account = await findAccount(db, merchant.account_id);
  const points = input.points ?? account?.posted ?? 0;
  if (points <= 0) throw refused('nothing_to_settle');
  return commitWrite(
    deps,
    idempotency,
    (head) =>
      settleMerchant(db, head, {
        merchantId: merchant.id,
        points,
        rateCny: programme.pointValueCny,
        periodFrom: input.period_from ?? null,
        periodTo: input.period_to ?? null,
        reference: input.reference ?? null,
        actor: callerKey(caller),
        now: clock().toISOString(),
      }),
    201,
    (r) => ({ settlement: { ...r.settlement, points: formatPoints(r.settlement.points) }, transaction: transactionView(r.transaction) }),
  );
}

/** Reverses a settlement (a bank transfer that bounced): the merchant's redeemed balance comes back; the schema allows it once. */
export async function recordSettlementReversal(deps: AppDeps, caller: Caller, input: { id: string; reason: string }, idempotency: IdempotencyScope | undefined) {
  const { db, clock } = deps;
  const settlement = await findSettlement(db, input.id);
  const settled = settlement && (await findTransaction(db, settlement.tx_id));
  if (!settlement || !settled) throw notFound(`Settlement ${input.id}`);
  const reason = input.reason;
  return commitWrite(
    deps,
    idempotency,
    (head) => reverseSettlement(db, head, { settlementId: settlement.id, settled, reason, actor: callerKey(caller), now: clock().toISOString() }),
    201,
    (tx) => ({ settlement_id: settlement.id, reason, transaction: transactionView(tx) }),
  );
}
