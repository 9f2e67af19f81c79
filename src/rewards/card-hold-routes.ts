import { z } from '@hono/zod-openapi';
import { defineRoute, IdParam, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { CardView } from './cards.js';
import { cardsOfMember, useCard } from './card-uses.js';
import { capturePickup, reserveForPickup, voidReservation } from './hold-ops.js';
import { findRewardHold, rewardHoldIdsOfMember, rewardHoldView } from './reward-holds.js';

const Cny = z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, 'must be an amount of CNY with at most two decimals');
const CodeParam = z.object({ code: z.string().min(4).max(60).openapi({ param: { name: 'code', in: 'path' } }) });

const HoldView = z
  .object({
    id: z.string(),
    reward_id: z.string(),
    merchant_id: z.string(),
    member_id: z.string(),
    quantity: z.number().int(),
    points: z.string(),
    status: z.enum(['held', 'captured', 'voided', 'expired']),
    expires_at: z.string(),
    created_at: z.string(),
    resolved_at: z.string().nullable(),
  })
  .openapi('RewardHold');

const myCardsRoute = defineRoute({
  method: 'get',
  path: '/v1/me/cards',
  operationId: 'listMyCards',
  tags: ['Worker'],
  summary: "The calling worker's discount cards, newest first",
  roles: ['worker'],
  responses: { 200: jsonResponse(z.object({ items: z.array(CardView) }), 'Cards'), ...problemResponses },
});

const useCardRoute = defineRoute({
  method: 'post',
  path: '/v1/cards/{code}/uses',
  operationId: 'useCard',
  tags: ['Merchant'],
  summary: 'Spend one use of a discount card (at its own merchant, before it expires, while uses are left)',
  roles: ['merchant'],
  request: { params: CodeParam, body: { required: false, content: { 'application/json': { schema: z.object({ bill_cny: Cny.optional() }).strict() } } } },
  responses: {
    201: jsonResponse(z.object({ card: CardView, use: z.number().int(), discount_cny: z.string().nullable() }).openapi('CardUse'), 'The use'),
    ...problemResponses,
  },
});

const reserveRoute = defineRoute({
  method: 'post',
  path: '/v1/holds',
  operationId: 'createHold',
  tags: ['Worker'],
  summary: 'Reserve a reward for pickup: its points and stock are held until the merchant captures or voids it, or it expires',
  roles: ['worker'],
  request: { body: jsonBody(z.object({ reward_id: z.string().min(1).max(200), quantity: z.number().int().min(1).max(100).default(1) }).strict().openapi('HoldInput')) },
  responses: { 201: jsonResponse(HoldView, 'The hold'), ...problemResponses },
});

const myHoldsRoute = defineRoute({
  method: 'get',
  path: '/v1/me/holds',
  operationId: 'listMyHolds',
  tags: ['Worker'],
  summary: "The calling worker's reservations, newest first",
  roles: ['worker'],
  responses: { 200: jsonResponse(z.object({ items: z.array(HoldView) }), 'Holds'), ...problemResponses },
});

const captureRoute = defineRoute({
  method: 'post',
  path: '/v1/holds/{id}/capture',
  operationId: 'captureHold',
  tags: ['Merchant'],
  summary: 'The worker picked the reward up: the held points become a redemption, with its receipt',
  roles: ['merchant'],
  request: { params: IdParam },
  responses: { 201: jsonResponse(z.record(z.string(), z.unknown()).openapi('Pickup'), 'The redemption'), ...problemResponses },
});

const voidRoute = defineRoute({
  method: 'post',
  path: '/v1/holds/{id}/void',
  operationId: 'voidHold',
  tags: ['Merchant', 'Worker'],
  summary: 'Cancel a reservation: points, stock and limit are released',
  roles: ['admin', 'merchant', 'worker'],
  request: { params: IdParam },
  responses: { 200: jsonResponse(HoldView, 'The hold'), ...problemResponses },
});

/** Discount cards and reward holds. */
export function cardAndHoldRoutes() {
  return newRouter()
    .openapi(myCardsRoute, async (c) => {
      const { db, clock } = c.get('deps');
      return c.json({ items: await cardsOfMember(db, c.get('caller').member_id!, clock().toISOString()) }, 200);
    })
    .openapi(useCardRoute, async (c) => {
      const bill = (c.req.valid('json') as { bill_cny?: string } | undefined)?.bill_cny ?? null;
      return c.json(await useCard(c.get('deps'), c.get('caller'), { code: c.req.valid('param').code, bill }, c.get('idempotency')), 201);
    })
    .openapi(reserveRoute, async (c) => c.json(await reserveForPickup(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201))
    .openapi(myHoldsRoute, async (c) => {
      const { db, clock } = c.get('deps');
      const ids = await rewardHoldIdsOfMember(db, c.get('caller').member_id!);
      const now = clock().toISOString();
      const items = [];
      for (const hold_id of ids) items.push(rewardHoldView((await findRewardHold(db, hold_id))!, now));
      return c.json({ items }, 200);
    })
    .openapi(captureRoute, async (c) => c.json(await capturePickup(c.get('deps'), c.get('caller'), c.req.valid('param'), c.get('idempotency')), 201))
    .openapi(voidRoute, async (c) => c.json(await voidReservation(c.get('deps'), c.get('caller'), c.req.valid('param'), c.get('idempotency')), 200));
}
