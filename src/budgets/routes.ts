import { z } from '@hono/zod-openapi';
import { defineRoute, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { TransactionView } from '../accounts/schemas.js';
import { PositivePoints } from '../ledger/amount.js';
import { allocateToOrg } from './allocate.js';

const AllocationInput = z
  .object({
    org_id: z.string().min(1).max(200),
    amount: PositivePoints,
    memo: z.string().trim().max(500).optional(),
  })
  .strict()
  .openapi('BudgetAllocationInput');

const allocateRoute = defineRoute({
  method: 'post',
  path: '/v1/budget-allocations',
  operationId: 'allocateBudget',
  tags: ['Admin'],
  summary: "Allocate points from the programme's issuance to an org's budget",
  roles: ['admin'],
  request: { body: jsonBody(AllocationInput) },
  responses: {
    201: jsonResponse(
      z.object({ org_id: z.string(), amount: z.string(), transaction: TransactionView }).openapi('BudgetAllocation'),
      'The allocation and its ledger transaction',
    ),
    ...problemResponses,
  },
});

/** Routes for budgets. */
export function budgetRoutes() {
  return newRouter().openapi(allocateRoute, async (c) => c.json(await allocateToOrg(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201));
}
