import { z } from '@hono/zod-openapi';
import { defineRoute, IdParam, jsonResponse, newRouter, PageQuery, problemResponses } from '../http/router.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { balanceView } from '../ledger/accounts.js';
import { findTransaction, transactionView } from '../ledger/read.js';
import { readableAccounts, requireReadableAccount } from './access.js';
import { balanceAt, statementPage } from './entries.js';
import { expirySchedule } from '../audit/expiry.js';
import { Balance, TransactionView } from './schemas.js';

const ALL_ROLES = ['admin', 'auditor', 'organizer', 'merchant', 'worker'] as const;

const Account = z
  .object({ id: z.string(), kind: z.string(), owner_id: z.string().nullable(), balance: Balance })
  .openapi('Account');

const Entry = z
  .object({
    seq: z.number().int(),
    transaction_id: z.string(),
    kind: z.string(),
    memo: z.string().nullable(),
    created_at: z.string(),
    amount: z.string(),
    balance_after: z.string(),
    about: z
      .object({
        activity: z.object({ zh: z.string(), en: z.string() }).nullable(),
        occurred_at: z.string().nullable().openapi({ description: 'When the activity happened, not when it was recorded' }),
        event_title: z.string().nullable(),
        reward_name: z.string().nullable(),
        merchant_name: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: "On a member's statement: the activity of a credit or revocation, or the reward and shop of a redemption or refund" }),
  })
  .openapi('Entry');

const Instant = z.iso.datetime({ offset: true });

const accountRoute = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}',
  operationId: 'getAccount',
  tags: ['Ledger'],
  summary: 'An account and its balances (available = posted − held)',
  roles: ALL_ROLES,
  request: { params: IdParam },
  responses: { 200: jsonResponse(Account, 'The account'), ...problemResponses },
});

const entriesRoute = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/entries',
  operationId: 'listAccountEntries',
  tags: ['Ledger'],
  summary: "An account's postings, newest first, with the running balance",
  roles: ALL_ROLES,
  request: {
    params: IdParam,
    query: z.object({
      ...PageQuery,
      from: Instant.optional().openapi({ description: 'Only entries at or after this instant' }),
      to: Instant.optional().openapi({ description: 'Only entries before this instant' }),
      kind: z.string().max(64).optional().openapi({ description: 'Only entries of this transaction kind' }),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ items: z.array(Entry), next_cursor: z.string().nullable() }), 'A page of entries'),
    ...problemResponses,
  },
});

const balanceAtRoute = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/balance',
  operationId: 'getAccountBalance',
  tags: ['Ledger'],
  summary: 'Posted balance of an account at a past instant',
  roles: ALL_ROLES,
  request: { params: IdParam, query: z.object({ at: Instant.openapi({ description: 'The instant (RFC 3339)' }) }) },
  responses: {
    200: jsonResponse(
      z.object({ account_id: z.string(), at: z.string(), posted: z.string(), as_of_seq: z.number().int().nullable() }).openapi('BalanceAt'),
      'The balance then',
    ),
    ...problemResponses,
  },
});

const expiringRoute = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/expiring',
  operationId: 'listExpiringPoints',
  tags: ['Ledger'],
  summary: 'What will expire when, under the programme\'s points-expiry policy, unless spent first',
  roles: ALL_ROLES,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(
      z.object({ policy: z.string(), items: z.array(z.object({ expires_at: z.string(), amount: z.string() })) }).openapi('ExpirySchedule'),
      'The schedule',
    ),
    ...problemResponses,
  },
});

const transactionRoute = defineRoute({
  method: 'get',
  path: '/v1/transactions/{id}',
  operationId: 'getTransaction',
  tags: ['Ledger'],
  summary: 'A transaction with its postings and its place in the hash chain',
  description:
    'Admins and auditors read any, whole. Others read transactions touching an account they may read, and see only the postings on such accounts; other_postings counts the rest.',
  roles: ALL_ROLES,
  request: { params: IdParam },
  responses: { 200: jsonResponse(TransactionView, 'The transaction'), ...problemResponses },
});

/** Routes for reading accounts and transactions. */
export function accountRoutes() {
  return newRouter()
    .openapi(accountRoute, async (c) => {
      const account = await requireReadableAccount(c.get('deps').db, c.get('caller'), c.req.valid('param').id);
      return c.json(
        { id: account.id, kind: account.kind, owner_id: account.owner_id, balance: balanceView(account.posted, account.held) },
        200,
      );
    })
    .openapi(entriesRoute, async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      await requireReadableAccount(c.get('deps').db, c.get('caller'), id);
      let beforeSeq: number | undefined;
      if (query.cursor !== undefined) {
        if (!/^[1-9]\d{0,15}$/.test(query.cursor)) {
          throw badRequest('invalid_cursor');
        }
        beforeSeq = Number(query.cursor);
      }
      const page = await statementPage(c.get('deps').db, id, {
        limit: query.limit,
        ...(beforeSeq !== undefined ? { beforeSeq } : {}),
        ...(query.from ? { from: new Date(query.from).toISOString() } : {}),
        ...(query.to ? { to: new Date(query.to).toISOString() } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
      });
      return c.json(page, 200);
    })
    .openapi(balanceAtRoute, async (c) => {
      const { id } = c.req.valid('param');
      await requireReadableAccount(c.get('deps').db, c.get('caller'), id);
      const at = new Date(c.req.valid('query').at).toISOString();
      return c.json({ account_id: id, at, ...(await balanceAt(c.get('deps').db, id, at)) }, 200);
    })
    .openapi(expiringRoute, async (c) => {
      const { db, clock, programme } = c.get('deps');
      const account = await requireReadableAccount(db, c.get('caller'), c.req.valid('param').id);
      const items = await expirySchedule(db, account.id, programme.pointsExpiry, clock(), programme.utcOffsetMinutes);
      return c.json({ policy: programme.pointsExpiry, items }, 200);
    })
    .openapi(transactionRoute, async (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      const tx = await findTransaction(db, id);
      if (!tx) throw notFound(`Transaction ${id}`);
      const caller = c.get('caller');
      const readable = await readableAccounts(db, caller, tx.postings.map((p) => p.account_id));
      if (readable.size === 0) throw forbidden(`Transaction ${id} does not touch an account you may read`);
      // Others see their own legs of a shared transaction (a roster's credit,
      // a redemption), not who else took part or for how much.
      const everything = caller.role === 'admin' || caller.role === 'auditor';
      return c.json(everything ? transactionView(tx) : transactionView(tx, (account) => readable.has(account)), 200);
    });
}
