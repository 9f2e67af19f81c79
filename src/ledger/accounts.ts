import type { CompiledQuery } from 'kysely';
import type { Db } from '../db/types.js';
import { formatPoints } from './amount.js';

/** Account kinds of DESIGN.md. */
export type AccountKind = 'issuance' | 'budget' | 'worker' | 'merchant' | 'settled' | 'expired';

/** The programme's own accounts, created by the first migration. */
export const ISSUANCE_ACCOUNT = 'program:issuance';
export const SETTLED_ACCOUNT = 'program:settled';
export const EXPIRED_ACCOUNT = 'program:expired';

/** `org:<id>:budget` */
export const orgBudgetAccount = (orgId: string) => `org:${orgId}:budget`;
/** `worker:<member id>` */
export const workerAccount = (memberId: string) => `worker:${memberId}`;
/** `merchant:<id>:redeemed` */
export const merchantAccount = (merchantId: string) => `merchant:${merchantId}:redeemed`;

/** Compiles the creation of an account; only the issuance account may go negative. */
export function openAccount(
  db: Db,
  account: { id: string; kind: AccountKind; owner_id: string | null; created_at: string },
): CompiledQuery {
  return db
    .insertInto('accounts')
    .values({ ...account, no_overdraft: account.kind === 'issuance' ? 0 : 1 })
    .compile();
}

/** Stored balances as the API shows them. */
export interface BalanceView {
  available: string;
  held: string;
  posted: string;
}

/** available = posted − held. */
export function balanceView(posted: number, held: number): BalanceView {
  return { available: formatPoints(posted - held), held: formatPoints(held), posted: formatPoints(posted) };
}

/** Reads one account with its stored balances. */
export async function findAccount(db: Db, id: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'kind', 'owner_id', 'no_overdraft', 'posted', 'held', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}
