import { callerKey, type Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { guardRefusal } from '../db/errors.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { releaseHold } from '../ledger/holds.js';
import { refundDeadline } from '../ledger/programme-time.js';
import { findReward, limitPeriods } from './catalog.js';
import { redeemHold } from './redeem.js';
import { activeRewardOf, redeemedView } from './redemption-reads.js';
import { findRewardHold, reserveReward, rewardHoldView } from './reward-holds.js';

/** Reserves a reward for the calling worker's pickup: its points and stock are held until captured, voided or expired. */
export async function reserveForPickup(deps: AppDeps, caller: Caller, input: { reward_id: string; quantity: number }, idempotency: IdempotencyScope | undefined) {
  const { db, clock, programme } = deps;
  const reward = await findReward(db, input.reward_id);
  if (!reward) throw notFound(`Reward ${input.reward_id}`);
  await activeRewardOf(db, reward.id, reward.merchant_id);
  // Also a guard in the schema; checked first because the hold's own guards (its funds) run before it and could answer instead.
  if (reward.kind === 'discount_card' && input.quantity !== 1) throw guardRefusal('one_card_at_a_time');
  const now = clock();
  const { statements, hold } = reserveReward(db, {
    reward,
    memberId: caller.member_id!,
    quantity: input.quantity,
    periods: limitPeriods(reward, now.toISOString(), programme.utcOffsetMinutes),
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + programme.holdTtlHours * 3_600_000).toISOString(),
    actor: callerKey(caller),
  });
  const view = {
    ...rewardHoldView({ ...hold, reward_id: reward.id, merchant_id: reward.merchant_id, member_id: caller.member_id!, quantity: input.quantity, unit_price: reward.price, resolution: null, resolved_at: null }, now.toISOString()),
  };
  return commitWrite(deps, idempotency, () => ({ statements, result: view }), 201, (v) => v);
}

/** The worker picked the reward up at the calling merchant: the held points become a redemption, with its receipt. */
export async function capturePickup(deps: AppDeps, caller: Caller, input: { id: string }, idempotency: IdempotencyScope | undefined) {
  const { db, clock, signer, programme } = deps;
  const held = await findRewardHold(db, input.id);
  if (!held) throw notFound(`Hold ${input.id}`);
  if (held.merchant_id !== caller.merchant_id) throw forbidden('This reservation is at another merchant');
  const now = clock().toISOString();
  // Also a guard in the schema; checked first for an answer that says whether it was captured, voided or expired.
  if (held.resolution) throw conflict('hold_already_resolved', `The hold was already ${rewardHoldView(held, now).status}`);
  const reward = (await findReward(db, held.reward_id))!;
  return commitWrite(
    deps,
    idempotency,
    (head) =>
      redeemHold(db, head, signer, {
        reward,
        hold: held,
        memberId: held.member_id,
        quantity: held.quantity,
        unitPrice: held.unit_price,
        now,
        refundableUntil: refundDeadline(now, programme.refundWindowDays),
        actor: callerKey(caller),
      }),
    201,
    redeemedView,
  );
}

/** Cancels a reservation (its merchant's, its worker's, or any for an admin): points, stock and limit are released. */
export async function voidReservation(deps: AppDeps, caller: Caller, input: { id: string }, idempotency: IdempotencyScope | undefined) {
  const { db, clock } = deps;
  const held = await findRewardHold(db, input.id);
  if (!held) throw notFound(`Hold ${input.id}`);
  if ((caller.role === 'merchant' && held.merchant_id !== caller.merchant_id) || (caller.role === 'worker' && held.member_id !== caller.member_id)) {
    throw forbidden('Not your reservation');
  }
  const now = clock().toISOString();
  const statements = releaseHold(db, held.id, 'void', { actor: callerKey(caller), created_at: now });
  const view = rewardHoldView({ ...held, resolution: 'void', resolved_at: now }, now);
  return commitWrite(deps, idempotency, () => ({ statements, result: view }), 200, (v) => v);
}
