import { z } from '@hono/zod-openapi';
import { forbidden, notFound } from '../errors.js';
import { defineRoute, IdParam, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { PositivePoints } from '../ledger/amount.js';
import { TransactionView } from '../accounts/schemas.js';
import { CardView } from './cards.js';
import { checkRedeemCode, issueRedeemCode, redeemByCode } from './code-redemption.js';
import { findRedemption, isRefunded, redemptionView } from './redemption-reads.js';
import { refundForCaller } from './refunds.js';

const CodeInput = z.string().trim().min(4).max(40).openapi({ example: 'K7QM-2XWD-9HPA' });

const RedemptionView = z
  .object({
    id: z.string(),
    merchant_id: z.string(),
    reward_id: z.string(),
    member_id: z.string(),
    quantity: z.number().int(),
    unit_price: z.string(),
    points: z.string(),
    transaction_id: z.string(),
    hold_id: z.string().nullable(),
    refundable_until: z.string(),
    created_at: z.string(),
  })
  .openapi('Redemption');

const RedeemedView = z
  .object({
    redemption: RedemptionView,
    transaction: z.object({ id: z.string(), seq: z.number().int(), hash: z.string() }),
    receipt: z.string().openapi({ description: 'JWS (EdDSA) over the redemption; verify with /.well-known/jwks.json' }),
    card: CardView.nullable(),
  })
  .openapi('Redeemed');

const issueCodeRoute = defineRoute({
  method: 'post',
  path: '/v1/me/redeem-codes',
  operationId: 'createRedeemCode',
  tags: ['Worker'],
  summary: 'A one-time, short-lived code to show (as a QR code) at a merchant',
  roles: ['worker'],
  request: {
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z
            .object({
              max_points: PositivePoints.optional().openapi({ description: "The most points this code may spend; the programme's default when omitted" }),
            })
            .strict()
            .openapi('RedeemCodeInput'),
        },
      },
    },
  },
  responses: {
    201: jsonResponse(
      z
        .object({
          code: z.string(),
          expires_at: z.string(),
          max_points: z.string().openapi({ description: 'The ceiling: a redemption costing more is refused (code_ceiling_exceeded)' }),
          qr_svg: z.string().openapi({ description: 'The code as an SVG QR code, ready to show' }),
        })
        .openapi('RedeemCode'),
      'The code',
    ),
    ...problemResponses,
  },
});

const checkCodeRoute = defineRoute({
  method: 'post',
  path: '/v1/redeem-codes/check',
  operationId: 'checkRedeemCode',
  tags: ['Merchant'],
  summary: 'Is this redeem code valid now? (says nothing about the worker)',
  roles: ['merchant'],
  request: { body: jsonBody(z.object({ code: CodeInput }).strict()) },
  responses: {
    200: jsonResponse(z.object({ valid: z.boolean(), expires_at: z.string().nullable(), reason: z.string().nullable() }).openapi('CodeCheck'), 'Validity'),
    ...problemResponses,
  },
});

const redeemRoute = defineRoute({
  method: 'post',
  path: '/v1/redemptions',
  operationId: 'createRedemption',
  tags: ['Merchant'],
  summary: "Redeem a worker's code for a reward: points, stock, limit and code in one atomic write, with a signed receipt",
  roles: ['merchant'],
  request: {
    body: jsonBody(
      z.object({ redeem_code: CodeInput, reward_id: z.string().min(1).max(200), quantity: z.number().int().min(1).max(1000).default(1) }).strict().openapi('RedemptionInput'),
    ),
  },
  responses: { 201: jsonResponse(RedeemedView, 'The redemption, its receipt and any card issued'), ...problemResponses },
});

const getRedemptionRoute = defineRoute({
  method: 'get',
  path: '/v1/redemptions/{id}',
  operationId: 'getRedemption',
  tags: ['Merchant', 'Worker'],
  summary: 'One redemption (its merchant, its worker, admins and auditors)',
  roles: ['admin', 'auditor', 'merchant', 'worker'],
  request: { params: IdParam },
  responses: { 200: jsonResponse(RedemptionView.extend({ refunded: z.boolean() }), 'The redemption'), ...problemResponses },
});

const refundRoute = defineRoute({
  method: 'post',
  path: '/v1/redemptions/{id}/refund',
  operationId: 'refundRedemption',
  tags: ['Merchant'],
  summary: 'Refund a redemption within the window: reversing transaction, stock restored, card revoked if unused',
  roles: ['admin', 'merchant'],
  request: { params: IdParam, body: jsonBody(z.object({ reason: z.string().trim().min(3).max(500) }).strict()) },
  responses: { 200: jsonResponse(z.object({ redemption_id: z.string(), transaction: TransactionView }).openapi('Refund'), 'The refund'), ...problemResponses },
});

/** Redeem codes, redemptions and refunds. */
export function redemptionRoutes() {
  return newRouter()
    .openapi(issueCodeRoute, async (c) => {
      const asked = (c.req.valid('json') as { max_points?: number } | undefined)?.max_points;
      return c.json(await issueRedeemCode(c.get('deps'), c.get('caller'), { maxPoints: asked }, c.get('idempotency')), 201);
    })
    .openapi(checkCodeRoute, async (c) => c.json(await checkRedeemCode(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 200))
    .openapi(redeemRoute, async (c) => c.json(await redeemByCode(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201))
    .openapi(getRedemptionRoute, async (c) => {
      const { db } = c.get('deps');
      const caller = c.get('caller');
      const r = await findRedemption(db, c.req.valid('param').id);
      if (!r) throw notFound(`Redemption ${c.req.valid('param').id}`);
      if ((caller.role === 'merchant' && caller.merchant_id !== r.merchant_id) || (caller.role === 'worker' && caller.member_id !== r.member_id)) {
        throw forbidden('Not your redemption');
      }
      return c.json(redemptionView(r, await isRefunded(db, r.id)), 200);
    })
    .openapi(refundRoute, async (c) =>
      c.json(await refundForCaller(c.get('deps'), c.get('caller'), { id: c.req.valid('param').id, reason: c.req.valid('json').reason }, c.get('idempotency')), 200),
    );
}
