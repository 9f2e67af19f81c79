import { createRoute, z } from '@hono/zod-openapi';
import { defineRoute, jsonBody, jsonResponse, newRouter, PageQuery, problemResponses } from '../http/router.js';
import { KEY_PATTERN } from '../http/idempotency.js';
import { badRequest } from '../errors.js';
import { issueSignInCode, listSignInCodes, revokeSignInCode } from './sign-in-codes.js';
import { exchangeSignInCode } from './exchange.js';

const ID = z.string().min(1).max(200);
const MemberParam = z.object({ id: ID.openapi({ param: { name: 'id', in: 'path' }, description: 'The member' }) });
const CodeParams = MemberParam.extend({ code_id: ID.openapi({ param: { name: 'code_id', in: 'path' }, description: 'The sign-in code’s id (not its text)' }) });

const SignInCode = z
  .object({
    id: z.string(),
    member_id: z.string(),
    status: z.enum(['active', 'used', 'expired', 'revoked']),
    expires_at: z.string(),
    created_at: z.string(),
    created_by: z.string(),
    used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi('SignInCode');

const IssuedSignInCode = SignInCode.extend({
  display_name: z.string().nullable().openapi({ description: 'The member’s name, to print on the card' }),
  code: z.string().nullable().openapi({ description: 'The code, shown once (null in a replay under the same Idempotency-Key: it is not stored)' }),
  url: z.string().nullable().openapi({ description: 'The sign-in link to put in the QR code (null in a replay)' }),
  qr_svg: z.string().nullable().openapi({ description: 'The link as an SVG QR code (null in a replay)' }),
}).openapi('IssuedSignInCode');

const RevokedSignInCode = SignInCode.extend({ reason: z.string().nullable() }).openapi('RevokedSignInCode');

const SignInCodeList = z
  .object({ member_id: z.string(), display_name: z.string().nullable(), items: z.array(SignInCode), next_cursor: z.string().nullable() })
  .openapi('SignInCodeList');

const enrolmentRoles = ['admin', 'organizer'] as const;
const scopeNote = 'Admins for any member; organizers for a member whose home org is in their subtree.';

const issueRoute = defineRoute({
  method: 'post',
  path: '/v1/members/{id}/sign-in-codes',
  operationId: 'createSignInCode',
  tags: ['Enrolment'],
  summary: 'Make a one-time sign-in code for a member (an enrolment card)',
  description: `${scopeNote} The code is shown once; only its SHA-256 is kept. It expires after JIFEN_SIGN_IN_CODE_TTL_DAYS.`,
  roles: enrolmentRoles,
  request: { params: MemberParam },
  responses: { 201: jsonResponse(IssuedSignInCode, 'The code, its link and QR code, and its expiry'), ...problemResponses },
});

const listRoute = defineRoute({
  method: 'get',
  path: '/v1/members/{id}/sign-in-codes',
  operationId: 'listSignInCodes',
  tags: ['Enrolment'],
  summary: 'A member’s sign-in codes and their status, newest first (never their text)',
  description: scopeNote,
  roles: enrolmentRoles,
  request: {
    params: MemberParam,
    query: z.object({ limit: PageQuery.limit, cursor: z.string().regex(/^sic_[0-9a-f]{32}$/).optional().openapi({ description: 'next_cursor from the previous page' }) }),
  },
  responses: { 200: jsonResponse(SignInCodeList, 'The codes'), ...problemResponses },
});

const revokeRoute = defineRoute({
  method: 'post',
  path: '/v1/members/{id}/sign-in-codes/{code_id}/revoke',
  operationId: 'revokeSignInCode',
  tags: ['Enrolment'],
  summary: 'Revoke a sign-in code; if it was used, the session it gave ends',
  description: scopeNote,
  roles: enrolmentRoles,
  request: {
    params: CodeParams,
    body: { required: false, content: { 'application/json': { schema: z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict() } } },
  },
  responses: { 201: jsonResponse(RevokedSignInCode, 'The code, revoked'), ...problemResponses },
});

const exchangeRoute = createRoute({
  method: 'post',
  path: '/v1/sign-in',
  operationId: 'signIn',
  tags: ['Enrolment'],
  summary: 'Exchange a sign-in code, once, for a session token (no token needed: the code is the credential)',
  description:
    'A retry with the same code and the same Idempotency-Key gets the same token again (Idempotent-Replayed: true); any other second exchange is refused.',
  security: [],
  request: { body: jsonBody(z.object({ code: z.string().min(1).max(100) }).strict().openapi('SignInInput')) },
  responses: {
    200: jsonResponse(
      z
        .object({
          token: z.string(),
          token_type: z.literal('Bearer'),
          expires_at: z.string(),
          member: z.object({ id: z.string(), display_name: z.string().nullable() }),
        })
        .openapi('SignInSession'),
      'A worker session for the code’s member',
    ),
    ...problemResponses,
  },
});

/** Enrolment: sign-in codes for members, and their exchange for a session. */
export function enrolmentRoutes() {
  return newRouter()
    .openapi(issueRoute, async (c) =>
      c.json(await issueSignInCode(c.get('deps'), c.get('caller'), { memberId: c.req.valid('param').id, origin: new URL(c.req.url).origin }, c.get('idempotency')), 201),
    )
    .openapi(listRoute, async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await listSignInCodes(c.get('deps'), c.get('caller'), { memberId: c.req.valid('param').id, limit, ...(cursor ? { cursor } : {}) }), 200);
    })
    .openapi(revokeRoute, async (c) => {
      const { id, code_id } = c.req.valid('param');
      const reason = c.req.valid('json')?.reason;
      return c.json(await revokeSignInCode(c.get('deps'), c.get('caller'), { memberId: id, codeId: code_id, ...(reason ? { reason } : {}) }, c.get('idempotency')), 201);
    })
    .openapi(exchangeRoute, async (c) => {
      const key = c.req.header('idempotency-key');
      if (key !== undefined && !KEY_PATTERN.test(key)) throw badRequest('invalid_idempotency_key');
      const { replayed, ...session } = await exchangeSignInCode(c.get('deps'), c.req.valid('json'), key);
      if (replayed) c.header('Idempotent-Replayed', 'true');
      // A bearer token: never cached by the browser or a proxy.
      c.header('Cache-Control', 'no-store');
      return c.json(session, 200);
    });
}
