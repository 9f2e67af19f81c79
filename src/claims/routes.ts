import { memberFilterId } from '../members/members.js';
import { z } from '@hono/zod-openapi';
import { badRequest, forbidden, notFound } from '../errors.js';
import { defineRoute, IdParam, jsonBody, jsonResponse, newRouter, PageQuery, problemResponses } from '../http/router.js';
import { requireOrgScope } from '../orgs/orgs.js';
import { CLAIM_STATUSES, claimView, ClaimView, loadClaims } from './claim-reads.js';
import { approveClaim, rejectClaim, revokeApprovedClaim } from './decide.js';
import { recordClaims } from './record.js';
import { ClaimBatchInput, ClaimInput, OptionalReasonInput, ReasonInput, RecordedClaims } from './schemas.js';
import { claimPage, loadEvents } from './claim-list.js';

const DECIDERS = ['admin', 'organizer'] as const;

const submitRoute = defineRoute({
  method: 'post',
  path: '/v1/claims',
  operationId: 'submitClaims',
  tags: ['Organizer', 'Worker'],
  summary: 'Submit a claim, or a list of claims (a roster)',
  description:
    'A worker self-reports (always pending). An organizer or admin records claims for members; those within the activity type\'s maker-checker threshold are approved and credited on submission, the rest wait for a second organizer. One claim answers with the claim; a list answers with all of them, the refused, and the crediting transaction.',
  roles: ['admin', 'organizer', 'worker'],
  request: { body: jsonBody(z.union([ClaimBatchInput, ClaimInput])) },
  responses: { 201: jsonResponse(z.union([ClaimView, RecordedClaims]), 'The claim, or the recorded claims'), ...problemResponses },
});

const listRoute = defineRoute({
  method: 'get',
  path: '/v1/claims',
  operationId: 'listClaims',
  tags: ['Organizer', 'Worker'],
  summary: 'Claims, newest first: a worker sees its own; an organizer those of its subtree',
  roles: ['admin', 'auditor', 'organizer', 'worker'],
  request: {
    query: z.object({
      status: z.enum(CLAIM_STATUSES).optional(),
      org_id: z.string().max(200).optional().openapi({ description: "Claims paid by this org's subtree" }),
      member_id: z.string().max(200).optional().openapi({ description: 'The member id or member number' }),
      event_id: z.string().max(200).optional(),
      ...PageQuery,
    }),
  },
  responses: { 200: jsonResponse(z.object({ items: z.array(ClaimView), next_cursor: z.string().nullable() }), 'A page of claims'), ...problemResponses },
});

const getRoute = defineRoute({
  method: 'get',
  path: '/v1/claims/{id}',
  operationId: 'getClaim',
  tags: ['Organizer', 'Worker'],
  summary: 'One claim',
  roles: ['admin', 'auditor', 'organizer', 'worker'],
  request: { params: IdParam },
  responses: { 200: jsonResponse(ClaimView, 'The claim'), ...problemResponses },
});

const decisionRoute = (action: 'approve' | 'reject' | 'revoke', summary: string) =>
  defineRoute({
    method: 'post',
    path: `/v1/claims/{id}/${action}`,
    operationId: `${action}Claim`,
    tags: ['Organizer'],
    summary,
    roles: DECIDERS,
    request: {
      params: IdParam,
      body: action === 'approve' ? { required: false, content: { 'application/json': { schema: OptionalReasonInput } } } : jsonBody(ReasonInput),
    },
    responses: { 200: jsonResponse(ClaimView, 'The claim after the decision'), ...problemResponses },
  });

/** Claim routes. */
export function claimRoutes() {
  return newRouter()
    .openapi(submitRoute, async (c) => {
      const body = c.req.valid('json');
      const single = !('claims' in body);
      const requests = 'claims' in body ? body.claims : [body];
      const events = await loadEvents(c.get('deps').db, requests.map((r) => r.event_id).filter((e): e is string => !!e));
      const recorded = await recordClaims(
        c.get('deps'),
        c.get('caller'),
        { requests, events, atomic: 'claims' in body ? body.atomic : true, single },
        (r) => (single ? r.claims[0]! : r),
        c.get('idempotency'),
      );
      return c.json(recorded as z.infer<typeof ClaimView>, 201);
    })
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      const caller = c.get('caller');
      const { db } = c.get('deps');
      const named = await memberFilterId(db, q.member_id);
      const memberId = caller.role === 'worker' ? caller.member_id! : named;
      if (caller.role === 'worker' && named && named !== caller.member_id) throw badRequest('forbidden_filter', 'Workers see only their own claims');
      const orgId = caller.role === 'organizer' ? q.org_id ?? caller.org_id! : q.org_id;
      const org = orgId ? await requireOrgScope(db, caller.role === 'organizer' ? caller : { ...caller, role: 'admin' }, orgId) : undefined;
      let cursor: { at: string; id: string } | undefined;
      if (q.cursor) {
        const [at, id] = decodeCursor(q.cursor).split('|');
        if (!at || !id) throw badRequest('invalid_cursor');
        cursor = { at, id };
      }
      const page = await claimPage(db, { memberId, eventId: q.event_id, orgPath: org?.path, status: q.status, before: cursor, limit: q.limit });
      const items = page.items.map(claimView);
      const next = page.next ? btoa(`${page.next.at}|${page.next.id}`).replace(/\+/g, '-').replace(/\//g, '_') : null;
      return c.json({ items, next_cursor: next }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { db } = c.get('deps');
      const caller = c.get('caller');
      const [state] = await loadClaims(db, [c.req.valid('param').id]);
      if (!state) throw notFound(`Claim ${c.req.valid('param').id}`);
      if (caller.role === 'worker' && state.claim.member_id !== caller.member_id) throw forbidden('Workers see only their own claims');
      if (caller.role === 'organizer') await requireOrgScope(db, caller, state.claim.org_id);
      return c.json(claimView(state), 200);
    })
    .openapi(decisionRoute('approve', 'Approve a pending claim: credit the member from the org budget (after caps)'), async (c) => {
      const reason = (c.req.valid('json') as { reason?: string } | undefined)?.reason ?? null;
      return c.json(await approveClaim(c.get('deps'), c.get('caller'), { id: c.req.valid('param').id, reason }, c.get('idempotency')), 200);
    })
    .openapi(decisionRoute('reject', 'Reject a pending claim, with a reason'), async (c) => {
      const { reason } = c.req.valid('json') as { reason: string };
      return c.json(await rejectClaim(c.get('deps'), c.get('caller'), { id: c.req.valid('param').id, reason }, c.get('idempotency')), 200);
    })
    .openapi(decisionRoute('revoke', 'Revoke an approved claim: a reversing transaction returns its points to the budget'), async (c) => {
      const { reason } = c.req.valid('json') as { reason: string };
      return c.json(await revokeApprovedClaim(c.get('deps'), c.get('caller'), { id: c.req.valid('param').id, reason }, c.get('idempotency')), 200);
    });
}

/** The text of a base64url cursor; '' when it is not base64 at all (atob throws on that). */
function decodeCursor(cursor: string): string {
  try {
    return atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return '';
  }
}
