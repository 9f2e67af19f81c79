import type { CompiledQuery } from 'kysely';
import { callerKey, type Caller } from '../auth/caller.js';
import { AppError, tooManyAttempts } from '../errors.js';
import type { AppDeps } from '../deps.js';
import { replayIfStored, type IdempotencyScope } from '../db/write-runner.js';
import { newId } from '../ids.js';
import type { RedeemLimits } from '../config/schema.js';

/** Why a presented code did not redeem. */
export type CodeFailure = 'invalid' | 'used' | 'expired';

/** A presented code that cannot be redeemed, with the answer the till gets. */
export class CodeRefused extends Error {
  constructor(
    readonly reason: CodeFailure,
    readonly refusal: AppError,
    readonly memberId: string | null = null,
  ) {
    super(reason);
    this.name = 'CodeRefused';
  }
}

/** The fixed window `now` falls in, and the seconds until it ends. */
export function attemptWindow(now: Date, windowSeconds: number): { start: string; retryAfter: number } {
  const size = windowSeconds * 1000;
  const start = Math.floor(now.getTime() / size) * size;
  return { start: new Date(start).toISOString(), retryAfter: Math.max(1, Math.ceil((start + size - now.getTime()) / 1000)) };
}

const isRateLimit = (error: unknown) => error instanceof AppError && error.code === 'too_many_attempts';

/**
 * One merchant's attempt at one code, under the redeem-code limits: failures
 * are counted per merchant and per code in fixed windows, and the database
 * refuses (`redeem_rate_limited`) any attempt once either count is used up.
 * Every failure and every refusal is recorded for the anomaly report.
 */
export function redeemAttempt(deps: AppDeps, caller: Caller, codeHash: string, idempotency: IdempotencyScope | undefined) {
  const { db, executor, clock, programme } = deps;
  const limits: RedeemLimits = programme.redeemLimits;
  const merchantId = caller.merchant_id!;
  const window = attemptWindow(clock(), limits.windowSeconds);

  const failureRow = (reason: CodeFailure | 'rate_limited', memberId: string | null) =>
    db
      .insertInto('redeem_failures')
      .values({ id: newId('rdf'), merchant_id: merchantId, actor: callerKey(caller), code_hash: codeHash, member_id: memberId, reason, window_start: window.start, created_at: clock().toISOString() })
      .compile();

  /** Records a refusal by the limit (not counted) and returns the 429 to answer. */
  async function limited(): Promise<AppError> {
    await executor.write(() => ({ statements: [failureRow('rate_limited', null)], result: null }));
    return tooManyAttempts(window.retryAfter);
  }

  const attempt = {
    /** The guard statement: aborts its batch when the merchant or the code is over its limit. */
    gate(): CompiledQuery {
      return db
        .insertInto('redeem_attempt_gate')
        .values({ merchant_id: merchantId, code_hash: codeHash, window_start: window.start, merchant_max: limits.perMerchant, code_max: limits.perCode })
        .compile();
    },

    /** Refuses at once (429) when either count is already used up: a read, so a flood costs no lookups of codes. */
    async admit(): Promise<void> {
      const spent = await db
        .selectFrom('redeem_failure_counts')
        .select('scope')
        .where('window_start', '=', window.start)
        .where((eb) =>
          eb.or([
            eb.and([eb('scope', '=', `merchant:${merchantId}`), eb('failures', '>=', limits.perMerchant)]),
            eb.and([eb('scope', '=', `code:${codeHash}`), eb('failures', '>=', limits.perCode)]),
          ]),
        )
        .executeTakeFirst();
      if (spent) throw await limited();
    },

    /** Passes the gate on its own (a check that found the code valid): throws 429 when over the limit. */
    async pass(): Promise<void> {
      try {
        await executor.write(() => ({ statements: [attempt.gate()], result: null }));
      } catch (error) {
        throw isRateLimit(error) ? await limited() : error;
      }
    },

    /**
     * Records a failed attempt behind the gate and returns what to answer:
     * the refusal itself, or 429 when the limit was reached meanwhile (so a
     * flood of concurrent guesses learns nothing past the limit).
     */
    async fail(refused: CodeRefused): Promise<AppError> {
      try {
        await executor.write(() => ({ statements: [attempt.gate(), failureRow(refused.reason, refused.memberId)], result: null }));
        return refused.refusal;
      } catch (error) {
        if (isRateLimit(error)) return limited();
        throw error;
      }
    },

    /** Turns an error of the redemption's own write into the answer: failures recorded, the limit with its Retry-After. */
    async settle(error: unknown): Promise<unknown> {
      await replayIfStored(deps, idempotency); // a duplicate of a request that just succeeded is not a failure
      if (error instanceof CodeRefused) return attempt.fail(error);
      if (isRateLimit(error)) return limited();
      if (error instanceof AppError && (error.code === 'code_used' || error.code === 'code_expired')) {
        return attempt.fail(new CodeRefused(error.code === 'code_used' ? 'used' : 'expired', error));
      }
      return error;
    },
  };
  return attempt;
}
