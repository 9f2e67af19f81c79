import { z } from '@hono/zod-openapi';
import { ClaimView } from '../claims/claim-reads.js';
import { Refusal } from '../claims/schemas.js';

/** An event as the API shows it. */
export const Event = z
  .object({
    id: z.string(),
    org_id: z.string(),
    activity_code: z.string(),
    title: z.string(),
    starts_at: z.string(),
    ends_at: z.string().nullable(),
    location: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
  })
  .openapi('Event');

/** An event with its claims, as recording a roster (or confirming attendance) answers. */
export const EventWithClaims = z
  .object({
    event: Event,
    claims: z.array(ClaimView),
    refused: z.array(Refusal),
    transaction: z.object({ id: z.string(), seq: z.number().int(), hash: z.string(), points: z.string() }).nullable(),
  })
  .openapi('EventWithClaims');
