import { SignJWT } from 'jose';
import type { Role } from './caller.js';

/** What a development token carries. */
export interface TokenRequest {
  role: Role;
  sub?: string;
  org_id?: string;
  merchant_id?: string;
  member_id?: string;
  /** Lifetime, e.g. "8h", "30m", "7d". */
  ttl?: string;
  issuer: string;
  audience: string;
}

/** Mints an HS256 token for development and tests. */
export function mintToken(secret: string, request: TokenRequest, now: Date = new Date()): Promise<string> {
  const { role, sub, ttl = '8h', issuer, audience, ...scope } = request;
  const claims: Record<string, string> = { role };
  for (const [key, value] of Object.entries(scope)) if (value) claims[key] = value;
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub ?? defaultSubject(role, scope))
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds(ttl))
    .sign(new TextEncoder().encode(secret));
}

/**
 * A development token's subject when none is given: distinct per role and
 * scope (two workers' tokens never share one), so actors and idempotency
 * scopes tell them apart.
 */
function defaultSubject(role: Role, scope: { org_id?: string; merchant_id?: string; member_id?: string }): string {
  const id = scope.member_id ?? scope.merchant_id ?? scope.org_id;
  return id ? `dev:${role}:${id}` : `dev:${role}`;
}

/** Parses "90s", "30m", "8h", "7d" into seconds. */
export function ttlSeconds(ttl: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(ttl);
  if (!match) throw new Error(`--ttl must look like 30m, 8h or 7d (got ${ttl})`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}
