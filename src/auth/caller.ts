import { z } from '@hono/zod-openapi';
import { textFault } from '../ledger/text.js';

/** The roles of API.md. */
export const ROLES = ['admin', 'organizer', 'merchant', 'worker', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

// A token's subject becomes the actor of what it writes, so it obeys the text rule too.
const text = (max: number) =>
  z.string().min(1).max(max).refine((value) => textFault(value) === null, { message: 'must be plain text (src/ledger/text.ts)' });
const id = text(128);

/** The claims a Jifen token must carry; scoped roles must name their scope. */
export const CallerClaims = z
  .object({
    sub: text(256),
    role: z.enum(ROLES),
    org_id: id.optional(),
    merchant_id: id.optional(),
    member_id: id.optional(),
    exp: z.number().int().optional(),
    iss: z.string().max(512).optional(),
  })
  .refine((c) => c.role !== 'organizer' || c.org_id, { message: 'an organizer token must carry org_id' })
  .refine((c) => c.role !== 'merchant' || c.merchant_id, { message: 'a merchant token must carry merchant_id' })
  .refine((c) => c.role !== 'worker' || c.member_id, { message: 'a worker token must carry member_id' });

/**
 * Who is calling, from a verified token. `session_id` is set only by the
 * verifier, for a session the service itself issued from a sign-in code (the
 * code's id): such a caller is re-checked on every request (src/auth/sessions.ts).
 */
export type Caller = z.infer<typeof CallerClaims> & { session_id?: string };

/** The name actors are recorded under: role and subject. */
export function callerKey(caller: Caller): string {
  return `${caller.role}:${caller.sub}`;
}

/**
 * The scope an Idempotency-Key belongs to: the caller's whole identity (issuer,
 * role, the role's scope id and subject). Two tokens that share a subject but
 * not a member, merchant or org never see each other's answers.
 */
export function idempotencyScopeOf(caller: Caller): string {
  const scopeId = caller.member_id ?? caller.merchant_id ?? caller.org_id ?? null;
  return JSON.stringify([caller.iss ?? null, caller.role, scopeId, caller.sub]);
}
