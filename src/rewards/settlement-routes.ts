import { z } from '@hono/zod-openapi';
import { defineRoute, IdParam, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { PositivePoints } from '../ledger/amount.js';
import { TransactionView } from '../accounts/schemas.js';
import { recordSettlement, recordSettlementReversal } from './settlement.js';

const Instant = z.iso.datetime({ offset: true });

const settleRoute = defineRoute({
  method: 'post',
  path: '/v1/settlements',
  operationId: 'createSettlement',
  tags: ['Admin'],
  summary: "Record a settlement: the merchant's redeemed points move to the programme's settled account",
  roles: ['admin'],
  request: {
    body: jsonBody(
      z
        .object({
          merchant_id: z.string().min(1).max(200),
          points: PositivePoints.optional().openapi({ description: "Default: the merchant's whole unsettled balance" }),
          period_from: Instant.optional(),
          period_to: Instant.optional(),
          reference: z.string().trim().min(1).max(200).optional().openapi({ description: 'e.g. the bank transfer reference' }),
        })
        .strict()
        .openapi('SettlementInput'),
    ),
  },
  responses: {
    201: jsonResponse(z.object({ settlement: z.record(z.string(), z.unknown()), transaction: TransactionView }).openapi('Settlement'), 'The settlement'),
    ...problemResponses,
  },
});

const reverseRoute = defineRoute({
  method: 'post',
  path: '/v1/settlements/{id}/reverse',
  operationId: 'reverseSettlement',
  tags: ['Admin'],
  summary: "Reverse a settlement (e.g. a bank transfer that bounced): the merchant's redeemed balance comes back, to be settled again",
  description: 'Once per settlement; the reversal is final. The generic reversal of /v1/adjustments refuses settlements.',
  roles: ['admin'],
  request: { params: IdParam, body: jsonBody(z.object({ reason: z.string().trim().min(3).max(500) }).strict().openapi('SettlementReversalInput')) },
  responses: {
    201: jsonResponse(
      z.object({ settlement_id: z.string(), reason: z.string(), transaction: TransactionView }).openapi('SettlementReversal'),
      'The reversal',
    ),
    ...problemResponses,
  },
});

/** Settling a merchant and reversing a settlement (admin). */
export function settlementRoutes() {
  return newRouter()
    .openapi(settleRoute, async (c) => c.json(await recordSettlement(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201))
    .openapi(reverseRoute, async (c) => {
      const input = { id: c.req.valid('param').id, reason: c.req.valid('json').reason };
      return c.json(await recordSettlementReversal(c.get('deps'), c.get('caller'), input, c.get('idempotency')), 201);
    });
}
