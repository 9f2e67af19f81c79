import { z } from '@hono/zod-openapi';
import { callerKey } from '../auth/caller.js';
import { AppError, conflict, forbidden, notFound } from '../errors.js';
import { guardRefusal } from '../db/errors.js';
import { commitFresh, commitWrite } from '../http/idempotency.js';
import { defineRoute, IdParam, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { formatPoints, PositivePoints } from '../ledger/amount.js';
import { transactionView } from '../ledger/read.js';
import { refundDeadline } from '../ledger/programme-time.js';
import { TransactionView } from '../accounts/schemas.js';
import { ownAccount } from '../accounts/access.js';
import type { Db } from '../db/types.js';
import { findReward, limitPeriods, type RewardRow } from './catalog.js';
import { hashCode, newRedeemCode } from './codes.js';
import { requireMerchant } from './merchants.js';
import { redeemWithCode, type Redeemed } from './redeem.js';
import { CodeRefused, redeemAttempt, type CodeFailure } from './redeem-attempts.js';
import { refundRedemption } from './refunds.js';
import { cardView, CardView } from './cards.js';
import { codeQrSvg } from './code-qr.js';

const CodeInput = z.string().trim().min(4).max(40).openapi({ example: 'K7QM-2XWD-9HPA' });

const RedemptionView = z
  .object({
    id: z.string(),
    merchant_id: z.string(),
    reward_id: z.string(),
    member_id: z.string(),
    quantity: z.number().int(),
    unit_price: z.string(),
    points: z.string(),
    transaction_id: z.string(),
    hold_id: z.string().nullable(),
    refundable_until: z.string(),
    created_at: z.string(),
  })
  .openapi('Redemption');

const RedeemedView = z
  .object({
    redemption: RedemptionView,
    transaction: z.object({ id: z.string(), seq: z.number().int(), hash: z.string() }),
    receipt: z.string().openapi({ description: 'JWS (EdDSA) over the redemption; verify with /.well-known/jwks.json' }),
    card: CardView.nullable(),
  })
  .openapi('Redeemed');

/** What a merchant gets back from a redemption or a pickup. */
export function redeemedView(r: Redeemed) {
  const { tx_id: _tx, ...redemption } = r.redemption;
  return {
    redemption: { ...redemption, transaction_id: r.redemption.tx_id, unit_price: formatPoints(r.redemption.unit_price), points: formatPoints(r.redemption.points) },
    transaction: { id: r.transaction.id, seq: r.transaction.seq, hash: r.transaction.hash },
    receipt: r.receipt,
    card: r.card ? cardView(r.card, 0, null, r.redemption.created_at) : null,
  };
}

const issueCodeRoute = defineRoute({
  method: 'post',
  path: '/v1/me/redeem-codes',
  operationId: 'createRedeemCode',
  tags: ['Worker'],
  summary: 'A one-time, short-lived code to show (as a QR code) at a merchant',
  roles: ['worker'],
  request: {
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z
            .object({
              max_points: PositivePoints.optional().openapi({ description: "The most points this code may spend; the programme's default when omitted" }),
            })
            .strict()
            .openapi('RedeemCodeInput'),
        },
      },
    },
  },
  responses: {
    201: jsonResponse(
      z
        .object({
          code: z.string(),
          expires_at: z.string(),
          max_points: z.string().openapi({ description: 'The ceiling: a redemption costing more is refused (code_ceiling_exceeded)' }),
          qr_svg: z.string().openapi({ description: 'The code as an SVG QR code, ready to show' }),
        })
        .openapi('RedeemCode'),
      'The code',
    ),
    ...problemResponses,
  },
});

const checkCodeRoute = defineRoute({
  method: 'post',
  path: '/v1/redeem-codes/check',
  operationId: 'checkRedeemCode',
  tags: ['Merchant'],
  summary: 'Is this redeem code valid now? (says nothing about the worker)',
  roles: ['merchant'],
  request: { body: jsonBody(z.object({ code: CodeInput }).strict()) },
  responses: {
    200: jsonResponse(z.object({ valid: z.boolean(), expires_at: z.string().nullable(), reason: z.string().nullable() }).openapi('CodeCheck'), 'Validity'),
    ...problemResponses,
  },
});

const redeemRoute = defineRoute({
  method: 'post',
  path: '/v1/redemptions',
  operationId: 'createRedemption',
  tags: ['Merchant'],
  summary: "Redeem a worker's code for a reward: points, stock, limit and code in one atomic write, with a signed receipt",
  roles: ['merchant'],
  request: {
    body: jsonBody(
      z.object({ redeem_code: CodeInput, reward_id: z.string().min(1).max(200), quantity: z.number().int().min(1).max(1000).default(1) }).strict().openapi('RedemptionInput'),
    ),
  },
  responses: { 201: jsonResponse(RedeemedView, 'The redemption, its receipt and any card issued'), ...problemResponses },
});

const getRedemptionRoute = defineRoute({
  method: 'get',
  path: '/v1/redemptions/{id}',
  operationId: 'getRedemption',
  tags: ['Merchant', 'Worker'],
  summary: 'One redemption (its merchant, its worker, admins and auditors)',
  roles: ['admin', 'auditor', 'merchant', 'worker'],
  request: { params: IdParam },
  responses: { 200: jsonResponse(RedemptionView.extend({ refunded: z.boolean() }), 'The redemption'), ...problemResponses },
});

const refundRoute = defineRoute({
  method: 'post',
  path: '/v1/redemptions/{id}/refund',
  operationId: 'refundRedemption',
  tags: ['Merchant'],
  summary: 'Refund a redemption within the window: reversing transaction, stock restored, card revoked if unused',
  roles: ['admin', 'merchant'],
  request: { params: IdParam, body: jsonBody(z.object({ reason: z.string().trim().min(3).max(500) }).strict()) },
  responses: { 200: jsonResponse(z.object({ redemption_id: z.string(), transaction: TransactionView }).openapi('Refund'), 'The refund'), ...problemResponses },
});

/** Redeem codes, redemptions and refunds. */
export function redemptionRoutes() {
  return newRouter()
    .openapi(issueCodeRoute, async (c) => {
      const { db, clock, programme } = c.get('deps');
      const asked = (c.req.valid('json') as { max_points?: number } | undefined)?.max_points;
      const code = newRedeemCode();
      const now = clock();
      const row = {
        code_hash: hashCode(code),
        member_id: c.get('caller').member_id!,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + programme.redeemCodeTtlSeconds * 1000).toISOString(),
        max_points: asked ?? programme.redeemCodeDefaultMaxPoints,
      };
      const statement = db.insertInto('redeem_codes').values(row).compile();
      const body = await commitWrite(c, () => ({ statements: [statement], result: row }), 201, (r) => ({
        code,
        expires_at: r.expires_at,
        max_points: formatPoints(r.max_points),
        qr_svg: codeQrSvg(code),
      }));
      return c.json(body, 201);
    })
    .openapi(checkCodeRoute, async (c) => {
      const { db, clock } = c.get('deps');
      const codeHash = hashCode(c.req.valid('json').code);
      // A check is an attempt like a redemption: limited and recorded the same way.
      const attempt = redeemAttempt(c, codeHash);
      await attempt.admit();
      const state = await codeState(db, codeHash, clock().toISOString());
      if (state.ok) await attempt.pass();
      else await attempt.fail(new CodeRefused(state.reason, codeRefusal(state.reason), state.member_id));
      return c.json({ valid: state.ok, expires_at: state.expires_at, reason: state.ok ? null : state.reason }, 200);
    })
    .openapi(redeemRoute, async (c) => {
      const input = c.req.valid('json');
      const { db, clock, signer, programme } = c.get('deps');
      const merchantId = c.get('caller').merchant_id!;
      const reward = await activeRewardOf(db, input.reward_id, merchantId);
      // Also a guard in the schema; checked before the code is tried, so a malformed request is not counted as a failed attempt.
      if (reward.kind === 'discount_card' && input.quantity !== 1) throw guardRefusal('one_card_at_a_time');
      const codeHash = hashCode(input.redeem_code);
      const attempt = redeemAttempt(c, codeHash);
      await attempt.admit();
      const body = await commitFresh(
        c,
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
              actor: callerKey(c.get('caller')),
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
      return c.json(body, 201);
    })
    .openapi(getRedemptionRoute, async (c) => {
      const { db } = c.get('deps');
      const caller = c.get('caller');
      const r = await db.selectFrom('redemptions').selectAll().where('id', '=', c.req.valid('param').id).executeTakeFirst();
      if (!r) throw notFound(`Redemption ${c.req.valid('param').id}`);
      if ((caller.role === 'merchant' && caller.merchant_id !== r.merchant_id) || (caller.role === 'worker' && caller.member_id !== r.member_id)) {
        throw forbidden('Not your redemption');
      }
      const refunded = await db.selectFrom('refunds').select('redemption_id').where('redemption_id', '=', r.id).executeTakeFirst();
      const { tx_id, ...rest } = r;
      return c.json({ ...rest, transaction_id: tx_id, unit_price: formatPoints(r.unit_price), points: formatPoints(r.points), refunded: !!refunded }, 200);
    })
    .openapi(refundRoute, async (c) => {
      const { db, clock } = c.get('deps');
      const r = await db.selectFrom('redemptions').selectAll().where('id', '=', c.req.valid('param').id).executeTakeFirst();
      if (!r) throw notFound(`Redemption ${c.req.valid('param').id}`);
      await requireMerchant(db, c.get('caller'), r.merchant_id);
      const reward = (await findReward(db, r.reward_id))!;
      const now = clock().toISOString();
      const own = ownAccount(c.get('caller'));
      // The schema refuses a second refund, one past the refund window and one of a used card.
      const body = await commitWrite(
        c,
        (head) => {
          const refund = refundRedemption(db, head, { redemption: r, stockTracked: reward.stock !== null, reason: c.req.valid('json').reason, actor: callerKey(c.get('caller')), now });
          return { statements: refund.statements, head: refund.head, result: refund.transaction };
        },
        200,
        // The merchant sees its own leg, not the worker's account; an admin the whole.
        (tx) => ({ redemption_id: r.id, transaction: transactionView(tx, own === undefined ? undefined : (account) => account === own) }),
      );
      return c.json(body, 200);
    });
}

/** A reward of this merchant that is on the catalog. */
export async function activeRewardOf(db: Db, rewardId: string, merchantId: string): Promise<RewardRow> {
  const reward = await findReward(db, rewardId);
  if (!reward || reward.merchant_id !== merchantId) throw notFound(`Reward ${rewardId}`);
  if (reward.active !== 1) throw conflict('reward_inactive', 'This reward is no longer offered');
  return reward;
}

type CodeState = { ok: true; member_id: string; expires_at: string } | { ok: false; reason: CodeFailure; expires_at: string | null; member_id: string | null };

/** What a code hash means right now: valid (for whom), used, expired, or unknown. */
async function codeState(db: Db, codeHash: string, now: string): Promise<CodeState> {
  const row = await db
    .selectFrom('redeem_codes as c')
    .leftJoin('redeem_code_uses as u', 'u.code_hash', 'c.code_hash')
    .select(['c.member_id', 'c.expires_at', 'u.code_hash as used'])
    .where('c.code_hash', '=', codeHash)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'invalid', expires_at: null, member_id: null };
  if (row.used) return { ok: false, reason: 'used', expires_at: row.expires_at, member_id: row.member_id };
  if (now >= row.expires_at) return { ok: false, reason: 'expired', expires_at: row.expires_at, member_id: row.member_id };
  return { ok: true, member_id: row.member_id, expires_at: row.expires_at };
}

function codeRefusal(reason: CodeFailure): AppError {
  return guardRefusal(reason === 'invalid' ? 'invalid_code' : reason === 'used' ? 'code_used' : 'code_expired');
}
