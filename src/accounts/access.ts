import type { Db } from '../db/types.js';
import type { Caller } from '../auth/caller.js';
import { forbidden, notFound } from '../errors.js';
import { findAccount, merchantAccount, workerAccount } from '../ledger/accounts.js';
import { orgWithin } from '../orgs/orgs.js';

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
    case 'organizer': {
      if (account.kind === 'budget' && account.owner_id) return orgWithin(db, caller.org_id!, account.owner_id);
      if (account.kind === 'worker' && account.owner_id) {
        const member = await db
          .selectFrom('members')
          .select('home_org_id')
          .where('id', '=', account.owner_id)
          .executeTakeFirst();
        return member !== undefined && orgWithin(db, caller.org_id!, member.home_org_id);
      }
      return false;
    }
  }
}

/** The one account a worker or a merchant may read (undefined for other roles). */
export function ownAccount(caller: Caller): string | undefined {
  if (caller.role === 'worker') return workerAccount(caller.member_id!);
  if (caller.role === 'merchant') return merchantAccount(caller.merchant_id!);
  return undefined;
}

/**
 * Which of `accountIds` the caller may read: all for admins and auditors, its
 * own for a worker or merchant (no lookup), else account by account.
 */
export async function readableAccounts(db: Db, caller: Caller, accountIds: readonly string[]): Promise<Set<string>> {
  if (caller.role === 'admin' || caller.role === 'auditor') return new Set(accountIds);
  const own = ownAccount(caller);
  if (own !== undefined) return new Set(accountIds.filter((id) => id === own));
  const readable = new Set<string>();
  for (const id of accountIds) {
    const account = await findAccount(db, id);
    if (account && (await canReadAccount(db, caller, account))) readable.add(id);
  }
  return readable;
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
