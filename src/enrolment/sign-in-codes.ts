import { callerKey, type Caller } from '../auth/caller.js';
import { publicOrigin, type AppDeps } from '../deps.js';
import type { Db } from '../db/types.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { notFound } from '../errors.js';
import { newId } from '../ids.js';
import { requireOrgScope } from '../orgs/orgs.js';
import { canonicalSignInCode, hashSignInCode, newSignInCode, signInCodeUrl, signInQrSvg } from './sign-in-code.js';

/** A sign-in code's state, read from its rows: a revocation, else a use, else its expiry. */
export type SignInCodeStatus = 'active' | 'used' | 'expired' | 'revoked';

/** A sign-in code as lists and answers show it: never its text (only its SHA-256 is kept). */
export interface SignInCodeView {
  id: string;
  member_id: string;
  status: SignInCodeStatus;
  expires_at: string;
  created_at: string;
  created_by: string;
  used_at: string | null;
  revoked_at: string | null;
}

interface CodeRow {
  id: string;
  member_id: string;
  expires_at: string;
  actor: string;
  created_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

function statusOf(row: CodeRow, now: Date): SignInCodeStatus {
  if (row.revoked_at) return 'revoked';
  if (row.used_at) return 'used';
  return row.expires_at <= now.toISOString() ? 'expired' : 'active';
}

function viewOf(row: CodeRow, now: Date): SignInCodeView {
  const { actor, ...rest } = row;
  return { ...rest, status: statusOf(row, now), created_by: actor };
}

/**
 * The member a sign-in code is for, in the caller's scope: admins any member,
 * organizers a member whose home org lies in their subtree.
 * @throws 404 when there is no such member, 403 when it is out of scope
 */
async function memberInScope(db: Db, caller: Caller, memberId: string) {
  const member = await db.selectFrom('members').select(['id', 'display_name', 'home_org_id']).where('id', '=', memberId).executeTakeFirst();
  if (!member) throw notFound(`Member ${memberId}`);
  await requireOrgScope(db, caller, member.home_org_id);
  return member;
}

/**
 * Creates a one-time sign-in code for a member (an enrolment card). The code,
 * its link and the link's QR code are in this answer only: the answer stored
 * under an Idempotency-Key has them as null, so no plaintext code is ever
 * kept, and a replay says the code was made without showing it again.
 */
export async function issueSignInCode(
  deps: AppDeps,
  caller: Caller,
  input: { memberId: string; origin: string },
  idempotency: IdempotencyScope | undefined,
) {
  const { db, clock, programme } = deps;
  const member = await memberInScope(db, caller, input.memberId);
  const code = newSignInCode();
  const now = clock();
  const row = {
    id: newId('sic'),
    member_id: member.id,
    code_hash: hashSignInCode(canonicalSignInCode(code)!),
    expires_at: new Date(now.getTime() + programme.signInCodeTtlDays * 86_400_000).toISOString(),
    actor: callerKey(caller),
    created_at: now.toISOString(),
  };
  const statement = db.insertInto('sign_in_codes').values(row).compile();
  const stored = await commitWrite(deps, idempotency, () => ({ statements: [statement], result: row }), 201, (r) => ({
    ...viewOf({ id: r.id, member_id: r.member_id, expires_at: r.expires_at, actor: r.actor, created_at: r.created_at, used_at: null, revoked_at: null }, now),
    display_name: member.display_name,
    code: null as string | null,
    url: null as string | null,
    qr_svg: null as string | null,
  }));
  const url = signInCodeUrl(publicOrigin(deps, input.origin), code);
  return { ...stored, code, url, qr_svg: signInQrSvg(url) };
}

const CODE_COLUMNS = ['c.id', 'c.member_id', 'c.expires_at', 'c.actor', 'c.created_at', 'u.created_at as used_at', 'r.created_at as revoked_at'] as const;

function codesOf(db: Db) {
  return db
    .selectFrom('sign_in_codes as c')
    .leftJoin('sign_in_code_uses as u', 'u.code_id', 'c.id')
    .leftJoin('sign_in_code_revocations as r', 'r.code_id', 'c.id')
    .select(CODE_COLUMNS);
}

/** A member's sign-in codes, newest first, with their status (never their text). */
export async function listSignInCodes(deps: AppDeps, caller: Caller, input: { memberId: string; limit: number; cursor?: string }) {
  const { db, clock } = deps;
  const member = await memberInScope(db, caller, input.memberId);
  let query = codesOf(db).where('c.member_id', '=', member.id);
  // Ids are time-ordered (src/ids.ts): the cursor is the last id of the previous page.
  if (input.cursor) query = query.where('c.id', '<', input.cursor);
  const rows = await query.orderBy('c.id', 'desc').limit(input.limit + 1).execute();
  const now = clock();
  const page = rows.slice(0, input.limit);
  return {
    member_id: member.id,
    display_name: member.display_name,
    items: page.map((row) => viewOf(row, now)),
    next_cursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}

/**
 * Revokes a member's sign-in code: unused, it can no longer be exchanged;
 * used, the session it gave ends at the next request (src/auth/sessions.ts).
 * A revocation is a row of its own; a second one is refused by its key.
 */
export async function revokeSignInCode(
  deps: AppDeps,
  caller: Caller,
  input: { memberId: string; codeId: string; reason?: string },
  idempotency: IdempotencyScope | undefined,
) {
  const { db, clock } = deps;
  const member = await memberInScope(db, caller, input.memberId);
  const row = await codesOf(db).where('c.id', '=', input.codeId).where('c.member_id', '=', member.id).executeTakeFirst();
  if (!row) throw notFound(`Sign-in code ${input.codeId} of member ${member.id}`);
  const now = clock();
  const revocation = { code_id: row.id, reason: input.reason ?? null, actor: callerKey(caller), created_at: now.toISOString() };
  const statement = db.insertInto('sign_in_code_revocations').values(revocation).compile();
  return commitWrite(deps, idempotency, () => ({ statements: [statement], result: revocation }), 201, (r) => ({
    ...viewOf({ ...row, revoked_at: r.created_at }, now),
    reason: r.reason,
  }));
}
