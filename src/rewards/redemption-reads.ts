import { conflict, notFound } from '../errors.js';
import type { Db } from '../db/types.js';
import { formatPoints } from '../ledger/amount.js';
import { findReward, type RewardRow } from './catalog.js';
import { cardView } from './cards.js';
import type { Redeemed, RedemptionRow } from './redeem.js';
import type { CodeFailure } from './redeem-attempts.js';

/** A reward of this merchant that is on the catalog. */
export async function activeRewardOf(db: Db, rewardId: string, merchantId: string): Promise<RewardRow> {
  const reward = await findReward(db, rewardId);
  if (!reward || reward.merchant_id !== merchantId) throw notFound(`Reward ${rewardId}`);
  if (reward.active !== 1) throw conflict('reward_inactive');
  return reward;
}

/** What a code hash means: valid (for whom), used, expired, or unknown. */
export type CodeState = { ok: true; member_id: string; expires_at: string } | { ok: false; reason: CodeFailure; expires_at: string | null; member_id: string | null };

/** What a code hash means right now. */
export async function codeState(db: Db, codeHash: string, now: string): Promise<CodeState> {
  const row = await db
    .selectFrom('redeem_codes as c')
    .leftJoin('redeem_code_uses as u', 'u.code_hash', 'c.code_hash')
    .select(['c.member_id', 'c.expires_at', 'u.code_hash as used'])
    .where('c.code_hash', '=', codeHash)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'invalid', expires_at: null, member_id: null };
  if (row.used) return { ok: false, reason: 'used', expires_at: row.expires_at, member_id: row.member_id };
  if (now >= row.expires_at) return { ok: false, reason: 'expired', expires_at: row.expires_at, member_id: row.member_id };
  return { ok: true, member_id: row.member_id, expires_at: row.expires_at };
}

/** Reads one redemption. */
export function findRedemption(db: Db, id: string): Promise<RedemptionRow | undefined> {
  return db.selectFrom('redemptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether a redemption was refunded. */
export async function isRefunded(db: Db, redemptionId: string): Promise<boolean> {
  return !!(await db.selectFrom('refunds').select('redemption_id').where('redemption_id', '=', redemptionId).executeTakeFirst());
}

/** A redemption as the API shows it, with whether it was refunded. */
export function redemptionView(r: RedemptionRow, refunded: boolean) {
  const { tx_id, ...rest } = r;
  return { ...rest, transaction_id: tx_id, unit_price: formatPoints(r.unit_price), points: formatPoints(r.points), refunded };
}

/** What a merchant gets back from a redemption or a pickup. */
export function redeemedView(r: Redeemed) {
  const { tx_id: _tx, ...redemption } = r.redemption;
  return {
    redemption: { ...redemption, transaction_id: r.redemption.tx_id, unit_price: formatPoints(r.redemption.unit_price), points: formatPoints(r.redemption.points) },
    transaction: { id: r.transaction.id, seq: r.transaction.seq, hash: r.transaction.hash },
    receipt: r.receipt,
    card: r.card ? cardView(r.card, 0, null, r.redemption.created_at) : null,
  };
}

/** A member's latest redemptions, newest first: where, what, how many points, whether refunded. */
export async function redemptionsOfMember(db: Db, memberId: string, limit: number) {
  const rows = await db
    .selectFrom('redemptions as r')
    .innerJoin('merchants as m', 'm.id', 'r.merchant_id')
    .innerJoin('rewards as w', 'w.id', 'r.reward_id')
    .leftJoin('refunds as f', 'f.redemption_id', 'r.id')
    .select(['r.id', 'm.name as merchant_name', 'w.name as reward_name', 'r.quantity', 'r.points', 'r.hold_id', 'r.created_at', 'f.redemption_id as refunded_id'])
    .where('r.member_id', '=', memberId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    merchant_name: r.merchant_name,
    reward_name: r.reward_name,
    quantity: r.quantity,
    points: formatPoints(r.points),
    by_code: r.hold_id === null,
    refunded: r.refunded_id !== null,
    created_at: r.created_at,
  }));
}
