import { z } from '@hono/zod-openapi';
import { defineRoute, IdParam, jsonBody, jsonResponse, newRouter, PageQuery, problemResponses } from '../http/router.js';
import { orgBudgetAccount } from '../ledger/accounts.js';
import { budgetView } from '../budgets/budget-view.js';
import type { Caller } from '../auth/caller.js';
import { childOrgs, ORG_KINDS, registerOrg, requireOrgScope, type OrgKind, type OrgRow } from './orgs.js';
import { orgTreePage, type OrgNode as OrgNodeShape } from './org-tree.js';

const OrgInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(ORG_KINDS),
    parent_id: z.string().min(1).max(200).optional(),
  })
  .strict()
  .openapi('OrgInput');

const Org = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(ORG_KINDS),
    parent_id: z.string().nullable(),
    path: z.string(),
    budget_account_id: z.string(),
    created_at: z.string(),
  })
  .openapi('Org');

// Recursive: an org's children are org nodes.
const OrgNode: z.ZodType<OrgNodeShape> = z
  .lazy(() =>
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(ORG_KINDS),
      parent_id: z.string().nullable(),
      budget_account_id: z.string(),
      depth: z.number().int().openapi({ description: 'Levels below the top of the listed scope (0 for its top orgs)' }),
      created_at: z.string(),
      children: z.array(OrgNode).openapi({ description: 'The orgs directly under this one that are on the same page' }),
    }),
  )
  .openapi('OrgNode');

const listOrgsRoute = defineRoute({
  method: 'get',
  path: '/v1/orgs',
  operationId: 'listOrgs',
  tags: ['Admin', 'Organizer'],
  summary: 'The org tree in your scope, a page at a time',
  description:
    'Admins and auditors: every top-level org and everything under it; organizers: their own org and below; `org_id` roots the tree at an org of your scope. ' +
    'Pagination of a tree: the tree is walked in order — each org before the orgs under it, siblings by id (ids sort by when they were made) — and a page holds the next `limit` orgs of that walk, nested. ' +
    "An org whose parent is on the same page is among its parent's `children`; an org whose parent came on an earlier page stands at the top of `items`, and its `parent_id` and `depth` say where it hangs. " +
    'So a tree that fits in `limit` (up to 500) comes as one page, whole; following `next_cursor` to the end yields every org exactly once.',
  roles: ['admin', 'auditor', 'organizer'],
  request: {
    query: z.object({
      org_id: z.string().min(1).max(200).optional().openapi({ description: 'Only this org and the orgs under it' }),
      ...PageQuery,
    }),
  },
  responses: { 200: jsonResponse(z.object({ items: z.array(OrgNode), next_cursor: z.string().nullable() }).openapi('OrgTreePage'), 'A page of the org tree'), ...problemResponses },
});

const createOrgRoute = defineRoute({
  method: 'post',
  path: '/v1/orgs',
  operationId: 'createOrg',
  tags: ['Admin'],
  summary: 'Create an org (city, district, street, community, grid, station or industry committee)',
  roles: ['admin'],
  request: { body: jsonBody(OrgInput) },
  responses: { 201: jsonResponse(Org, 'The org, with its budget account'), ...problemResponses },
});

const Budget = z
  .object({
    org_id: z.string().openapi({ description: 'The org asked about' }),
    paying_org_id: z.string().openapi({ description: "The org whose budget pays for the asked org's claims: its own when it ever received an allocation, else the nearest org above it that did (the rule crediting uses)" }),
    paying_org_name: z.string(),
    account_id: z.string().openapi({ description: "The paying org's budget account; every figure below is of that budget" }),
    allocated: z.string(),
    credited: z.string(),
    revoked: z.string(),
    remaining: z.string(),
    pace: z.object({
      since: z.string().nullable().openapi({ description: "Where the window starts: the budget's first credit, or 30 days ago when that is older; null before any credit" }),
      window_days: z.number().int().openapi({ description: 'Days from `since` to now, a started day counted (1 to 30; 0 before any credit)' }),
      credited_in_window: z.string(),
      per_day: z.string(),
      days_left: z.number().int().nullable().openapi({ description: 'Days the remainder lasts at the recent pace; null when nothing was credited in the window' }),
    }),
  })
  .openapi('Budget');

const getOrgRoute = defineRoute({
  method: 'get',
  path: '/v1/orgs/{id}',
  operationId: 'getOrg',
  tags: ['Admin', 'Organizer'],
  summary: 'An org in your scope, with its direct children',
  roles: ['admin', 'auditor', 'organizer'],
  request: { params: IdParam },
  responses: { 200: jsonResponse(Org.extend({ children: z.array(Org) }), 'The org'), ...problemResponses },
});

const budgetRoute = defineRoute({
  method: 'get',
  path: '/v1/orgs/{id}/budget',
  operationId: 'getOrgBudget',
  tags: ['Organizer'],
  summary: "The budget that pays for an org's claims: allocated, credited, remaining, and its pace",
  description:
    "An org without a budget of its own is paid for by the nearest org above it that received an allocation; this answers with that budget (`paying_org_id`), even when the paying org is above the caller's scope. The pace counts from the budget's first credit (at most the last 30 days).",
  roles: ['admin', 'auditor', 'organizer'],
  request: { params: IdParam },
  responses: { 200: jsonResponse(Budget, 'The budget'), ...problemResponses },
});

const orgView = (org: OrgRow) => ({ ...org, kind: org.kind as OrgKind, budget_account_id: orgBudgetAccount(org.id) });
const scopeOf = (caller: Caller): Caller => (caller.role === 'auditor' ? { ...caller, role: 'admin' } : caller);

/** Routes for the org tree. */
export function orgRoutes() {
  return newRouter()
    .openapi(listOrgsRoute, async (c) => c.json(await orgTreePage(c.get('deps'), c.get('caller'), c.req.valid('query')), 200))
    .openapi(getOrgRoute, async (c) => {
      const { db } = c.get('deps');
      const org = await requireOrgScope(db, scopeOf(c.get('caller')), c.req.valid('param').id);
      const children = await childOrgs(db, org.id);
      return c.json({ ...orgView(org), children: children.map(orgView) }, 200);
    })
    .openapi(budgetRoute, async (c) => {
      const { db, clock } = c.get('deps');
      const org = await requireOrgScope(db, scopeOf(c.get('caller')), c.req.valid('param').id);
      return c.json(await budgetView(db, org.id, clock()), 200);
    })
    .openapi(createOrgRoute, async (c) => c.json(await registerOrg(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201));
}
