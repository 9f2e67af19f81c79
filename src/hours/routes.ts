import { z } from '@hono/zod-openapi';
import { defineRoute, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { memberInScope } from '../members/members.js';
import { HOURS_SOURCES, memberHours } from './hours.js';

const Instant = z.iso.datetime({ offset: true });
const Hours = z.string().openapi({ description: 'Hours as a decimal string with two decimals', example: '12.50' });

const HoursRecord = z
  .object({
    member_id: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    total_hours: Hours,
    by_activity: z.array(z.object({ activity_code: z.string(), name_zh: z.string(), name_en: z.string(), hours: Hours })),
    by_org: z.array(z.object({ org_id: z.string(), name: z.string(), hours: Hours }).openapi({ description: 'The org that recorded the hours: an event’s org, else the recording organizer’s org, else the member’s home org' })),
    by_source: z.object(Object.fromEntries(HOURS_SOURCES.map((s) => [s, Hours])) as Record<(typeof HOURS_SOURCES)[number], typeof Hours>),
    this_year: z.object({ year: z.number().int(), hours: Hours }).openapi({ description: 'Every hour to date in the current programme year (JIFEN_UTC_OFFSET), whatever the range' }),
    level: z.object({
      level: z.number().int().openapi({ description: 'How many thresholds the member’s hours to date reached (0 before the first)' }),
      thresholds: z.array(z.number().int()).openapi({ description: 'Whole hours at which each level begins (JIFEN_HOURS_LEVELS)' }),
      next_at_hours: z.number().int().nullable(),
    }),
  })
  .openapi('ServiceHours');

const hoursRoute = defineRoute({
  method: 'get',
  path: '/v1/members/{id}/hours',
  operationId: 'getMemberHours',
  tags: ['Worker', 'Organizer'],
  summary: "A member's service hours: totals by activity, org and source, and its level",
  description:
    'Hours of approved claims whose activity counts in hours, less revoked ones; expiry, redemption and settlement never change them. `from` (inclusive) and `to` (exclusive) bound when the service happened; the level counts every hour to date. A worker reads its own, an organizer members of its subtree, admins and auditors any.',
  roles: ['admin', 'auditor', 'organizer', 'worker'],
  request: {
    params: z.object({ id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' }, description: "The member's id or member number" }) }),
    query: z.object({ from: Instant.optional(), to: Instant.optional() }),
  },
  responses: { 200: jsonResponse(HoursRecord, "The member's hours"), ...problemResponses },
});

/** Routes for the service-hours record. */
export function hoursRoutes() {
  return newRouter().openapi(hoursRoute, async (c) => {
    const { db, programme, clock } = c.get('deps');
    const member = await memberInScope(db, c.get('caller'), c.req.valid('param').id);
    const { from, to } = c.req.valid('query');
    return c.json(await memberHours(db, member.id, { from, to }, programme, clock()), 200);
  });
}
