import { z } from '@hono/zod-openapi';

/** The roles of API.md. */
export const ROLES = ['admin', 'organizer', 'merchant', 'worker', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

const id = z.string().min(1).max(128);

/** The claims a Jifen token must carry; scoped roles must name their scope. */
export const CallerClaims = z
  .object({
    sub: z.string().min(1).max(256),
    role: z.enum(ROLES),
    org_id: id.optional(),
    merchant_id: id.optional(),
    member_id: id.optional(),
    exp: z.number().int().optional(),
  })
  .refine((c) => c.role !== 'organizer' || c.org_id, { message: 'an organizer token must carry org_id' })
  .refine((c) => c.role !== 'merchant' || c.merchant_id, { message: 'a merchant token must carry merchant_id' })
  .refine((c) => c.role !== 'worker' || c.member_id, { message: 'a worker token must carry member_id' });

/** Who is calling, from a verified token. */
export type Caller = z.infer<typeof CallerClaims>;

/** The scope idempotency keys and actors are recorded under: role and subject. */
export function callerKey(caller: Caller): string {
  return `${caller.role}:${caller.sub}`;
}
