import type { Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import type { Db, Database } from '../db/types.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { sql } from 'kysely';
import { idCursor, pageOf } from '../db/page-cursor.js';
import { newId } from '../ids.js';
import { merchantAccount, openAccount } from '../ledger/accounts.js';
import { listScopePath, requireOrgScope, withinPath } from '../orgs/orgs.js';

export type MerchantRow = Database['merchants'];

/** Reads a merchant. */
export function findMerchant(db: Db, id: string): Promise<MerchantRow | undefined> {
  return db.selectFrom('merchants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Compiles a new merchant with its redeemed-points account. */
export function openMerchant(db: Db, merchant: MerchantRow) {
  return [openAccount(db, { id: merchant.account_id, kind: 'merchant', owner_id: merchant.id, created_at: merchant.created_at }), db.insertInto('merchants').values(merchant).compile()];
}

/** Registers a partner merchant in an org of the caller's scope, with its redeemed-points account. */
export async function registerMerchant(deps: AppDeps, caller: Caller, input: { name: string; org_id: string }, idempotency: IdempotencyScope | undefined) {
  const { db, clock } = deps;
  await requireOrgScope(db, caller, input.org_id);
  const id = newId('mer');
  const now = clock().toISOString();
  const merchant = { id, name: input.name, org_id: input.org_id, account_id: merchantAccount(id), created_at: now };
  const statements = openMerchant(db, merchant);
  return commitWrite(deps, idempotency, () => ({ statements, result: merchant }), 201, (m) => m);
}

/**
 * A merchant the caller may act for: itself (merchant token), or any (admin;
 * auditors for reading).
 * @throws 404 when it does not exist, 403 when it is another merchant's
 */
export async function requireMerchant(db: Db, caller: Caller, id: string): Promise<MerchantRow> {
  const merchant = await findMerchant(db, id);
  if (!merchant) throw notFound(`Merchant ${id}`);
  if (caller.role === 'merchant' && caller.merchant_id !== id) throw forbidden('A merchant acts only for itself');
  return merchant;
}

/**
 * Partner merchants by name (then id): admins and auditors every one (`org_id`: those registered
 * in that org's subtree), a merchant only itself. Each with its org's name and whether it offers
 * discount cards and how many rewards it lists now. The cursor is the page's last merchant.
 */
export async function merchantPage(deps: AppDeps, caller: Caller, input: { org_id?: string | undefined; limit: number; cursor?: string | undefined }) {
  const { db } = deps;
  let only: string | undefined;
  let scope: string | undefined;
  if (caller.role === 'merchant') {
    if (input.org_id !== undefined) throw badRequest('forbidden_filter', 'A merchant lists only itself');
    only = caller.merchant_id!;
  } else {
    if (caller.role !== 'admin' && caller.role !== 'auditor') throw forbidden('Merchants are listed for admins, auditors and each merchant itself');
    scope = await listScopePath(db, caller, input.org_id);
  }
  const afterId = idCursor(input.cursor);
  let query = db
    .selectFrom('merchants as m')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .select(['m.id', 'm.name', 'm.org_id', 'o.name as org_name', 'm.account_id', 'm.created_at'])
    .select([
      sql<number>`(SELECT count(*) FROM rewards r WHERE r.merchant_id = m.id AND r.active = 1)`.as('active_rewards'),
      sql<number>`EXISTS (SELECT 1 FROM rewards r WHERE r.merchant_id = m.id AND r.active = 1 AND r.kind = 'discount_card')`.as('has_card_rewards'),
    ])
    .orderBy('m.name')
    .orderBy('m.id')
    .limit(input.limit + 1);
  if (only !== undefined) query = query.where('m.id', '=', only);
  if (scope !== undefined) query = query.where(withinPath('o.path', scope));
  if (afterId !== undefined) {
    // The cursor's merchant must be one this list could show.
    let anchor = db.selectFrom('merchants as m').innerJoin('orgs as o', 'o.id', 'm.org_id').select(['m.name', 'm.id']).where('m.id', '=', afterId);
    if (only !== undefined) anchor = anchor.where('m.id', '=', only);
    if (scope !== undefined) anchor = anchor.where(withinPath('o.path', scope));
    const after = await anchor.executeTakeFirst();
    if (!after) throw badRequest('invalid_cursor');
    query = query.where(sql<boolean>`(m.name, m.id) > (${after.name}, ${after.id})`);
  }
  const { rows, next_cursor } = pageOf(await query.execute(), input.limit, (m) => m.id);
  return { items: rows.map((m) => ({ ...m, active_rewards: Number(m.active_rewards), has_card_rewards: Boolean(m.has_card_rewards) })), next_cursor };
}
