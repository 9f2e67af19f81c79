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
      return account.id === workerAccount(caller.member_id!);
    case 'merchant':
      return account.id === merchantAccount(caller.merchant_id!);
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
