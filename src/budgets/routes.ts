import { z } from '@hono/zod-openapi';
import { defineRoute, jsonBody, jsonResponse, newRouter, PageQuery, problemResponses } from '../http/router.js';
import { TransactionView } from '../accounts/schemas.js';
import { PositivePoints } from '../ledger/amount.js';
import { allocateToOrg } from './allocate.js';
import { allocationPage } from './allocation-list.js';

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

const AllocationListed = z
  .object({
    transaction_id: z.string(),
    seq: z.number().int(),
    org_id: z.string(),
    org_name: z.string(),
    amount: z.string(),
    memo: z.string().nullable(),
    actor: z.string().openapi({ description: 'Who allocated it, e.g. admin:li' }),
    created_at: z.string(),
    hash: z.string(),
    reversed_by: z.string().nullable().openapi({ description: 'The transaction that reversed it, if one did' }),
  })
  .openapi('BudgetAllocationListed');

const listRoute = defineRoute({
  method: 'get',
  path: '/v1/budget-allocations',
  operationId: 'listBudgetAllocations',
  tags: ['Admin', 'Organizer'],
  summary: 'Budget allocations, newest first',
  description:
    "Admins and auditors: every allocation; organizers: allocations to the orgs of their subtree (`org_id` outside it is 403). `org_id`: allocations to that org or the orgs under it. `next_cursor` is the seq of the page's last allocation, as in the ledger's other lists.",
  roles: ['admin', 'auditor', 'organizer'],
  request: {
    query: z.object({
      org_id: z.string().min(1).max(200).optional().openapi({ description: "Only allocations to this org's subtree" }),
      ...PageQuery,
    }),
  },
  responses: { 200: jsonResponse(z.object({ items: z.array(AllocationListed), next_cursor: z.string().nullable() }), 'A page of allocations'), ...problemResponses },
});

/** Routes for budgets. */
export function budgetRoutes() {
  return newRouter()
    .openapi(listRoute, async (c) => c.json(await allocationPage(c.get('deps'), c.get('caller'), c.req.valid('query')), 200))
    .openapi(allocateRoute, async (c) => c.json(await allocateToOrg(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201));
}
