import { z } from '@hono/zod-openapi';
import { defineRoute, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { TransactionView } from '../accounts/schemas.js';
import { badRequest } from '../errors.js';
import { SignedPoints } from '../ledger/amount.js';
import { recordAdjustment } from './adjust.js';

const AdjustmentInput = z
  .object({
    reason: z.string().trim().min(3).max(500),
    postings: z
      .array(z.object({ account_id: z.string().min(1).max(200), amount: SignedPoints }).strict())
      .min(2)
      .max(50)
      .optional(),
    reverses_transaction_id: z.string().min(1).max(200).optional(),
  })
  .strict()
  .openapi('AdjustmentInput', {
    description:
      'Either explicit balanced postings, or the id of a budget allocation or adjustment to reverse in full. What a claim, redemption, settlement or expiry owns is undone by that record\'s own operation (409 otherwise).',
  });

const adjustRoute = defineRoute({
  method: 'post',
  path: '/v1/adjustments',
  operationId: 'createAdjustment',
  tags: ['Admin'],
  summary: 'Record a correction: explicit balanced postings, or the reversal of a budget allocation or adjustment',
  roles: ['admin'],
  request: { body: jsonBody(AdjustmentInput) },
  responses: { 201: jsonResponse(TransactionView, 'The correcting transaction'), ...problemResponses },
});

/** Routes for admin corrections. */
export function adjustmentRoutes() {
  return newRouter().openapi(adjustRoute, async (c) => {
    const input = c.req.valid('json');
    if (!input.postings === !input.reverses_transaction_id) {
      throw badRequest('validation_failed', 'Give either postings or reverses_transaction_id, not both or neither', [
        { path: 'body.postings', message: 'exactly one of postings and reverses_transaction_id is required' },
      ]);
    }
    return c.json(await recordAdjustment(c.get('deps'), c.get('caller'), input, c.get('idempotency')), 201);
  });
}
