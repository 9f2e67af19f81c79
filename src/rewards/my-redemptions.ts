import { z } from '@hono/zod-openapi';
import { defineRoute, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { redemptionsOfMember } from './redemption-reads.js';

const MyRedemption = z
  .object({
    id: z.string(),
    merchant_name: z.string(),
    reward_name: z.string(),
    quantity: z.number().int(),
    points: z.string(),
    by_code: z.boolean().openapi({ description: 'Redeemed with a redeem code (not a pickup of a reservation)' }),
    refunded: z.boolean(),
    created_at: z.string(),
  })
  .openapi('MyRedemption');

const myRedemptionsRoute = defineRoute({
  method: 'get',
  path: '/v1/me/redemptions',
  operationId: 'listMyRedemptions',
  tags: ['Worker'],
  summary: "The calling worker's latest redemptions, newest first: where, what, how many points",
  roles: ['worker'],
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(MyRedemption) }), 'Redemptions'), ...problemResponses },
});

/** The worker's own redemptions, so the page showing a code can say when and where it was spent. */
export function myRedemptionRoutes() {
  return newRouter().openapi(myRedemptionsRoute, async (c) => {
    const items = await redemptionsOfMember(c.get('deps').db, c.get('caller').member_id!, c.req.valid('query').limit);
    return c.json({ items }, 200);
  });
}
