import { z } from '@hono/zod-openapi';
import { defineRoute, IdParam, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { RewardView } from './catalog.js';
import { programmeCatalog, redemptionReceipt } from './browse.js';

const CatalogReward = RewardView.extend({
  merchant_name: z.string(),
  org_id: z.string().openapi({ description: 'The org the shop is registered in' }),
  org_name: z.string(),
}).openapi('CatalogReward');

const catalogRoute = defineRoute({
  method: 'get',
  path: '/v1/catalog',
  operationId: 'listCatalog',
  tags: ['Worker'],
  summary: "What there is to get: every reward on offer at the programme's merchants, with the shop's name and org",
  description:
    'Active rewards only, by org, shop, then the order they were added. `org_id`: only shops registered in that org or under it; `merchant_id`: one shop. Stock is what is left after reservations.',
  roles: ['admin', 'auditor', 'organizer', 'merchant', 'worker'],
  request: {
    query: z.object({
      org_id: z.string().min(1).max(200).optional().openapi({ description: "Only shops registered in this org's subtree" }),
      merchant_id: z.string().min(1).max(200).optional().openapi({ description: 'Only this shop' }),
    }),
  },
  responses: { 200: jsonResponse(z.object({ items: z.array(CatalogReward) }), 'Rewards on offer'), ...problemResponses },
});

const Receipt = z
  .object({
    redemption_id: z.string(),
    merchant_name: z.string(),
    reward_name: z.string(),
    receipt: z.string().openapi({ description: 'JWS (EdDSA) over the redemption, as issued at the till; verify with /.well-known/jwks.json' }),
    transaction: z.object({ id: z.string(), seq: z.number().int(), hash: z.string() }),
    refund: z.object({ reason: z.string(), created_at: z.string(), transaction_id: z.string() }).nullable(),
  })
  .openapi('RedemptionReceipt');

const receiptRoute = defineRoute({
  method: 'get',
  path: '/v1/redemptions/{id}/receipt',
  operationId: 'getRedemptionReceipt',
  tags: ['Worker', 'Merchant'],
  summary: "A redemption's signed receipt and its refund, if any (its worker, its merchant, admins and auditors)",
  roles: ['admin', 'auditor', 'merchant', 'worker'],
  request: { params: IdParam },
  responses: { 200: jsonResponse(Receipt, 'The receipt'), ...problemResponses },
});

/** What a worker can get, and the receipts of what it got. */
export function browseRoutes() {
  return newRouter()
    .openapi(catalogRoute, async (c) => {
      const q = c.req.valid('query');
      return c.json({ items: await programmeCatalog(c.get('deps').db, { orgId: q.org_id, merchantId: q.merchant_id }) }, 200);
    })
    .openapi(receiptRoute, async (c) => c.json(await redemptionReceipt(c.get('deps'), c.get('caller'), c.req.valid('param').id), 200));
}
