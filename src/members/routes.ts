import { z } from '@hono/zod-openapi';
import { defineRoute, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { notFound } from '../errors.js';
import { balanceView } from '../ledger/accounts.js';
import { Balance } from '../accounts/schemas.js';
import { createMember, findMemberWithBalance, PLATFORMS } from './members.js';

const MemberInput = z
  .object({
    display_name: z.string().trim().min(1).max(100).optional(),
    platform: z.enum(PLATFORMS).optional(),
    home_org_id: z.string().min(1).max(200),
    external_ref: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .openapi('MemberInput');

const Member = z
  .object({
    id: z.string(),
    display_name: z.string().nullable(),
    platform: z.string().nullable(),
    home_org_id: z.string(),
    external_ref: z.string().nullable(),
    account_id: z.string(),
    created_at: z.string(),
  })
  .openapi('Member');

const createMemberRoute = defineRoute({
  method: 'post',
  path: '/v1/members',
  operationId: 'createMember',
  tags: ['Admin'],
  summary: 'Register a member (a pseudonymous worker) with its points account',
  description: 'Admins anywhere; organizers for a home org in their subtree.',
  roles: ['admin', 'organizer'],
  request: { body: jsonBody(MemberInput) },
  responses: { 201: jsonResponse(Member, 'The member and its account id'), ...problemResponses },
});

const meRoute = defineRoute({
  method: 'get',
  path: '/v1/me',
  operationId: 'getMe',
  tags: ['Worker'],
  summary: "The calling worker's member record and balance",
  roles: ['worker'],
  responses: {
    200: jsonResponse(Member.extend({ balance: Balance }).openapi('Me'), 'Member and balance'),
    ...problemResponses,
  },
});

/** Routes for members and the worker's own view. */
export function memberRoutes() {
  return newRouter()
    .openapi(createMemberRoute, async (c) => c.json(await createMember(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201))
    .openapi(meRoute, async (c) => {
      const { db } = c.get('deps');
      const found = await findMemberWithBalance(db, c.get('caller').member_id!);
      if (!found) throw notFound(`Member ${c.get('caller').member_id}`);
      const { posted, held, ...member } = found;
      return c.json({ ...member, balance: balanceView(posted ?? 0, held ?? 0) }, 200);
    });
}
