import { z } from '@hono/zod-openapi';
import { PositivePoints } from '../ledger/amount.js';
import { ClaimView } from './claim-reads.js';

const Id = z.string().min(1).max(200);

/** An admin's explicit back-fill of something older than JIFEN_CLAIM_MAX_AGE_DAYS. */
export const BackfillInput = {
  backfill: z.boolean().optional().openapi({ description: 'Admin only: record a claim older than the programme accepts, listed by the anomaly report' }),
  backfill_reason: z.string().trim().min(1).max(500).optional().openapi({ description: 'Why it is recorded late (required with backfill)' }),
};

/** One claim in a request. */
export const ClaimInput = z
  .object({
    member_id: Id.optional().openapi({ description: 'Required for organizers; a worker may omit it (itself)' }),
    activity_code: z.string().min(1).max(64).optional().openapi({ description: "Required unless event_id gives the event's activity" }),
    units: PositivePoints.optional().openapi({ description: 'Hours for hour-counted activities; defaults to 1' }),
    event_id: Id.optional(),
    report_ref: z.string().trim().min(1).max(200).optional().openapi({ description: 'Reference of a grid report; a member is credited once per reference' }),
    occurred_at: z.iso.datetime({ offset: true }).optional().openapi({ description: "When it happened; defaults to the event's start" }),
    evidence_url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    evidence_id: Id.optional().openapi({ description: 'Photo evidence uploaded by the submitter (POST /v1/evidence)' }),
    ...BackfillInput,
  })
  .strict()
  .openapi('ClaimInput');

/** A list of claims, and whether one refusal refuses them all. */
export const ClaimBatchInput = z
  .object({
    claims: z.array(ClaimInput).min(1).max(1000),
    atomic: z.boolean().default(true).openapi({ description: 'true (default): any refusal refuses all; false: record the rest and list the refused' }),
  })
  .strict()
  .openapi('ClaimBatchInput');

export const Refusal = z
  .object({ index: z.number().int(), member_id: z.string().nullable(), status: z.number().int(), code: z.string(), detail: z.string() })
  .openapi('Refusal');

export const RecordedClaims = z
  .object({
    claims: z.array(ClaimView),
    refused: z.array(Refusal),
    transaction: z.object({ id: z.string(), seq: z.number().int(), hash: z.string(), points: z.string() }).nullable(),
  })
  .openapi('RecordedClaims');

export const ReasonInput = z.object({ reason: z.string().trim().min(3).max(500) }).strict().openapi('ReasonInput');
export const OptionalReasonInput = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();
