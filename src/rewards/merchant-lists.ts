import { sql } from 'kysely';
import type { Caller } from '../auth/caller.js';
import type { Db } from '../db/types.js';
import { badRequest } from '../errors.js';
import { idCursor, pageOf } from '../db/page-cursor.js';
import { formatPoints } from '../ledger/amount.js';
import { memberNumberText } from '../members/member-number.js';
import { requireMerchant } from './merchants.js';

// What a merchant's counter lists: the shop's redemptions and the reservations
// waiting to be picked up. People at the counter see the member's name and
// number, never an id; each row carries its id only for the next call.

/**
 * A merchant's redemptions, newest first (then by id), each with the reward's
 * name, the member's name and number, its refund if any, and whether a refund
 * would still be accepted now: not refunded, within `refundable_until` (set at
 * redemption from the programme's refund window) and no use of its card — the
 * same conditions the refunds table's guard applies. The cursor is the page's
 * last redemption.
 */
export async function merchantRedemptionPage(db: Db, caller: Caller, input: { merchant_id: string; now: string; limit: number; cursor?: string | undefined }) {
  const merchant = await requireMerchant(db, caller, input.merchant_id);
  const afterId = idCursor(input.cursor);
  let query = db
    .selectFrom('redemptions as r')
    .innerJoin('rewards as w', 'w.id', 'r.reward_id')
    .innerJoin('members as m', 'm.id', 'r.member_id')
    .leftJoin('refunds as f', 'f.redemption_id', 'r.id')
    .select(['r.id', 'r.created_at', 'r.reward_id', 'w.name as reward_name', 'w.kind as reward_kind', 'r.quantity', 'r.points', 'r.hold_id', 'r.refundable_until'])
    .select(['m.display_name as member_name', 'm.member_no', 'f.created_at as refunded_at', 'f.reason as refund_reason'])
    .select(sql<number>`EXISTS (SELECT 1 FROM cards c JOIN card_uses u ON u.card_id = c.id WHERE c.redemption_id = r.id)`.as('card_used'))
    .where('r.merchant_id', '=', merchant.id)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(input.limit + 1);
  if (afterId !== undefined) {
    // The cursor's redemption must be one of this merchant's.
    const after = await db.selectFrom('redemptions').select(['created_at', 'id']).where('id', '=', afterId).where('merchant_id', '=', merchant.id).executeTakeFirst();
    if (!after) throw badRequest('invalid_cursor');
    query = query.where(sql<boolean>`(r.created_at, r.id) < (${after.created_at}, ${after.id})`);
  }
  const { rows, next_cursor } = pageOf(await query.execute(), input.limit, (r) => r.id);
  const items = rows.map((r) => {
    const refunded = r.refunded_at !== null;
    return {
      id: r.id,
      created_at: r.created_at,
      reward_id: r.reward_id,
      reward_name: r.reward_name,
      reward_kind: r.reward_kind,
      quantity: r.quantity,
      points: formatPoints(r.points),
      member_name: r.member_name,
      member_no: memberNumberText(r.member_no),
      picked_up: r.hold_id !== null,
      refunded,
      refund: refunded ? { created_at: r.refunded_at!, reason: r.refund_reason! } : null,
      refundable_until: r.refundable_until,
      // The refunds guard refuses after refundable_until (strictly later), a second refund and a used card.
      can_refund: !refunded && input.now <= r.refundable_until && !r.card_used,
    };
  });
  return { items, next_cursor };
}

/**
 * A merchant's reservations waiting to be picked up: unresolved and not yet
 * lapsed, the soonest to lapse first (then by id), with the reward's name and
 * the member's name and number. The cursor is the page's last hold.
 */
export async function merchantHoldPage(db: Db, caller: Caller, input: { merchant_id: string; now: string; limit: number; cursor?: string | undefined }) {
  const merchant = await requireMerchant(db, caller, input.merchant_id);
  const afterId = idCursor(input.cursor);
  const open = () =>
    db
      .selectFrom('reward_holds as rh')
      .innerJoin('holds as h', 'h.id', 'rh.hold_id')
      .leftJoin('hold_resolutions as x', 'x.hold_id', 'h.id')
      .where('rh.merchant_id', '=', merchant.id)
      .where('x.hold_id', 'is', null)
      .where('h.expires_at', '>', input.now);
  let query = open()
    .innerJoin('rewards as w', 'w.id', 'rh.reward_id')
    .innerJoin('members as m', 'm.id', 'rh.member_id')
    .select(['h.id', 'h.created_at', 'h.expires_at', 'h.amount', 'rh.reward_id', 'w.name as reward_name', 'rh.quantity', 'm.display_name as member_name', 'm.member_no'])
    .orderBy('h.expires_at')
    .orderBy('h.id')
    .limit(input.limit + 1);
  if (afterId !== undefined) {
    // The cursor's hold must be one this list could show (a hold resolved since still anchors the order it had).
    const after = await db.selectFrom('reward_holds as rh').innerJoin('holds as h', 'h.id', 'rh.hold_id').select(['h.expires_at', 'h.id']).where('h.id', '=', afterId).where('rh.merchant_id', '=', merchant.id).executeTakeFirst();
    if (!after) throw badRequest('invalid_cursor');
    query = query.where(sql<boolean>`(h.expires_at, h.id) > (${after.expires_at}, ${after.id})`);
  }
  const { rows, next_cursor } = pageOf(await query.execute(), input.limit, (h) => h.id);
  const items = rows.map((h) => ({
    id: h.id,
    created_at: h.created_at,
    expires_at: h.expires_at,
    reward_id: h.reward_id,
    reward_name: h.reward_name,
    quantity: h.quantity,
    points: formatPoints(h.amount),
    member_name: h.member_name,
    member_no: memberNumberText(h.member_no),
  }));
  return { items, next_cursor };
}
