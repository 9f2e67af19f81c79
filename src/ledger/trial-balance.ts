import { sql } from 'kysely';
import { Decimal } from 'decimal.js';
import type { Db } from '../db/types.js';
import { formatPointsExact } from './amount.js';

/**
 * Totals of posted balances per account kind; the grand total of a sound
 * ledger is zero. Sums are read as exact text and added with decimal.js, so a
 * total past 2^53 hundredths is reported, not rounded or refused.
 */
export async function trialBalance(db: Db) {
  const { rows } = await sql<{ kind: string; accounts: number; posted: string; held: string }>`
    SELECT kind, count(*) AS accounts, CAST(sum(posted) AS TEXT) AS posted, CAST(sum(held) AS TEXT) AS held
    FROM accounts GROUP BY kind ORDER BY kind`.execute(db);
  const total = rows.reduce((sum, r) => sum.plus(r.posted), new Decimal(0));
  const totalText = formatPointsExact(total.toFixed(0));
  return {
    balanced: total.isZero(),
    total: totalText,
    by_kind: rows.map((r) => ({
      kind: r.kind,
      accounts: Number(r.accounts),
      posted: formatPointsExact(r.posted),
      held: formatPointsExact(r.held),
    })),
    ...(total.isZero()
      ? {}
      : { alert: `LEDGER OUT OF BALANCE: posted balances sum to ${totalText}, not 0.00; run /v1/audit/verify` }),
  };
}
