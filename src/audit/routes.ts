import { memberFilterId } from '../members/members.js';
import { z } from '@hono/zod-openapi';
import { defineRoute, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { badRequest } from '../errors.js';
import { trialBalance } from '../ledger/trial-balance.js';
import { verifyLedger } from '../ledger/verify.js';
import { lastSeq } from '../ledger/read.js';
import { callerKey } from '../auth/caller.js';
import { notFound } from '../errors.js';
import { PageQuery } from '../http/router.js';
import { findOrg } from '../orgs/orgs.js';
import { findAnomalies } from './anomalies.js';
import { allCheckpoints, checkpointView, latestCheckpoint, makeCheckpoint } from './checkpoints.js';
import { exportStream } from './export.js';
import { thresholdFacts } from './thresholds.js';
import { searchTransactions } from './search.js';
import { AuditTransaction } from './transaction-details.js';
import { weeklyTotals } from './weekly-totals.js';

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
const Instant = z.iso.datetime({ offset: true });

const trialBalanceRoute = defineRoute({
  method: 'get',
  path: '/v1/audit/trial-balance',
  operationId: 'getTrialBalance',
  tags: ['Audit'],
  summary: 'Posted balances per account kind; the total must be exactly 0.00',
  roles: AUDIT_ROLES,
  responses: { 200: jsonResponse(TrialBalance, 'The trial balance'), ...problemResponses },
});

const verifyRoute = defineRoute({
  method: 'get',
  path: '/v1/audit/verify',
  operationId: 'verifyChain',
  tags: ['Audit'],
  summary: 'Recompute the hash chain over a seq range and every stored balance',
  roles: AUDIT_ROLES,
  request: { query: z.object({ from_seq: Seq.optional(), to_seq: Seq.optional() }) },
  responses: { 200: jsonResponse(VerifyReport, 'What was checked and the first bad seq, if any'), ...problemResponses },
});

const searchRoute = defineRoute({
  method: 'get',
  path: '/v1/audit/transactions',
  operationId: 'listAuditTransactions',
  tags: ['Audit'],
  summary: 'Transactions, newest first, by kind, actor, org subtree, merchant, member, claim, redemption and time',
  description:
    'Each transaction has its postings with the account named (member and number, shop, org budget), the actor by name where known, and the records it came from: the claims it decided, its redemption, the transaction that reversed it (reverses_id names the one it reverses).',
  roles: AUDIT_ROLES,
  request: {
    query: z.object({
      kind: z.string().max(64).optional(),
      actor: z.string().max(300).optional().openapi({ description: 'e.g. organizer:wang' }),
      org_id: z.string().max(200).optional().openapi({ description: "Touching any account of this org's subtree" }),
      merchant_id: z.string().max(200).optional(),
      member_id: z.string().max(200).optional().openapi({ description: 'The member id or member number' }),
      transaction_id: z.string().max(200).optional().openapi({ description: 'Only this transaction (to follow reverses_id and reversed_by)' }),
      claim_id: z.string().max(200).optional().openapi({ description: "The claim's credit and revocation" }),
      redemption_id: z.string().max(200).optional().openapi({ description: 'The redemption (or pickup) and its refund' }),
      from: Instant.optional(),
      to: Instant.optional(),
      ...PageQuery,
    }),
  },
  responses: { 200: jsonResponse(z.object({ items: z.array(AuditTransaction), next_cursor: z.string().nullable() }), 'A page of transactions'), ...problemResponses },
});

const Checkpoint = z
  .object({ seq: z.number().int(), hash: z.string(), issued_at: z.string(), jws: z.string().openapi({ description: 'JWS (EdDSA) over { seq, hash, issued_at }' }), kid: z.string() })
  .openapi('Checkpoint');

const makeCheckpointRoute = defineRoute({
  method: 'post',
  path: '/v1/audit/checkpoints',
  operationId: 'createCheckpoint',
  tags: ['Audit'],
  summary: 'Sign a checkpoint of the chain head now',
  roles: ['admin'],
  responses: { 201: jsonResponse(Checkpoint, 'The checkpoint'), ...problemResponses },
});

const latestCheckpointRoute = defineRoute({
  method: 'get',
  path: '/v1/audit/checkpoints/latest',
  operationId: 'getLatestCheckpoint',
  tags: ['Audit'],
  summary: 'The latest signed checkpoint',
  roles: AUDIT_ROLES,
  responses: { 200: jsonResponse(Checkpoint, 'The checkpoint'), ...problemResponses },
});

const checkpointsRoute = defineRoute({
  method: 'get',
  path: '/v1/audit/checkpoints',
  operationId: 'listCheckpoints',
  tags: ['Audit'],
  summary: 'Every signed checkpoint, oldest first (for offline verification)',
  roles: AUDIT_ROLES,
  responses: { 200: jsonResponse(z.object({ items: z.array(Checkpoint) }), 'Checkpoints'), ...problemResponses },
});

const exportRoute = defineRoute({
  method: 'get',
  path: '/v1/audit/export',
  operationId: 'exportLedger',
  tags: ['Audit'],
  summary: 'Stream transactions with postings and hashes: NDJSON, or CSV (UTF-8 with BOM) for spreadsheets',
  roles: AUDIT_ROLES,
  description:
    'Content-Disposition names the file by its range and format: jifen-ledger-{from}-{to}.{csv|ndjson}. `npm run verify -- --file` takes an NDJSON export from seq 1.',
  request: {
    query: z.object({
      format: z.enum(['csv', 'ndjson']).default('ndjson'),
      from_seq: Seq.optional().openapi({ description: 'First seq (default 1)' }),
      to_seq: Seq.optional().openapi({ description: 'Last seq (default, and at most, the head); not before from_seq' }),
    }),
  },
  responses: { 200: { description: 'The export, streamed' }, ...problemResponses },
});

const anomaliesRoute = defineRoute({
  method: 'get',
  path: '/v1/audit/anomalies',
  operationId: 'listAnomalies',
  tags: ['Audit'],
  summary: 'Findings worth a look, each with the ids and the records behind it',
  description: 'The thresholds are stated once, in src/audit/thresholds.ts; `thresholds` gives them as text.',
  roles: AUDIT_ROLES,
  responses: {
    200: jsonResponse(
      z
        .object({
          items: z.array(
            z.object({
              kind: z.string(),
              subject: z.string(),
              subject_name: z.string().nullable().openapi({ description: "A member's name and number, an org's or a shop's name" }),
              detail: z.string().openapi({ description: 'The finding in English' }),
              facts: z.record(z.string(), z.string()).openapi({ description: 'The figures of the finding, for a sentence in any language' }),
              evidence: z.array(z.string()),
              records: z
                .array(
                  z.object({
                    id: z.string(),
                    type: z.enum(['claim', 'transaction', 'redemption', 'redeem_failure']),
                    at: z.string().openapi({ description: 'When it was recorded' }),
                    occurred_on: z.string().nullable().openapi({ description: "A claim's activity day (YYYY-MM-DD)" }),
                    member: z.string().nullable().openapi({ description: "The member's name and number" }),
                    points: z.string().nullable().openapi({ description: "A claim's or redemption's points, what a transaction moved" }),
                    kind: z.string().nullable().openapi({ description: "A claim's status (pending, approved, rejected, revoked), a transaction's kind, 'refunded', a redeem failure's reason" }),
                    what_zh: z.string().nullable().openapi({ description: "The activity's or reward's name, a memo, a shop's name" }),
                    what_en: z.string().nullable(),
                  }),
                )
                .openapi({ description: 'The records behind the evidence ids, as people know them' }),
            }),
          ),
          thresholds: z.record(z.string(), z.string()).openapi({ description: "The detectors' thresholds (e.g. multiple, min_peers, min_points), for the pages' explanations" }),
        })
        .openapi('Anomalies'),
      'Anomalies',
    ),
    ...problemResponses,
  },
});

const weeklyRoute = defineRoute({
  method: 'get',
  path: '/v1/audit/weekly',
  operationId: 'getWeeklyReport',
  tags: ['Audit'],
  summary: 'Points issued, redeemed and expired per programme week (Monday to Sunday), oldest first',
  description: 'issued: credited to workers for claims, net of revocations; redeemed: paid to merchants, net of refunds; expired: lapsed under the expiry policy.',
  roles: AUDIT_ROLES,
  request: { query: z.object({ weeks: z.coerce.number().int().min(1).max(104).default(12).openapi({ description: 'How many weeks, this one included' }) }) },
  responses: {
    200: jsonResponse(
      z.object({ items: z.array(z.object({ week_start: z.string(), issued: z.string(), redeemed: z.string(), expired: z.string() })) }).openapi('WeeklyTotals'),
      'One row per week, zeros included',
    ),
    ...problemResponses,
  },
});

/** Refuses a seq range whose start is after its end. */
function rangeInOrder(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw badRequest('validation_failed', 'from_seq must not be after to_seq', [{ path: 'query.from_seq', message: 'must be at most to_seq' }]);
  }
}

/** Audit routes. */
export function auditRoutes() {
  return newRouter()
    .openapi(searchRoute, async (c) => {
      const q = c.req.valid('query');
      const { db } = c.get('deps');
      let orgPath: string | undefined;
      if (q.org_id) {
        const org = await findOrg(db, q.org_id);
        if (!org) throw notFound(`Org ${q.org_id}`);
        orgPath = org.path;
      }
      if (q.cursor !== undefined && !/^[1-9]\d{0,15}$/.test(q.cursor)) throw badRequest('invalid_cursor');
      const page = await searchTransactions(db, {
        kind: q.kind,
        actor: q.actor,
        orgPath,
        merchantId: q.merchant_id,
        memberId: await memberFilterId(db, q.member_id),
        transactionId: q.transaction_id,
        claimId: q.claim_id,
        redemptionId: q.redemption_id,
        from: q.from ? new Date(q.from).toISOString() : undefined,
        to: q.to ? new Date(q.to).toISOString() : undefined,
        beforeSeq: q.cursor ? Number(q.cursor) : undefined,
        limit: q.limit,
      });
      return c.json(page, 200);
    })
    .openapi(makeCheckpointRoute, async (c) => c.json(await makeCheckpoint(c.get('deps'), callerKey(c.get('caller'))), 201))
    .openapi(latestCheckpointRoute, async (c) => {
      const row = await latestCheckpoint(c.get('deps').db);
      if (!row) throw notFound('A checkpoint');
      return c.json(checkpointView(row, c.get('deps').signer.kid), 200);
    })
    .openapi(checkpointsRoute, async (c) => {
      const rows = await allCheckpoints(c.get('deps').db);
      return c.json({ items: rows.map((r) => checkpointView(r, c.get('deps').signer.kid)) }, 200);
    })
    .openapi(exportRoute, async (c) => {
      const q = c.req.valid('query');
      rangeInOrder(q.from_seq, q.to_seq);
      const { db } = c.get('deps');
      const to = Math.min(q.to_seq ?? Number.MAX_SAFE_INTEGER, await lastSeq(db));
      const from = q.from_seq ?? 1;
      const type = q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson';
      return c.body(exportStream(db, q.format, from, to), 200, {
        'content-type': type,
        'content-disposition': `attachment; filename="jifen-ledger-${from}-${to}.${q.format === 'csv' ? 'csv' : 'ndjson'}"`,
      }) as never;
    })
    .openapi(anomaliesRoute, async (c) => c.json({ items: await findAnomalies(c.get('deps').db, c.get('deps').clock()), thresholds: thresholdFacts() }, 200))
    .openapi(trialBalanceRoute, async (c) => c.json(await trialBalance(c.get('deps').db), 200))
    .openapi(weeklyRoute, async (c) => {
      const { db, clock, programme } = c.get('deps');
      return c.json({ items: await weeklyTotals(db, clock(), programme.utcOffsetMinutes, c.req.valid('query').weeks) }, 200);
    })
    .openapi(verifyRoute, async (c) => {
      const { from_seq, to_seq } = c.req.valid('query');
      rangeInOrder(from_seq, to_seq);
      const report = await verifyLedger(c.get('deps').db, {
        ...(from_seq !== undefined ? { fromSeq: from_seq } : {}),
        ...(to_seq !== undefined ? { toSeq: to_seq } : {}),
      });
      return c.json(report, 200);
    });
}
