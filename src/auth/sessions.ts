import { base64url, SignJWT } from 'jose';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { refuse } from '../errors.js';
import type { Caller } from './caller.js';

/** The `kid` of the service's own session tokens: the verifier picks the session key by it. */
export const SESSION_KID = 'jifen-session-1';
/** The issuer of the service's own session tokens (never an identity provider's). */
export const SESSION_ISSUER = 'jifen/sign-in';

/** What a session token says: the member, the sign-in code it came from, and its lifetime. */
export interface SessionClaims {
  memberId: string;
  /** The sign-in code's id: a revocation of that code ends the session. */
  codeId: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** The service's session key: mints worker sessions; the token verifier checks them with the same key. */
export interface SessionKey {
  readonly secret: Uint8Array;
  readonly issuer: string;
  readonly audience: string;
  /** An HS256 JWT for a member. Deterministic: the same claims give the same token (a retried exchange is answered again without storing it). */
  mint(claims: SessionClaims): Promise<string>;
}

/**
 * The session key, derived (HKDF-SHA256) from the private half of the
 * service's signing key under its own label: no new secret to provision on
 * either runtime, yet a session token can never pass for a receipt or a
 * checkpoint (another key, another algorithm), nor the reverse. Rotating
 * JIFEN_SIGNING_KEY signs every phone out.
 */
export async function deriveSessionKey(signingKey: { d?: unknown }, audience: string): Promise<SessionKey> {
  if (typeof signingKey.d !== 'string') throw new Error('the signing key has no private part to derive the session key from');
  const ikm = await crypto.subtle.importKey('raw', new Uint8Array(base64url.decode(signingKey.d)), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode('jifen'), info: new TextEncoder().encode('jifen session tokens v1') },
    ikm,
    256,
  );
  const secret = new Uint8Array(bits);
  return {
    secret,
    issuer: SESSION_ISSUER,
    audience,
    mint: ({ memberId, codeId, issuedAt, expiresAt }) =>
      new SignJWT({ role: 'worker', member_id: memberId, sid: codeId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: SESSION_KID })
        .setSubject(memberId)
        .setIssuer(SESSION_ISSUER)
        .setAudience(audience)
        .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(secret),
  };
}

/**
 * Refuses a worker whose standing ended, on every request it makes (after
 * the signature and expiry checks, which the verifier caches), in one query:
 * its member deactivated (403 member_session_ended, whatever token it
 * carries), or, for a session the service issued, its sign-in code revoked
 * or its member gone (401 session_ended). Either takes effect at once.
 */
export async function requireStandingWorker(db: Db, caller: Caller): Promise<void> {
  if (caller.role !== 'worker' && !caller.session_id) return;
  const session = caller.session_id
    ? sql<number | null>`(SELECT 1 FROM sign_in_code_uses u WHERE u.code_id = ${caller.session_id} AND u.member_id = m.id
        AND NOT EXISTS (SELECT 1 FROM sign_in_code_revocations r WHERE r.code_id = u.code_id))`
    : sql<number>`1`;
  const { rows } = await sql<{ status: string; session_ok: number | null }>`
    SELECT m.status, ${session} AS session_ok FROM members m WHERE m.id = ${caller.member_id ?? ''}`.execute(db);
  const row = rows[0];
  if (row && row.status !== 'active') throw refuse('member_session_ended');
  if (caller.session_id && !row?.session_ok) {
    throw refuse('session_ended', undefined, { headers: { 'WWW-Authenticate': 'Bearer realm="jifen", error="invalid_token"' } });
  }
}
