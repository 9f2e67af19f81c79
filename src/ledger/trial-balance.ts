import type { Db } from '../db/types.js';
import { formatPoints } from './amount.js';

/** Totals of posted balances per account kind; the grand total of a sound ledger is zero. */
export async function trialBalance(db: Db) {
  const rows = await db
    .selectFrom('accounts')
    .select((eb) => [
      'kind',
      eb.fn.countAll<number>().as('accounts'),
      eb.fn.sum<number>('posted').as('posted'),
      eb.fn.sum<number>('held').as('held'),
    ])
    .groupBy('kind')
    .orderBy('kind')
    .execute();
  const total = rows.reduce((sum, r) => sum + Number(r.posted), 0);
  return {
    balanced: total === 0,
    total: formatPoints(total),
    by_kind: rows.map((r) => ({
      kind: r.kind,
      accounts: Number(r.accounts),
      posted: formatPoints(Number(r.posted)),
      held: formatPoints(Number(r.held)),
    })),
    ...(total === 0
      ? {}
      : { alert: `LEDGER OUT OF BALANCE: posted balances sum to ${formatPoints(total)}, not 0.00; run /v1/audit/verify` }),
  };
}
