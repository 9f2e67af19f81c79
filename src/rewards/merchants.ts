import type { Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import type { Db, Database } from '../db/types.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { forbidden, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { merchantAccount, openAccount } from '../ledger/accounts.js';
import { requireOrgScope } from '../orgs/orgs.js';

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
