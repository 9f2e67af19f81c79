import { z } from '@hono/zod-openapi';
import { commitWrite } from '../db/write-runner.js';
import { defineRoute, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { TransactionView } from '../accounts/schemas.js';
import { badRequest, notFound } from '../errors.js';
import { SignedPoints } from '../ledger/amount.js';
import { findTransaction, transactionView } from '../ledger/read.js';
import { callerKey } from '../auth/caller.js';
import { adjustLedger } from './adjust.js';

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
    const { db, clock } = c.get('deps');
    if (!input.postings === !input.reverses_transaction_id) {
      throw badRequest('validation_failed', 'Give either postings or reverses_transaction_id, not both or neither', [
        { path: 'body.postings', message: 'exactly one of postings and reverses_transaction_id is required' },
      ]);
    }
    let reverses;
    if (input.reverses_transaction_id) {
      reverses = await findTransaction(db, input.reverses_transaction_id);
      // What may be reversed here (budget allocations and adjustments, not
      // what a claim, redemption, settlement or expiry owns) is the schema's rule.
      if (!reverses) throw notFound(`Transaction ${input.reverses_transaction_id}`);
    }
    const build = adjustLedger(db, {
      ...(input.postings ? { postings: input.postings } : {}),
      ...(reverses ? { reverses } : {}),
      reason: input.reason,
      actor: callerKey(c.get('caller')),
      now: clock().toISOString(),
    });
    const body = await commitWrite(c.get('deps'), c.get('idempotency'), build, 201, transactionView);
    return c.json(body, 201);
  });
}
