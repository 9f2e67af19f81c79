import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { unauthorized } from '../errors.js';
import { CallerClaims, type Caller } from './caller.js';
import { SESSION_KID, type SessionKey } from './sessions.js';

/** Asymmetric algorithms accepted from an identity provider's published keys. */
const ASYMMETRIC_ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256'];
const CACHE_LIMIT = 10_000;

export interface TokenVerifierOptions {
  /** Shared HS256 secret (development, or a programme's own token service). */
  hsSecret?: string;
  /** Public keys of an identity provider. */
  jwks?: JSONWebKeySet;
  /** The service's own session key (tokens exchanged for sign-in codes), accepted beside the others. */
  sessions?: Pick<SessionKey, 'secret' | 'issuer'>;
  issuer: string;
  audience: string;
  clock: () => Date;
}

/** Verifies bearer tokens into callers. */
export interface TokenVerifier {
  verify(token: string): Promise<Caller>;
}

/**
 * Verifies JWTs with jose against an algorithm allow-list: HS256 only with the
 * shared secret, asymmetric algorithms only with the published keys — so a
 * token cannot pick its own verification (no `alg: none`, no HS/RS confusion).
 * A verified token is remembered until it expires, so hot paths skip the
 * signature check.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const secret = options.hsSecret ? new TextEncoder().encode(options.hsSecret) : undefined;
  const keySet = options.jwks ? createLocalJWKSet(options.jwks) : undefined;
  const cache = new Map<string, { caller: Caller; expiresAt: number }>();

  async function verifyUncached(token: string): Promise<Caller> {
    let alg: string | undefined;
    let kid: string | undefined;
    try {
      ({ alg, kid } = decodeProtectedHeader(token));
    } catch {
      throw unauthorized('The bearer token is malformed');
    }
    if (kid === SESSION_KID) return verifySession(token, alg);
    const common = {
      issuer: options.issuer,
      audience: options.audience,
      currentDate: options.clock(),
      requiredClaims: ['exp', 'sub'],
    };
    let payload: unknown;
    try {
      if (alg === 'HS256' && secret) {
        payload = (await jwtVerify(token, secret, { ...common, algorithms: ['HS256'] })).payload;
      } else if (alg && ASYMMETRIC_ALGORITHMS.includes(alg) && keySet) {
        payload = (await jwtVerify(token, keySet, { ...common, algorithms: ASYMMETRIC_ALGORITHMS })).payload;
      } else {
        throw unauthorized(`Tokens signed with ${alg ?? 'no algorithm'} are not accepted`);
      }
    } catch (error) {
      if (error instanceof Error && error.name === 'AppError') throw error;
      throw unauthorized(describeJoseError(error));
    }
    const claims = CallerClaims.safeParse(payload);
    if (!claims.success) throw unauthorized(`The token's claims are not usable: ${claims.error.issues[0]?.message}`);
    return claims.data;
  }

  // A session the service issued itself: only HS256 under the session key, only a worker, always naming its sign-in code.
  async function verifySession(token: string, alg: string | undefined): Promise<Caller> {
    if (alg !== 'HS256' || !options.sessions) throw unauthorized('This session token is not accepted here');
    let payload: Record<string, unknown>;
    try {
      payload = (
        await jwtVerify(token, options.sessions.secret, {
          issuer: options.sessions.issuer,
          audience: options.audience,
          currentDate: options.clock(),
          requiredClaims: ['exp', 'sub', 'sid'],
          algorithms: ['HS256'],
        })
      ).payload;
    } catch (error) {
      throw unauthorized(describeJoseError(error));
    }
    const claims = CallerClaims.safeParse(payload);
    if (!claims.success || claims.data.role !== 'worker' || typeof payload.sid !== 'string' || claims.data.sub !== claims.data.member_id) {
      throw unauthorized('The session token is not usable');
    }
    return { ...claims.data, session_id: payload.sid };
  }

  return {
    async verify(token) {
      const now = options.clock().getTime();
      const hit = cache.get(token);
      if (hit && hit.expiresAt > now) return hit.caller;
      if (hit) cache.delete(token);
      const caller = await verifyUncached(token);
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
      cache.set(token, { caller, expiresAt: (caller.exp ?? 0) * 1000 });
      return caller;
    },
  };
}

function describeJoseError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'The token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `The token's ${(error as { claim?: string }).claim ?? 'claims'} claim is not acceptable`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'The token signature is not valid';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'The token algorithm is not accepted';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'No published key matches the token';
    default:
      return 'The bearer token is not valid';
  }
}
