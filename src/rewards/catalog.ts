import { z } from '@hono/zod-openapi';
import { Decimal } from 'decimal.js';
import type { Db, Database } from '../db/types.js';
import type { Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { notFound } from '../errors.js';
import { newId } from '../ids.js';
import { formatPoints, PositivePoints } from '../ledger/amount.js';
import { periodKey } from '../ledger/programme-time.js';
import { requireMerchant } from './merchants.js';

export type RewardRow = Database['rewards'];

// abort: a string that is not a decimal must not reach the Decimal checks below (they would throw).
const Cny = z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, { message: 'must be an amount of CNY with at most two decimals, e.g. "20.00"', abort: true });
const Percent = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,2})?$/, { message: 'must be a percentage with at most two decimals, e.g. "15"', abort: true })
  .refine((s) => new Decimal(s).gt(0) && new Decimal(s).lt(100), 'must be more than 0 and less than 100');

const CardTerms = z
  .object({
    percent_off: Percent.optional(),
    amount_off_cny: Cny.refine((s) => new Decimal(s).gt(0), 'must be more than 0').optional(),
    valid_days: z.number().int().min(1).max(3650),
    uses: z.number().int().min(1).max(1000),
  })
  .strict()
  .refine((c) => (c.percent_off === undefined) !== (c.amount_off_cny === undefined), {
    message: 'give exactly one of percent_off and amount_off_cny',
  });

/** A reward a merchant offers. */
export const RewardInput = z
  .object({
    kind: z.enum(['goods', 'discount_card']),
    name: z.string().trim().min(1).max(200),
    price: PositivePoints.openapi({ description: 'Points per unit' }),
    stock: z.number().int().min(0).max(1_000_000_000).nullable().optional().openapi({ description: 'Units in stock; omit or null for unlimited' }),
    per_member_limit: z.number().int().min(1).max(1_000_000).optional().openapi({ description: 'Most units one member may take per limit_period' }),
    limit_period: z.enum(['day', 'month', 'year', 'ever']).default('month'),
    card: CardTerms.optional().openapi({ description: 'Required for discount cards: percent_off or amount_off_cny, valid_days, uses' }),
  })
  .strict()
  .refine((r) => (r.kind === 'discount_card') === (r.card !== undefined), {
    message: 'a discount_card reward needs card terms, and goods have none',
    path: ['card'],
  })
  .openapi('RewardInput');

/** Changes to a reward: price, stock, limits, or taking it off the catalog. */
export const RewardPatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    price: PositivePoints.optional(),
    stock: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
    per_member_limit: z.number().int().min(1).max(1_000_000).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .openapi('RewardPatch');

export const RewardView = z
  .object({
    id: z.string(),
    merchant_id: z.string(),
    kind: z.enum(['goods', 'discount_card']),
    name: z.string(),
    price: z.string(),
    stock: z.number().int().nullable(),
    per_member_limit: z.number().int().nullable(),
    limit_period: z.string(),
    card: z
      .object({ percent_off: z.string().nullable(), amount_off_cny: z.string().nullable(), valid_days: z.number().int(), uses: z.number().int() })
      .nullable(),
    active: z.boolean(),
    updated_at: z.string(),
  })
  .openapi('Reward');

/** A reward as the API shows it. */
export function rewardView(r: RewardRow): z.infer<typeof RewardView> {
  return {
    id: r.id,
    merchant_id: r.merchant_id,
    kind: r.kind,
    name: r.name,
    price: formatPoints(r.price),
    stock: r.stock,
    per_member_limit: r.per_member_limit,
    limit_period: r.limit_period,
    card:
      r.kind === 'discount_card'
        ? { percent_off: r.card_percent_off, amount_off_cny: r.card_amount_off_cny, valid_days: r.card_valid_days!, uses: r.card_uses! }
        : null,
    active: r.active === 1,
    updated_at: r.updated_at,
  };
}

/** Reads one reward. */
export function findReward(db: Db, id: string): Promise<RewardRow | undefined> {
  return db.selectFrom('rewards').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A merchant's rewards in the order they were added; only those on offer when `activeOnly`. */
export function rewardsOf(db: Db, merchantId: string, activeOnly: boolean): Promise<RewardRow[]> {
  let query = db.selectFrom('rewards').selectAll().where('merchant_id', '=', merchantId).orderBy('created_at');
  if (activeOnly) query = query.where('active', '=', 1);
  return query.execute();
}

/** Compiles a new reward. */
export function insertReward(db: Db, row: RewardRow) {
  return db.insertInto('rewards').values(row).compile();
}

/** Compiles a change to a reward's terms (the catalog is not the ledger: its rows change). */
export function updateReward(db: Db, id: string, changes: Partial<Omit<RewardRow, 'id' | 'merchant_id'>>) {
  return db.updateTable('rewards').set(changes).where('id', '=', id).compile();
}

/** Adds a reward to the catalog of a merchant the caller acts for. */
export async function addReward(deps: AppDeps, caller: Caller, input: z.output<typeof RewardInput> & { merchant_id: string }, idempotency: IdempotencyScope | undefined) {
  const { db, clock } = deps;
  const merchant = await requireMerchant(db, caller, input.merchant_id);
  const now = clock().toISOString();
  const row: RewardRow = {
    id: newId('rwd'),
    merchant_id: merchant.id,
    kind: input.kind,
    name: input.name,
    price: input.price,
    stock: input.stock ?? null,
    per_member_limit: input.per_member_limit ?? null,
    limit_period: input.limit_period,
    card_percent_off: input.card?.percent_off ?? null,
    card_amount_off_cny: input.card?.amount_off_cny ?? null,
    card_valid_days: input.card?.valid_days ?? null,
    card_uses: input.card?.uses ?? null,
    active: 1,
    created_at: now,
    updated_at: now,
  };
  const statement = insertReward(db, row);
  return commitWrite(deps, idempotency, () => ({ statements: [statement], result: row }), 201, rewardView);
}

/** Changes one of the caller's merchant's rewards: price (redemptions keep the price they paid), stock, limit, or whether it is offered. */
export async function changeReward(
  deps: AppDeps,
  caller: Caller,
  input: z.output<typeof RewardPatch> & { merchant_id: string; reward_id: string },
  idempotency: IdempotencyScope | undefined,
) {
  const { db, clock } = deps;
  const merchant = await requireMerchant(db, caller, input.merchant_id);
  const reward = await findReward(db, input.reward_id);
  if (!reward || reward.merchant_id !== merchant.id) throw notFound(`Reward ${input.reward_id}`);
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.price !== undefined ? { price: input.price } : {}),
    ...(input.stock !== undefined ? { stock: input.stock } : {}),
    ...(input.per_member_limit !== undefined ? { per_member_limit: input.per_member_limit } : {}),
    ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
    updated_at: clock().toISOString(),
  };
  const statement = updateReward(db, reward.id, changes);
  const updated = { ...reward, ...changes };
  return commitWrite(deps, idempotency, () => ({ statements: [statement], result: updated }), 200, rewardView);
}

/** The limit periods (programme time) a redemption at `at` counts against. */
export function limitPeriods(reward: Pick<RewardRow, 'per_member_limit' | 'limit_period'>, at: string, utcOffsetMinutes: number): string[] {
  if (reward.per_member_limit === null) return [];
  return reward.limit_period === 'ever' ? ['ever'] : [periodKey(reward.limit_period, at, utcOffsetMinutes)];
}
