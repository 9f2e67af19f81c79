import type { AppDeps } from '../deps.js';
import { AppError, refuse } from '../errors.js';
import { sha256Hex } from '../ledger/hash.js';
import { canonicalSignInCode, hashSignInCode } from './sign-in-code.js';

/** What an exchange answers: the session, when it ends, and whose it is. */
export interface SignInAnswer {
  token: string;
  token_type: 'Bearer';
  expires_at: string;
  member: { id: string; display_name: string | null };
  /** True when this answers a retry of the exchange that used the code (same Idempotency-Key). */
  replayed: boolean;
}

/**
 * Exchanges a sign-in code, once, for a session token. Single use is the
 * database's guard (the use row's primary key and its trigger): of any number
 * of concurrent exchanges of one code, exactly one commits. No caller: the code
 * is the credential. The token is not stored: it is signed from the use row,
 * so a retry of the same exchange (same code, same Idempotency-Key) after a
 * lost answer gets the same token again, and nobody else can.
 *
 * Failures are not recorded and not rate-limited: a code has 140 random bits,
 * so guessing is hopeless, and a write per unauthenticated failure would hand
 * anyone a lever on the single writer.
 * @throws 404 sign_in_code_unknown, 409 sign_in_code_used, 410 sign_in_code_expired or sign_in_code_revoked
 */
export async function exchangeSignInCode(deps: AppDeps, input: { code: string }, retryKey: string | undefined): Promise<SignInAnswer> {
  const { db, clock, programme, executor } = deps;
  const canonical = canonicalSignInCode(input.code);
  if (!canonical) throw refuse('sign_in_code_unknown');
  const code = await db
    .selectFrom('sign_in_codes as c')
    .innerJoin('members as m', 'm.id', 'c.member_id')
    .select(['c.id', 'c.member_id', 'm.display_name'])
    .where('c.code_hash', '=', hashSignInCode(canonical))
    .executeTakeFirst();
  if (!code) throw refuse('sign_in_code_unknown');
  const retryKeyHash = retryKey === undefined ? null : sha256Hex(`jifen-sign-in-retry:${code.id}\n${retryKey}`);
  // Whole seconds: the token carries them, and a retry re-signs the token from this row.
  const now = new Date(Math.floor(clock().getTime() / 1000) * 1000);
  const use = {
    code_id: code.id,
    member_id: code.member_id,
    retry_key_hash: retryKeyHash,
    session_expires_at: new Date(now.getTime() + programme.sessionTtlHours * 3_600_000).toISOString(),
    created_at: now.toISOString(),
  };
  let replayed = false;
  try {
    await executor.write(() => ({ statements: [db.insertInto('sign_in_code_uses').values(use).compile()], result: undefined }));
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'sign_in_code_used' && retryKeyHash)) throw error;
    const first = await db.selectFrom('sign_in_code_uses').selectAll().where('code_id', '=', code.id).executeTakeFirst();
    if (first?.retry_key_hash !== retryKeyHash) throw error;
    Object.assign(use, first);
    replayed = true;
  }
  const token = await deps.sessions.mint({
    memberId: use.member_id,
    codeId: use.code_id,
    issuedAt: new Date(use.created_at),
    expiresAt: new Date(use.session_expires_at),
  });
  return { token, token_type: 'Bearer', expires_at: use.session_expires_at, member: { id: code.member_id, display_name: code.display_name }, replayed };
}
