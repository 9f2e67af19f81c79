import { z } from '@hono/zod-openapi';
import { callerKey } from '../auth/caller.js';
import { notFound, refused } from '../errors.js';
import { commitWrite } from '../db/write-runner.js';
import { defineRoute, IdParam, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { formatPoints, PositivePoints } from '../ledger/amount.js';
import { findTransaction, transactionView } from '../ledger/read.js';
import { findAccount } from '../ledger/accounts.js';
import { TransactionView } from '../accounts/schemas.js';
import { requireMerchant } from './merchants.js';
import { findSettlement, reverseSettlement, settleMerchant } from './settlement.js';

const Instant = z.iso.datetime({ offset: true });

const settleRoute = defineRoute({
  method: 'post',
  path: '/v1/settlements',
  operationId: 'createSettlement',
  tags: ['Admin'],
  summary: "Record a settlement: the merchant's redeemed points move to the programme's settled account",
  roles: ['admin'],
  request: {
    body: jsonBody(
      z
        .object({
          merchant_id: z.string().min(1).max(200),
          points: PositivePoints.optional().openapi({ description: "Default: the merchant's whole unsettled balance" }),
          period_from: Instant.optional(),
          period_to: Instant.optional(),
          reference: z.string().trim().min(1).max(200).optional().openapi({ description: 'e.g. the bank transfer reference' }),
        })
        .strict()
        .openapi('SettlementInput'),
    ),
  },
  responses: {
    201: jsonResponse(z.object({ settlement: z.record(z.string(), z.unknown()), transaction: TransactionView }).openapi('Settlement'), 'The settlement'),
    ...problemResponses,
  },
});

const reverseRoute = defineRoute({
  method: 'post',
  path: '/v1/settlements/{id}/reverse',
  operationId: 'reverseSettlement',
  tags: ['Admin'],
  summary: "Reverse a settlement (e.g. a bank transfer that bounced): the merchant's redeemed balance comes back, to be settled again",
  description: 'Once per settlement; the reversal is final. The generic reversal of /v1/adjustments refuses settlements.',
  roles: ['admin'],
  request: { params: IdParam, body: jsonBody(z.object({ reason: z.string().trim().min(3).max(500) }).strict().openapi('SettlementReversalInput')) },
  responses: {
    201: jsonResponse(
      z.object({ settlement_id: z.string(), reason: z.string(), transaction: TransactionView }).openapi('SettlementReversal'),
      'The reversal',
    ),
    ...problemResponses,
  },
});

/** Settling a merchant and reversing a settlement (admin). */
export function settlementRoutes() {
  return newRouter()
    .openapi(settleRoute, async (c) => {
      const input = c.req.valid('json');
      const { db, clock, programme } = c.get('deps');
      const merchant = await requireMerchant(db, c.get('caller'), input.merchant_id);
      const account = await findAccount(db, merchant.account_id);
      const points = input.points ?? account?.posted ?? 0;
      if (points <= 0) throw refused('nothing_to_settle');
      const body = await commitWrite(
        c.get('deps'),
        c.get('idempotency'),
        (head) =>
          settleMerchant(db, head, {
            merchantId: merchant.id,
            points,
            rateCny: programme.pointValueCny,
            periodFrom: input.period_from ?? null,
            periodTo: input.period_to ?? null,
            reference: input.reference ?? null,
            actor: callerKey(c.get('caller')),
            now: clock().toISOString(),
          }),
        201,
        (r) => ({ settlement: { ...r.settlement, points: formatPoints(r.settlement.points) }, transaction: transactionView(r.transaction) }),
      );
      return c.json(body, 201);
    })
    .openapi(reverseRoute, async (c) => {
      const { db, clock } = c.get('deps');
      const { id } = c.req.valid('param');
      const settlement = await findSettlement(db, id);
      const settled = settlement && (await findTransaction(db, settlement.tx_id));
      if (!settlement || !settled) throw notFound(`Settlement ${id}`);
      const reason = c.req.valid('json').reason;
      const body = await commitWrite(
        c.get('deps'),
        c.get('idempotency'),
        (head) => reverseSettlement(db, head, { settlementId: settlement.id, settled, reason, actor: callerKey(c.get('caller')), now: clock().toISOString() }),
        201,
        (tx) => ({ settlement_id: settlement.id, reason, transaction: transactionView(tx) }),
      );
      return c.json(body, 201);
    });
}
