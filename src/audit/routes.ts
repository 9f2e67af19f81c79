import { z } from '@hono/zod-openapi';
import { defineRoute, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { badRequest } from '../errors.js';
import { trialBalance } from '../ledger/trial-balance.js';
import { verifyLedger } from '../ledger/verify.js';

const AUDIT_ROLES = ['admin', 'auditor'] as const;

const TrialBalance = z
  .object({
    balanced: z.boolean(),
    total: z.string().openapi({ description: 'Sum of all posted balances; "0.00" in a sound ledger' }),
    by_kind: z.array(z.object({ kind: z.string(), accounts: z.number().int(), posted: z.string(), held: z.string() })),
    alert: z.string().optional(),
  })
  .openapi('TrialBalance');

const VerifyReport = z
  .object({
    ok: z.boolean(),
    from_seq: z.number().int(),
    to_seq: z.number().int(),
    checked: z.number().int(),
    first_bad_seq: z.number().int().optional(),
    reason: z.string().optional(),
    balances_checked: z.number().int(),
    balance_mismatches: z.array(
      z.object({ account_id: z.string(), field: z.enum(['posted', 'held']), stored: z.number(), recomputed: z.number() }),
    ),
  })
  .openapi('VerifyReport');

const Seq = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

const trialBalanceRoute = defineRoute({
  method: 'get',
  path: '/v1/audit/trial-balance',
  tags: ['Audit'],
  summary: 'Posted balances per account kind; the total must be exactly 0.00',
  roles: AUDIT_ROLES,
  responses: { 200: jsonResponse(TrialBalance, 'The trial balance'), ...problemResponses },
});

const verifyRoute = defineRoute({
  method: 'get',
  path: '/v1/audit/verify',
  tags: ['Audit'],
  summary: 'Recompute the hash chain over a seq range and every stored balance',
  roles: AUDIT_ROLES,
  request: { query: z.object({ from_seq: Seq.optional(), to_seq: Seq.optional() }) },
  responses: { 200: jsonResponse(VerifyReport, 'What was checked and the first bad seq, if any'), ...problemResponses },
});

/** Audit routes. */
export function auditRoutes() {
  return newRouter()
    .openapi(trialBalanceRoute, async (c) => c.json(await trialBalance(c.var.deps.db), 200))
    .openapi(verifyRoute, async (c) => {
      const { from_seq, to_seq } = c.req.valid('query');
      if (from_seq !== undefined && to_seq !== undefined && from_seq > to_seq) {
        throw badRequest('validation_failed', 'from_seq must not be after to_seq', [
          { path: 'query.from_seq', message: 'must be at most to_seq' },
        ]);
      }
      const report = await verifyLedger(c.var.deps.db, {
        ...(from_seq !== undefined ? { fromSeq: from_seq } : {}),
        ...(to_seq !== undefined ? { toSeq: to_seq } : {}),
      });
      return c.json(report, 200);
    });
}
