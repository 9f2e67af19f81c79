import { z } from '@hono/zod-openapi';
import { badRequest } from '../errors.js';
import { defineRoute, IdParam, jsonBody, jsonResponse, newRouter, PageQuery, problemResponses } from '../http/router.js';
import { periodBounds } from '../ledger/programme-time.js';
import { addReward, changeReward, RewardInput, RewardPatch, rewardsOf, rewardView, RewardView } from './catalog.js';
import { merchantPage, registerMerchant, requireMerchant } from './merchants.js';
import { settlementStatement } from './settlement.js';

const Merchant = z.object({ id: z.string(), name: z.string(), org_id: z.string(), account_id: z.string(), created_at: z.string() }).openapi('Merchant');
const RewardParams = z.object({
  id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' } }),
  reward_id: z.string().min(1).max(200).openapi({ param: { name: 'reward_id', in: 'path' } }),
});
const Instant = z.iso.datetime({ offset: true });
const CountPoints = z.object({ count: z.number().int(), points: z.string() });
const SettlementStatement = z
  .object({
    merchant_id: z.string(),
    from: z.string(),
    to: z.string(),
    rate_cny_per_point: z.string(),
    redemptions: CountPoints.extend({
      by_reward: z.array(z.object({ reward_id: z.string(), name: z.string(), count: z.number().int(), quantity: z.number().int(), points: z.string() })),
    }),
    refunds: CountPoints,
    net_points: z.string(),
    net_cny: z.string(),
    settled_in_period: CountPoints,
    settlements_reversed_in_period: CountPoints,
    unsettled_balance: z.string(),
    unsettled_cny: z.string(),
  })
  .openapi('SettlementStatement');

const createMerchantRoute = defineRoute({
  method: 'post',
  path: '/v1/merchants',
  operationId: 'createMerchant',
  tags: ['Admin'],
  summary: 'Register a partner merchant (shop, garage, barber, clinic, red station) and its redeemed-points account',
  roles: ['admin'],
  request: { body: jsonBody(z.object({ name: z.string().trim().min(1).max(200), org_id: z.string().min(1).max(200) }).strict().openapi('MerchantInput')) },
  responses: { 201: jsonResponse(Merchant, 'The merchant'), ...problemResponses },
});

const MerchantListed = Merchant.extend({
  org_name: z.string(),
  has_card_rewards: z.boolean().openapi({ description: 'It offers at least one discount card now' }),
  active_rewards: z.number().int().openapi({ description: 'Rewards on its catalog now' }),
}).openapi('MerchantListed');

const listMerchantsRoute = defineRoute({
  method: 'get',
  path: '/v1/merchants',
  operationId: 'listMerchants',
  tags: ['Admin', 'Merchant'],
  summary: 'Partner merchants by name: admins and auditors see every one, a merchant only itself',
  description: '`org_id` (admins and auditors): only merchants registered in that org or under it. By name, then id; `next_cursor` continues after the last merchant of the page.',
  roles: ['admin', 'auditor', 'merchant'],
  request: {
    query: z.object({
      org_id: z.string().min(1).max(200).optional().openapi({ description: "Only merchants registered in this org's subtree" }),
      ...PageQuery,
    }),
  },
  responses: { 200: jsonResponse(z.object({ items: z.array(MerchantListed), next_cursor: z.string().nullable() }), 'A page of merchants'), ...problemResponses },
});

const listRewardsRoute = defineRoute({
  method: 'get',
  path: '/v1/merchants/{id}/rewards',
  operationId: 'listRewards',
  tags: ['Merchant', 'Worker'],
  summary: "A merchant's catalog (others than the merchant and admins see active rewards only)",
  roles: ['admin', 'auditor', 'organizer', 'merchant', 'worker'],
  request: { params: IdParam },
  responses: { 200: jsonResponse(z.object({ items: z.array(RewardView) }), 'Rewards'), ...problemResponses },
});

const addRewardRoute = defineRoute({
  method: 'post',
  path: '/v1/merchants/{id}/rewards',
  operationId: 'createReward',
  tags: ['Merchant'],
  summary: 'Add a reward: goods (price, stock, per-member limit) or a discount card (percent or CNY off, validity, uses)',
  roles: ['admin', 'merchant'],
  request: { params: IdParam, body: jsonBody(RewardInput) },
  responses: { 201: jsonResponse(RewardView, 'The reward'), ...problemResponses },
});

const patchRewardRoute = defineRoute({
  method: 'patch',
  path: '/v1/merchants/{id}/rewards/{reward_id}',
  operationId: 'updateReward',
  tags: ['Merchant'],
  summary: 'Change a reward: price (redemptions keep the price they paid), stock, limit, or take it off the catalog',
  roles: ['admin', 'merchant'],
  request: { params: RewardParams, body: jsonBody(RewardPatch) },
  responses: { 200: jsonResponse(RewardView, 'The reward'), ...problemResponses },
});

const statementRoute = defineRoute({
  method: 'get',
  path: '/v1/merchants/{id}/settlement',
  operationId: 'getMerchantSettlement',
  tags: ['Merchant'],
  summary: "A merchant's settlement statement for a period: redemptions, refunds, net points and their CNY value",
  roles: ['admin', 'auditor', 'merchant'],
  request: {
    params: IdParam,
    query: z.object({ from: Instant.optional().openapi({ description: 'Default: the start of the current month' }), to: Instant.optional().openapi({ description: 'Default: now' }) }),
  },
  responses: { 200: jsonResponse(SettlementStatement, 'The statement'), ...problemResponses },
});

/** Merchant, catalog and settlement-statement routes. */
export function merchantRoutes() {
  return newRouter()
    .openapi(listMerchantsRoute, async (c) => c.json(await merchantPage(c.get('deps'), c.get('caller'), c.req.valid('query')), 200))
    .openapi(createMerchantRoute, async (c) => c.json(await registerMerchant(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201))
    .openapi(listRewardsRoute, async (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      const caller = c.get('caller');
      const merchant = await requireMerchant(db, caller.role === 'merchant' ? caller : { ...caller, role: 'admin' }, id);
      const rewards = await rewardsOf(db, merchant.id, caller.role !== 'admin' && caller.role !== 'merchant');
      return c.json({ items: rewards.map(rewardView) }, 200);
    })
    .openapi(addRewardRoute, async (c) => {
      const input = { ...c.req.valid('json'), merchant_id: c.req.valid('param').id };
      return c.json(await addReward(c.get('deps'), c.get('caller'), input, c.get('idempotency')), 201);
    })
    .openapi(patchRewardRoute, async (c) => {
      const { id, reward_id } = c.req.valid('param');
      const input = { ...c.req.valid('json'), merchant_id: id, reward_id };
      return c.json(await changeReward(c.get('deps'), c.get('caller'), input, c.get('idempotency')), 200);
    })
    .openapi(statementRoute, async (c) => {
      const { db, clock, programme } = c.get('deps');
      const merchant = await requireMerchant(db, c.get('caller'), c.req.valid('param').id);
      const q = c.req.valid('query');
      const now = clock();
      const from = q.from ? new Date(q.from).toISOString() : periodBounds('month', now, programme.utcOffsetMinutes).from;
      const to = q.to ? new Date(q.to).toISOString() : now.toISOString();
      if (from >= to) throw badRequest('validation_failed', 'from must be before to', [{ path: 'query.from', message: 'must be before to' }]);
      return c.json(await settlementStatement(db, merchant.id, { from, to }, programme.pointValueCny), 200);
    });
}
