import { z } from '@hono/zod-openapi';
import { defineRoute, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { formatPoints } from '../ledger/amount.js';

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
    const { db } = c.get('deps');
    const rows = await db
      .selectFrom('redemptions as r')
      .innerJoin('merchants as m', 'm.id', 'r.merchant_id')
      .innerJoin('rewards as w', 'w.id', 'r.reward_id')
      .leftJoin('refunds as f', 'f.redemption_id', 'r.id')
      .select(['r.id', 'm.name as merchant_name', 'w.name as reward_name', 'r.quantity', 'r.points', 'r.hold_id', 'r.created_at', 'f.redemption_id as refunded_id'])
      .where('r.member_id', '=', c.get('caller').member_id!)
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(c.req.valid('query').limit)
      .execute();
    const items = rows.map((r) => ({
      id: r.id,
      merchant_name: r.merchant_name,
      reward_name: r.reward_name,
      quantity: r.quantity,
      points: formatPoints(r.points),
      by_code: r.hold_id === null,
      refunded: r.refunded_id !== null,
      created_at: r.created_at,
    }));
    return c.json({ items }, 200);
  });
}
