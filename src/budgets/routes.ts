import { z } from '@hono/zod-openapi';
import { commitWrite } from '../db/write-runner.js';
import { defineRoute, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { TransactionView } from '../accounts/schemas.js';
import { formatPoints, PositivePoints } from '../ledger/amount.js';
import { transactionView } from '../ledger/read.js';
import { requireOrgScope } from '../orgs/orgs.js';
import { callerKey } from '../auth/caller.js';
import { allocateBudget } from './allocate.js';

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
  return newRouter().openapi(allocateRoute, async (c) => {
    const input = c.req.valid('json');
    const { db, clock } = c.get('deps');
    await requireOrgScope(db, c.get('caller'), input.org_id);
    const build = allocateBudget(db, {
      orgId: input.org_id,
      amount: input.amount,
      memo: input.memo ?? null,
      actor: callerKey(c.get('caller')),
      now: clock().toISOString(),
    });
    const body = await commitWrite(c.get('deps'), c.get('idempotency'), build, 201, (tx) => ({
      org_id: input.org_id,
      amount: formatPoints(input.amount),
      transaction: transactionView(tx),
    }));
    return c.json(body, 201);
  });
}
