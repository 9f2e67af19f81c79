import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { inJson } from '../db/dialect.js';
import type { Caller } from '../auth/caller.js';
import { forbidden, notFound } from '../errors.js';
import { findAccount, merchantAccount, workerAccount } from '../ledger/accounts.js';

type Account = NonNullable<Awaited<ReturnType<typeof findAccount>>>;

/**
 * May `caller` read `account`? Admins and auditors read everything; a worker
 * its own account; a merchant its own; an organizer the budgets of orgs in
 * its subtree and the accounts of members whose home org is there.
 */
export async function canReadAccount(db: Db, caller: Caller, account: Account): Promise<boolean> {
  switch (caller.role) {
    case 'admin':
    case 'auditor':
      return true;
    case 'worker':
    case 'merchant':
      return account.id === ownAccount(caller);
    case 'organizer':
      return (await organizerReadable(db, caller.org_id!, [account.id])).has(account.id);
  }
}

/**
 * Of `accountIds`, those an organizer of `orgId` may read — budgets of orgs in
 * its subtree, accounts of members whose home org is there — in one query, so
 * reading a roster's transaction is not one lookup per participant.
 */
async function organizerReadable(db: Db, orgId: string, accountIds: readonly string[]): Promise<Set<string>> {
  const { rows } = await sql<{ id: string }>`
    SELECT a.id
    FROM accounts a
    JOIN orgs scope ON scope.id = ${orgId}
    LEFT JOIN members m ON a.kind = 'worker' AND m.id = a.owner_id
    JOIN orgs o ON o.id = (CASE a.kind WHEN 'budget' THEN a.owner_id WHEN 'worker' THEN m.home_org_id END)
    WHERE a.id IN ${inJson(db, accountIds)}
      AND substr(o.path, 1, length(scope.path)) = scope.path`.execute(db);
  return new Set(rows.map((r) => r.id));
}

/** The one account a worker or a merchant may read (undefined for other roles). */
export function ownAccount(caller: Caller): string | undefined {
  if (caller.role === 'worker') return workerAccount(caller.member_id!);
  if (caller.role === 'merchant') return merchantAccount(caller.merchant_id!);
  return undefined;
}

/**
 * Which of `accountIds` the caller may read: all for admins and auditors, its
 * own for a worker or merchant (no lookup), for an organizer its subtree's.
 */
export async function readableAccounts(db: Db, caller: Caller, accountIds: readonly string[]): Promise<Set<string>> {
  if (caller.role === 'admin' || caller.role === 'auditor') return new Set(accountIds);
  const own = ownAccount(caller);
  if (own !== undefined) return new Set(accountIds.filter((id) => id === own));
  return organizerReadable(db, caller.org_id!, accountIds);
}

/**
 * Reads an account the caller may see.
 * @throws 404 when it does not exist, 403 when it is not the caller's to read
 */
export async function requireReadableAccount(db: Db, caller: Caller, id: string): Promise<Account> {
  const account = await findAccount(db, id);
  if (!account) throw notFound(`Account ${id}`);
  if (!(await canReadAccount(db, caller, account))) throw forbidden(`Account ${id} is not yours to read`);
  return account;
}
