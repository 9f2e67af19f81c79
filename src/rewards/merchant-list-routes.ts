import { z } from '@hono/zod-openapi';
import { defineRoute, IdParam, jsonResponse, newRouter, PageQuery, problemResponses } from '../http/router.js';
import { merchantHoldPage, merchantRedemptionPage } from './merchant-lists.js';

const MerchantRedemption = z
  .object({
    id: z.string(),
    created_at: z.string(),
    reward_id: z.string(),
    reward_name: z.string(),
    reward_kind: z.enum(['goods', 'discount_card']),
    quantity: z.number().int(),
    points: z.string(),
    member_name: z.string().nullable().openapi({ description: "The member's display name, if it has one" }),
    member_no: z.string().openapi({ description: 'The member number people read out' }),
    picked_up: z.boolean().openapi({ description: 'A pickup of a reservation (not a redeem code at the till)' }),
    refunded: z.boolean(),
    refund: z.object({ created_at: z.string(), reason: z.string() }).nullable(),
    refundable_until: z.string().openapi({ description: 'The end of its refund window' }),
    can_refund: z.boolean().openapi({ description: 'A refund would be accepted now: not refunded, within the window, its card (if any) unused' }),
  })
  .openapi('MerchantRedemption');

const MerchantPickup = z
  .object({
    id: z.string().openapi({ description: 'The hold, for POST /v1/holds/{id}/capture or /void' }),
    created_at: z.string(),
    expires_at: z.string().openapi({ description: 'When the reservation lapses if nobody picks it up' }),
    reward_id: z.string(),
    reward_name: z.string(),
    quantity: z.number().int(),
    points: z.string(),
    member_name: z.string().nullable(),
    member_no: z.string(),
  })
  .openapi('MerchantPickup');

const redemptionsRoute = defineRoute({
  method: 'get',
  path: '/v1/merchants/{id}/redemptions',
  operationId: 'listMerchantRedemptions',
  tags: ['Merchant'],
  summary: "A merchant's redemptions, newest first, with the member's name and number and whether each can still be refunded",
  description: 'A merchant sees only its own; admins and auditors any. Newest first, then by id; `next_cursor` continues after the last redemption of the page.',
  roles: ['admin', 'auditor', 'merchant'],
  request: { params: IdParam, query: z.object(PageQuery) },
  responses: { 200: jsonResponse(z.object({ items: z.array(MerchantRedemption), next_cursor: z.string().nullable() }), 'A page of redemptions'), ...problemResponses },
});

const holdsRoute = defineRoute({
  method: 'get',
  path: '/v1/merchants/{id}/holds',
  operationId: 'listMerchantHolds',
  tags: ['Merchant'],
  summary: 'Reservations waiting to be picked up at a merchant (open holds only), the soonest to lapse first',
  description: 'A merchant sees only its own; admins and auditors any. Captured, voided and lapsed holds are left out. `next_cursor` continues after the last hold of the page.',
  roles: ['admin', 'auditor', 'merchant'],
  request: { params: IdParam, query: z.object(PageQuery) },
  responses: { 200: jsonResponse(z.object({ items: z.array(MerchantPickup), next_cursor: z.string().nullable() }), 'A page of open holds'), ...problemResponses },
});

/** What a merchant's counter lists: its redemptions and the pickups waiting. */
export function merchantListRoutes() {
  return newRouter()
    .openapi(redemptionsRoute, async (c) => {
      const { db, clock } = c.get('deps');
      const input = { merchant_id: c.req.valid('param').id, now: clock().toISOString(), ...c.req.valid('query') };
      return c.json(await merchantRedemptionPage(db, c.get('caller'), input), 200);
    })
    .openapi(holdsRoute, async (c) => {
      const { db, clock } = c.get('deps');
      const input = { merchant_id: c.req.valid('param').id, now: clock().toISOString(), ...c.req.valid('query') };
      return c.json(await merchantHoldPage(db, c.get('caller'), input), 200);
    });
}
