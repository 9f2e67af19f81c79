import { z } from '@hono/zod-openapi';
import { notFound } from '../errors.js';
import { defineRoute, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { findOrg } from '../orgs/orgs.js';
import { leaderboard, leaderboardPreferenceOf, periodBounds, setLeaderboardOptOut } from './leaderboard.js';

const Leaderboard = z
  .object({
    org_id: z.string().nullable(),
    period: z.enum(['month', 'year']),
    from: z.string(),
    to: z.string(),
    items: z.array(
      z.object({
        rank: z.number().int(),
        member_id: z.string().optional().openapi({ description: 'Admins and auditors only' }),
        is_me: z.boolean().optional().openapi({ description: "A worker's own entry" }),
        display_name: z.string().nullable(),
        platform: z.string().nullable(),
        points: z.string(),
        claims: z.number().int(),
      }),
    ),
  })
  .openapi('Leaderboard');

const leaderboardRoute = defineRoute({
  method: 'get',
  path: '/v1/leaderboards',
  operationId: 'getLeaderboards',
  tags: ['Recognition'],
  summary: 'Members ranked by points credited in a month or year, in an org subtree (for pioneer-rider selection)',
  description:
    'Revoked claims do not count; ties share a rank; members who opted out are not listed. Member ids are shown to admins and auditors only (others could match them to redemptions and statements); a worker sees its own entry marked is_me.',
  roles: ['admin', 'auditor', 'organizer', 'merchant', 'worker'],
  request: {
    query: z.object({
      org_id: z.string().max(200).optional().openapi({ description: 'Default: the whole programme' }),
      period: z.enum(['month', 'year']).default('month'),
      at: z.iso.datetime({ offset: true }).optional().openapi({ description: 'A moment in the period; default now' }),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
  },
  responses: { 200: jsonResponse(Leaderboard, 'The leaderboard'), ...problemResponses },
});

const preferencesRoute = defineRoute({
  method: 'put',
  path: '/v1/me/preferences',
  operationId: 'setMyPreferences',
  tags: ['Worker'],
  summary: "The calling worker's preferences: opt out of public leaderboards",
  roles: ['worker'],
  request: { body: jsonBody(z.object({ leaderboard_opt_out: z.boolean() }).strict().openapi('Preferences')) },
  responses: { 200: jsonResponse(z.object({ leaderboard_opt_out: z.boolean(), updated_at: z.string() }), 'The preferences'), ...problemResponses },
});

const getPreferencesRoute = defineRoute({
  method: 'get',
  path: '/v1/me/preferences',
  operationId: 'getMyPreferences',
  tags: ['Worker'],
  summary: "The calling worker's preferences: whether it opted out of public leaderboards",
  roles: ['worker'],
  responses: {
    200: jsonResponse(
      z.object({ leaderboard_opt_out: z.boolean(), updated_at: z.string().nullable().openapi({ description: 'Null when the worker never chose' }) }).openapi('MyPreferences'),
      'The preferences',
    ),
    ...problemResponses,
  },
});

/** A leaderboard entry as others than admins and auditors see it: rank and name, the caller's own marked. */
function withoutMemberId<T extends { member_id: string }>({ member_id, ...entry }: T, me: string | undefined) {
  return member_id === me ? { ...entry, is_me: true } : entry;
}

/** Leaderboards and members' preferences about them. */
export function recognitionRoutes() {
  return newRouter()
    .openapi(leaderboardRoute, async (c) => {
      const q = c.req.valid('query');
      const { db, clock, programme } = c.get('deps');
      let path = '/';
      if (q.org_id) {
        const org = await findOrg(db, q.org_id);
        if (!org) throw notFound(`Org ${q.org_id}`);
        path = org.path;
      }
      const range = periodBounds(q.period, q.at ? new Date(q.at) : clock(), programme.utcOffsetMinutes);
      const caller = c.get('caller');
      const ranked = await leaderboard(db, path, range, q.limit);
      const items = caller.role === 'admin' || caller.role === 'auditor' ? ranked : ranked.map((entry) => withoutMemberId(entry, caller.member_id));
      return c.json({ org_id: q.org_id ?? null, period: q.period, ...range, items }, 200);
    })
    .openapi(getPreferencesRoute, async (c) => c.json(await leaderboardPreferenceOf(c.get('deps').db, c.get('caller').member_id!), 200))
    .openapi(preferencesRoute, async (c) => c.json(await setLeaderboardOptOut(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 200));
}
