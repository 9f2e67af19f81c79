import { z } from '@hono/zod-openapi';
import { callerKey } from '../auth/caller.js';
import { notFound } from '../errors.js';
import { newId } from '../ids.js';
import { defineRoute, IdParam, jsonBody, jsonResponse, newRouter, PageQuery, problemResponses } from '../http/router.js';
import { PositivePoints } from '../ledger/amount.js';
import { requireOrgScope } from '../orgs/orgs.js';
import { currentActivityType } from '../activities/activity-types.js';
import { claimView, loadClaims } from '../claims/claim-reads.js';
import { recordClaims } from '../claims/record.js';
import { BackfillInput } from '../claims/schemas.js';
import { occurredAtRefusal } from '../claims/claim-rules.js';
import { claimIdsOfEvent, findEvent } from './event-reads.js';
import { eventPage } from './event-list.js';
import { Event, EventWithClaims } from './schemas.js';

const EventInput = z
  .object({
    org_id: z.string().min(1).max(200),
    activity_code: z.string().min(1).max(64),
    title: z.string().trim().min(1).max(200),
    starts_at: z.iso.datetime({ offset: true }),
    ends_at: z.iso.datetime({ offset: true }).optional(),
    location: z.string().trim().min(1).max(200).optional(),
    roster: z
      .array(
        z
          .object({
            member_id: z.string().min(1).max(200),
            units: PositivePoints.optional().openapi({ description: 'Hours, for hour-counted activities' }),
            report_ref: z.string().trim().min(1).max(200).optional(),
          })
          .strict(),
      )
      .max(1000)
      .optional()
      .openapi({ description: 'Participants (up to 1,000); each becomes a claim' }),
    atomic: z.boolean().default(true).openapi({ description: 'true (default): any refused participant refuses the whole request' }),
    ...BackfillInput,
  })
  .strict()
  .openapi('EventInput');

const createRoute = defineRoute({
  method: 'post',
  path: '/v1/events',
  operationId: 'createEvent',
  tags: ['Organizer'],
  summary: 'Record an event and its roster in one request; each participant becomes a claim',
  description:
    "Claims within the activity type's maker-checker threshold are approved and credited at once, in one ledger transaction from the org's budget; the rest wait for a second organizer. All in one atomic write.",
  roles: ['admin', 'organizer'],
  request: { body: jsonBody(EventInput) },
  responses: { 201: jsonResponse(EventWithClaims, 'The event, its claims and the crediting transaction'), ...problemResponses },
});

const EventListed = Event.extend({
  org_name: z.string(),
  roster_size: z.number().int().openapi({ description: 'Claims recorded for the event' }),
  pending: z.number().int().openapi({ description: 'Of those, waiting for a decision' }),
  credited_claims: z.number().int().openapi({ description: 'Of those, approved and not revoked' }),
  credited: z.string().openapi({ description: 'Points credited for the event now (revocations taken back)' }),
}).openapi('EventListed');

const Instant = z.iso.datetime({ offset: true });

const listRoute = defineRoute({
  method: 'get',
  path: '/v1/events',
  operationId: 'listEvents',
  tags: ['Organizer'],
  summary: 'Events by when they happened, latest first, with their roster size and points credited',
  description:
    'Admins and auditors: every event; organizers: the events of their subtree (`org_id` outside it is 403). `from` (inclusive) and `to` (exclusive) bound the event\'s start. `next_cursor` continues after the last event of the page.',
  roles: ['admin', 'auditor', 'organizer'],
  request: {
    query: z.object({
      org_id: z.string().min(1).max(200).optional().openapi({ description: "Only events of this org's subtree" }),
      from: Instant.optional().openapi({ description: 'Events starting at or after this instant' }),
      to: Instant.optional().openapi({ description: 'Events starting before this instant' }),
      ...PageQuery,
    }),
  },
  responses: { 200: jsonResponse(z.object({ items: z.array(EventListed), next_cursor: z.string().nullable() }), 'A page of events'), ...problemResponses },
});

const getRoute = defineRoute({
  method: 'get',
  path: '/v1/events/{id}',
  operationId: 'getEvent',
  tags: ['Organizer'],
  summary: 'An event and its claims',
  roles: ['admin', 'auditor', 'organizer'],
  request: { params: IdParam },
  responses: { 200: jsonResponse(EventWithClaims.omit({ refused: true, transaction: true }), 'The event and its claims'), ...problemResponses },
});

/** Event routes. */
export function eventRoutes() {
  return newRouter()
    .openapi(listRoute, async (c) => c.json(await eventPage(c.get('deps'), c.get('caller'), c.req.valid('query')), 200))
    .openapi(createRoute, async (c) => {
      const input = c.req.valid('json');
      const { db, clock } = c.get('deps');
      await requireOrgScope(db, c.get('caller'), input.org_id);
      if (!(await currentActivityType(db, input.activity_code))) throw notFound(`Activity type ${input.activity_code}`);
      // Its participants' claims take its start: the same age rule, even for an event with no roster yet.
      const backfill = { backfill: input.backfill, backfill_reason: input.backfill_reason };
      const badStart = occurredAtRefusal(c.get('caller'), input.starts_at, backfill, { now: clock(), maxAgeDays: c.get('deps').programme.claimMaxAgeDays });
      if (badStart) throw badStart;
      const event = {
        id: newId('evt'),
        org_id: input.org_id,
        activity_code: input.activity_code,
        title: input.title,
        starts_at: new Date(input.starts_at).toISOString(),
        ends_at: input.ends_at ? new Date(input.ends_at).toISOString() : null,
        location: input.location ?? null,
        created_by: callerKey(c.get('caller')),
        created_at: clock().toISOString(),
      };
      const roster = input.roster ?? [];
      const body = await recordClaims(
        c.get('deps'),
        c.get('caller'),
        {
          requests: roster.map((p) => ({ ...p, ...backfill, event_id: event.id })),
          events: new Map([[event.id, event]]),
          newEvent: event,
          atomic: input.atomic,
          single: false,
        },
        (recorded) => ({ event, ...recorded }),
        c.get('idempotency'),
      );
      return c.json(body as z.infer<typeof EventWithClaims>, 201);
    })
    .openapi(getRoute, async (c) => {
      const { db } = c.get('deps');
      const event = await findEvent(db, c.req.valid('param').id);
      if (!event) throw notFound(`Event ${c.req.valid('param').id}`);
      if (c.get('caller').role === 'organizer') await requireOrgScope(db, c.get('caller'), event.org_id);
      const claims = (await loadClaims(db, await claimIdsOfEvent(db, event.id))).map(claimView);
      return c.json({ event, claims }, 200);
    });
}
