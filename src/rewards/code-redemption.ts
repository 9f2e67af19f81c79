import { callerKey, type Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { guardRefusal } from '../db/errors.js';
import { commitFresh, commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { formatPoints } from '../ledger/amount.js';
import { refundDeadline } from '../ledger/programme-time.js';
import { limitPeriods } from './catalog.js';
import { codeQrSvg } from './code-qr.js';
import { hashCode, newRedeemCode } from './codes.js';
import { redeemWithCode } from './redeem.js';
import { CodeRefused, redeemAttempt, type CodeFailure } from './redeem-attempts.js';
import { activeRewardOf, codeState, redeemedView } from './redemption-reads.js';

/** Issues a worker a one-time code, valid for the programme's time to live, spending at most `maxPoints`. */
export async function issueRedeemCode(deps: AppDeps, caller: Caller, input: { maxPoints: number | undefined }, idempotency: IdempotencyScope | undefined) {
  const { db, clock, programme } = deps;
  const code = newRedeemCode();
  const now = clock();
  const row = {
    code_hash: hashCode(code),
    member_id: caller.member_id!,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + programme.redeemCodeTtlSeconds * 1000).toISOString(),
    max_points: input.maxPoints ?? programme.redeemCodeDefaultMaxPoints,
  };
  const statement = db.insertInto('redeem_codes').values(row).compile();
  return commitWrite(deps, idempotency, () => ({ statements: [statement], result: row }), 201, (r) => ({
    code,
    expires_at: r.expires_at,
    max_points: formatPoints(r.max_points),
    qr_svg: codeQrSvg(code),
  }));
}

/** Whether a code is valid now, for a merchant's till: an attempt like a redemption, limited and recorded the same way. */
export async function checkRedeemCode(deps: AppDeps, caller: Caller, input: { code: string }, idempotency: IdempotencyScope | undefined) {
  const codeHash = hashCode(input.code);
  const attempt = redeemAttempt(deps, caller, codeHash, idempotency);
  await attempt.admit();
  const state = await codeState(deps.db, codeHash, deps.clock().toISOString());
  if (state.ok) await attempt.pass();
  else await attempt.fail(new CodeRefused(state.reason, codeRefusal(state.reason), state.member_id));
  return { valid: state.ok, expires_at: state.expires_at, reason: state.ok ? null : state.reason };
}

/**
 * Redeems a worker's code for a reward at the calling merchant: points, stock,
 * limit and code in one atomic write, with a signed receipt.
 */
export async function redeemByCode(
  deps: AppDeps,
  caller: Caller,
  input: { redeem_code: string; reward_id: string; quantity: number },
  idempotency: IdempotencyScope | undefined,
) {
  const { db, clock, signer, programme } = deps;
  const reward = await activeRewardOf(db, input.reward_id, caller.merchant_id!);
  // Also a guard in the schema; checked before the code is tried, so a malformed request is not counted as a failed attempt.
  if (reward.kind === 'discount_card' && input.quantity !== 1) throw guardRefusal('one_card_at_a_time');
  const codeHash = hashCode(input.redeem_code);
  const attempt = redeemAttempt(deps, caller, codeHash, idempotency);
  await attempt.admit();
  return commitFresh(
    deps,
    idempotency,
    async () => {
      const now = clock().toISOString();
      const state = await codeState(db, codeHash, now);
      // Read first: an unknown code names no member to build the redemption for (used or expired, the schema refuses too).
      if (!state.ok) throw new CodeRefused(state.reason, codeRefusal(state.reason), state.member_id);
      return (head) => {
        const redeemed = redeemWithCode(db, head, signer, {
          reward,
          memberId: state.member_id,
          quantity: input.quantity,
          codeHash,
          now,
          refundableUntil: refundDeadline(now, programme.refundWindowDays),
          actor: callerKey(caller),
          periods: limitPeriods(reward, now, programme.utcOffsetMinutes),
        });
        // The limit is checked by the same batch: a correct guess past it is refused too.
        return { ...redeemed, statements: [attempt.gate(), ...redeemed.statements] };
      };
    },
    201,
    redeemedView,
  ).catch(async (error: unknown) => {
    throw await attempt.settle(error);
  });
}

/** The answer to a code that cannot be redeemed. */
function codeRefusal(reason: CodeFailure): AppError {
  return guardRefusal(reason === 'invalid' ? 'invalid_code' : reason === 'used' ? 'code_used' : 'code_expired');
}
