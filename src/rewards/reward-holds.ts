import type { CompiledQuery } from 'kysely';
import type { Db } from '../db/types.js';
import { newId } from '../ids.js';
import { formatPoints } from '../ledger/amount.js';
import { merchantAccount, workerAccount } from '../ledger/accounts.js';
import { reserveHold, type Hold } from '../ledger/holds.js';
import type { RewardRow } from './catalog.js';
import { countTowardLimit, takeStock } from './redeem.js';

/**
 * Compiles a reservation for pickup: a ledger hold on the worker's points
 * (destined for the merchant), the stock and the member's limit taken now.
 * A void or an expiry gives stock and limit back (a trigger on the hold's
 * resolution), so every path out of a hold restores what it took.
 */
export function reserveReward(
  db: Db,
  input: { reward: RewardRow; memberId: string; quantity: number; periods: readonly string[]; now: string; expiresAt: string; actor: string },
): { statements: CompiledQuery[]; hold: Hold } {
  const holdId = newId('hold');
  const { statements, hold } = reserveHold(db, {
    id: holdId,
    account_id: workerAccount(input.memberId),
    destination_account_id: merchantAccount(input.reward.merchant_id),
    amount: input.reward.price * input.quantity,
    ref_type: 'reward',
    ref_id: input.reward.id,
    actor: input.actor,
    expires_at: input.expiresAt,
    created_at: input.now,
  });
  return {
    hold,
    statements: [
      ...statements,
      db
        .insertInto('reward_holds')
        .values({
          hold_id: holdId,
          reward_id: input.reward.id,
          merchant_id: input.reward.merchant_id,
          member_id: input.memberId,
          quantity: input.quantity,
          unit_price: input.reward.price,
          periods: JSON.stringify(input.periods),
        })
        .compile(),
      ...takeStock(db, input.reward, input.quantity),
      ...countTowardLimit(db, input.reward, input.memberId, input.quantity, input.periods),
    ],
  };
}

/** A reward hold with its ledger hold and how it was resolved. */
export async function findRewardHold(db: Db, holdId: string) {
  return db
    .selectFrom('reward_holds as rh')
    .innerJoin('holds as h', 'h.id', 'rh.hold_id')
    .leftJoin('hold_resolutions as r', 'r.hold_id', 'h.id')
    .selectAll('h')
    .select(['rh.reward_id', 'rh.merchant_id', 'rh.member_id', 'rh.quantity', 'rh.unit_price', 'r.kind as resolution', 'r.created_at as resolved_at'])
    .where('rh.hold_id', '=', holdId)
    .executeTakeFirst();
}

/** A reward hold as the API shows it; `status` follows the clock for an unresolved hold past its time. */
export function rewardHoldView(h: NonNullable<Awaited<ReturnType<typeof findRewardHold>>>, now: string) {
  const status: 'held' | 'captured' | 'voided' | 'expired' = h.resolution === 'capture' ? 'captured' : h.resolution === 'void' ? 'voided' : h.resolution === 'expire' || now >= h.expires_at ? 'expired' : 'held';
  return {
    id: h.id,
    reward_id: h.reward_id,
    merchant_id: h.merchant_id,
    member_id: h.member_id,
    quantity: h.quantity,
    points: formatPoints(h.amount),
    status,
    expires_at: h.expires_at,
    created_at: h.created_at,
    resolved_at: h.resolved_at ?? null,
  };
}

/** The ids of a member's latest reward holds (at most 200), newest first. */
export async function rewardHoldIdsOfMember(db: Db, memberId: string): Promise<string[]> {
  const rows = await db.selectFrom('reward_holds as rh').innerJoin('holds as h', 'h.id', 'rh.hold_id').select('rh.hold_id').where('rh.member_id', '=', memberId).orderBy('h.created_at', 'desc').limit(200).execute();
  return rows.map((r) => r.hold_id);
}
