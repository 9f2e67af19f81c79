import { z } from '@hono/zod-openapi';
import { Decimal } from 'decimal.js';
import { formatPoints } from '../ledger/amount.js';
import type { CardRow } from './redeem.js';

export const CardView = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    merchant_id: z.string(),
    reward_id: z.string(),
    redemption_id: z.string(),
    percent_off: z.string().nullable(),
    amount_off_cny: z.string().nullable(),
    uses: z.number().int(),
    uses_left: z.number().int(),
    status: z.enum(['active', 'used_up', 'expired', 'revoked']),
    expires_at: z.string(),
    created_at: z.string(),
  })
  .openapi('Card');

/** A card as its holder (or the merchant) sees it. */
export function cardView(card: CardRow, used: number, revokedAt: string | null, now: string): z.infer<typeof CardView> {
  const status = revokedAt ? 'revoked' : now >= card.expires_at ? 'expired' : used >= card.uses ? 'used_up' : 'active';
  return {
    id: card.id,
    code: card.code,
    name: card.name,
    merchant_id: card.merchant_id,
    reward_id: card.reward_id,
    redemption_id: card.redemption_id,
    percent_off: card.percent_off,
    amount_off_cny: card.amount_off_cny,
    uses: card.uses,
    uses_left: Math.max(0, card.uses - used),
    status,
    expires_at: card.expires_at,
    created_at: card.created_at,
  };
}

/**
 * The discount one use of a card gives on a bill, in CNY with decimal.js:
 * percent off rounded to the fen half-even, or a fixed amount up to the bill.
 * @example discountFor({ percent_off: '15', amount_off_cny: null }, '88.00') // "13.20"
 */
export function discountFor(card: Pick<CardRow, 'percent_off' | 'amount_off_cny'>, billCny: string): string {
  const bill = new Decimal(billCny);
  const discount = card.percent_off
    ? bill.times(card.percent_off).div(100)
    : Decimal.min(bill, new Decimal(card.amount_off_cny ?? 0));
  return formatPoints(discount.times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toNumber());
}
