import { z } from '@hono/zod-openapi';
import { defineRoute, IdParam, jsonBody, jsonResponse, newRouter, PageQuery, problemResponses } from '../http/router.js';
import { notFound } from '../errors.js';
import { Balance } from '../accounts/schemas.js';
import { importMembers, IMPORT_MAX_ROWS, IMPORT_PATH } from './import.js';
import { changeMember, createMember, findMemberWithBalance, getMember, MEMBER_STATUSES, PLATFORMS, searchMembers } from './members.js';

const name = z.string().trim().min(1).max(100);
const externalRef = z.string().trim().min(1).max(200);

const MemberInput = z
  .object({
    display_name: name.optional(),
    platform: z.enum(PLATFORMS).optional(),
    home_org_id: z.string().min(1).max(200),
    external_ref: externalRef.optional(),
  })
  .strict()
  .openapi('MemberInput');

const Member = z
  .object({
    id: z.string(),
    member_no: z.string().openapi({ description: 'The number people say and type: digits, the last two a check (ISO 7064 MOD 97-10)', example: '100105' }),
    display_name: z.string().nullable(),
    platform: z.string().nullable(),
    home_org_id: z.string(),
    home_org_name: z.string().nullable(),
    external_ref: z.string().nullable(),
    status: z.enum(MEMBER_STATUSES),
    account_id: z.string(),
    created_at: z.string(),
  })
  .openapi('Member');

const MemberWithBalance = Member.extend({ balance: Balance }).openapi('MemberWithBalance');

const ChangeValues = z.record(z.string(), z.string().nullable());
const MemberChange = z
  .object({
    id: z.string(),
    actor: z.string().openapi({ description: 'Who made the change: role and token subject' }),
    reason: z.string().nullable(),
    before: ChangeValues.openapi({ description: 'The fields the change named, as they were' }),
    after: ChangeValues.openapi({ description: 'The same fields as the change set them' }),
    created_at: z.string(),
  })
  .openapi('MemberChange');

const MemberRef = z.object({
  id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' }, description: "The member's id or member number" }),
});

const createMemberRoute = defineRoute({
  method: 'post',
  path: '/v1/members',
  operationId: 'createMember',
  tags: ['Admin'],
  summary: 'Register a member (a pseudonymous worker) with its points account and member number',
  description: 'Admins anywhere; organizers for a home org in their subtree.',
  roles: ['admin', 'organizer'],
  request: { body: jsonBody(MemberInput) },
  responses: { 201: jsonResponse(Member, 'The member, its number and its account id'), ...problemResponses },
});

const searchRoute = defineRoute({
  method: 'get',
  path: '/v1/members',
  operationId: 'searchMembers',
  tags: ['Admin', 'Organizer'],
  summary: 'Find members by name, member number or external_ref, with their balances',
  description:
    'Admins and auditors search every member; organizers the members whose home org is in their subtree. `q` matches part of the name, the whole member number, the whole external_ref or the id. In member-number order.',
  roles: ['admin', 'auditor', 'organizer'],
  request: {
    query: z.object({
      q: z.string().trim().max(200).optional(),
      org_id: z.string().min(1).max(200).optional().openapi({ description: 'Only members whose home org is in this subtree' }),
      status: z.enum(MEMBER_STATUSES).optional(),
      ...PageQuery,
    }),
  },
  responses: {
    200: jsonResponse(z.object({ items: z.array(MemberWithBalance), next_cursor: z.string().nullable() }), 'A page of members'),
    ...problemResponses,
  },
});

const getRoute = defineRoute({
  method: 'get',
  path: '/v1/members/{id}',
  operationId: 'getMember',
  tags: ['Admin', 'Organizer'],
  summary: 'A member by id or member number, with its balance and every change made to it',
  roles: ['admin', 'auditor', 'organizer'],
  request: { params: MemberRef },
  responses: {
    200: jsonResponse(MemberWithBalance.extend({ changes: z.array(MemberChange) }).openapi('MemberDetail'), 'The member'),
    ...problemResponses,
  },
});

const MemberPatch = z
  .object({
    display_name: name.nullable().optional(),
    platform: z.enum(PLATFORMS).nullable().optional(),
    external_ref: externalRef.nullable().optional(),
    home_org_id: z.string().min(1).max(200).optional(),
    status: z.enum(MEMBER_STATUSES).optional().openapi({ description: 'deactivated: earns and redeems nothing, its sessions stop; active again to reactivate' }),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .openapi('MemberPatch');

const patchRoute = defineRoute({
  method: 'patch',
  path: '/v1/members/{id}',
  operationId: 'changeMember',
  tags: ['Admin', 'Organizer'],
  summary: "Change a member's name, platform, external_ref, home org or status; the change is kept",
  description: 'Admins any member; organizers members of their subtree, moved only within it.',
  roles: ['admin', 'organizer'],
  request: { params: MemberRef, body: jsonBody(MemberPatch) },
  responses: { 200: jsonResponse(Member, 'The member as changed'), ...problemResponses },
});

const flag = (description: string, fallback: 'true' | 'false') => z.enum(['true', 'false']).default(fallback).openapi({ description });

const ImportReport = z
  .object({
    dry_run: z.boolean(),
    encoding: z.enum(['utf-8', 'gb18030']).openapi({ description: 'How the file was read' }),
    lines: z.number().int().openapi({ description: 'Lines under the header row' }),
    created: z.number().int().openapi({ description: 'Members registered (on a dry run: that would be)' }),
    existing: z.number().int().openapi({ description: 'Lines whose external_ref is a member already, left as they are' }),
    refused: z.array(
      z.object({ line: z.number().int(), external_ref: z.string().nullable(), code: z.string(), detail: z.string() }).openapi('ImportRefusal'),
    ),
  })
  .openapi('ImportReport');

const importRoute = defineRoute({
  method: 'post',
  path: IMPORT_PATH,
  operationId: 'importMembers',
  tags: ['Admin', 'Organizer'],
  summary: 'Register members from a CSV spreadsheet (UTF-8, with or without BOM, or GB18030)',
  description:
    `The header row names the columns, in English or Chinese: display_name (姓名), platform (平台), home_org (所属组织: an org id, or the name of an org in your scope), external_ref (外部编号, the key: a line whose external_ref is a member already is left as it is, so importing a file again changes nothing). The encoding is the charset of the Content-Type, else UTF-8 when the file is UTF-8, else GB18030. Up to ${IMPORT_MAX_ROWS} lines. dry_run=true answers the report and writes nothing; atomic=true (default) refuses the file when any line is refused (422 import_refused, each line in errors), atomic=false registers the rest and lists the refused.`,
  roles: ['admin', 'organizer'],
  request: {
    query: z.object({ dry_run: flag('Answer the report, write nothing', 'false'), atomic: flag('Refuse the whole file when a line is refused', 'true') }),
    body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } } },
  },
  responses: {
    200: jsonResponse(ImportReport, 'The report of a dry run'),
    201: jsonResponse(ImportReport, 'The members were registered'),
    ...problemResponses,
  },
});

const meRoute = defineRoute({
  method: 'get',
  path: '/v1/me',
  operationId: 'getMe',
  tags: ['Worker'],
  summary: "The calling worker's member record and balance",
  roles: ['worker'],
  responses: { 200: jsonResponse(Member.extend({ balance: Balance }).openapi('Me'), 'Member and balance'), ...problemResponses },
});

/** Routes for members and the worker's own view. */
export function memberRoutes() {
  return newRouter()
    .openapi(createMemberRoute, async (c) => c.json(await createMember(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201))
    .openapi(searchRoute, async (c) => c.json(await searchMembers(c.get('deps'), c.get('caller'), c.req.valid('query')), 200))
    .openapi(getRoute, async (c) => c.json(await getMember(c.get('deps'), c.get('caller'), c.req.valid('param').id), 200))
    .openapi(patchRoute, async (c) =>
      c.json(await changeMember(c.get('deps'), c.get('caller'), c.req.valid('param').id, c.req.valid('json'), c.get('idempotency')), 200),
    )
    .openapi(importRoute, async (c) => {
      const q = c.req.valid('query');
      const dryRun = q.dry_run === 'true';
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const input = { bytes, contentType: c.req.header('content-type') ?? '', dryRun, atomic: q.atomic === 'true' };
      const report = await importMembers(c.get('deps'), c.get('caller'), input, c.get('idempotency'));
      return dryRun ? c.json(report, 200) : c.json(report, 201);
    })
    .openapi(meRoute, async (c) => {
      const found = await findMemberWithBalance(c.get('deps').db, c.get('caller').member_id!);
      if (!found) throw notFound(`Member ${c.get('caller').member_id}`);
      return c.json(found, 200);
    });
}
