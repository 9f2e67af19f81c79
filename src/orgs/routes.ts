import { z } from '@hono/zod-openapi';
import { commitWrite } from '../http/idempotency.js';
import { defineRoute, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { notFound } from '../errors.js';
import { createOrg, findOrg, ORG_KINDS } from './orgs.js';

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

const createOrgRoute = defineRoute({
  method: 'post',
  path: '/v1/orgs',
  tags: ['Admin'],
  summary: 'Create an org (city, district, street, community, grid, station or industry committee)',
  roles: ['admin'],
  request: { body: jsonBody(OrgInput) },
  responses: { 201: jsonResponse(Org, 'The org, with its budget account'), ...problemResponses },
});

/** Routes for the org tree. */
export function orgRoutes() {
  return newRouter().openapi(createOrgRoute, async (c) => {
    const input = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const parent = input.parent_id ? await findOrg(db, input.parent_id) : null;
    if (input.parent_id && !parent) throw notFound(`Parent org ${input.parent_id}`);
    const body = await commitWrite(
      c,
      createOrg(db, { name: input.name, kind: input.kind, parent: parent ?? null }, clock().toISOString()),
      201,
      (org) => ({ ...org, kind: input.kind }),
    );
    return c.json(body, 201);
  });
}
