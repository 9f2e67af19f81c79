import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { localWeekStart } from '../db/dialect.js';
import { formatPointsExact } from '../ledger/amount.js';

import { addDays, sqliteShift, startOfLocalDay, weekStartOf } from '../ledger/programme-time.js';

/** The Monday (programme time, `YYYY-MM-DD`) of the week holding `at`. */
export const weekStart: (at: Date, utcOffsetMinutes: number) => string = weekStartOf;

/**
 * Points issued (credited to workers for claims, net of revocations),
 * redeemed (paid to merchants, net of refunds) and expired, per programme
 * week (Monday to Sunday), for the last `weeks` weeks including this one.
 * Weeks with nothing still appear, with zeros, so a chart has no gaps.
 */
export async function weeklyTotals(db: Db, now: Date, utcOffsetMinutes: number, weeks: number) {
  const thisWeek = weekStart(now, utcOffsetMinutes);
  const firstWeek = addDays(thisWeek, -(weeks - 1) * 7);
  // Midnight of the first Monday in programme time, as a UTC instant.
  const from = startOfLocalDay(firstWeek, utcOffsetMinutes);
  const shift = sqliteShift(utcOffsetMinutes);
  // Sums as exact text (a week's total may pass 2^53 hundredths).
  const { rows } = await sql<{ week: string; issued: string; redeemed: string; expired: string }>`
    SELECT ${localWeekStart(db, sql`t.created_at`, shift)} AS week,
      CAST(sum(CASE WHEN a.kind = 'worker' AND t.kind IN ('claim_credit', 'claim_revocation') THEN p.amount ELSE 0 END) AS TEXT) AS issued,
      CAST(sum(CASE WHEN a.kind = 'merchant' AND t.kind IN ('redemption', 'hold_capture', 'redemption_refund') THEN p.amount ELSE 0 END) AS TEXT) AS redeemed,
      CAST(sum(CASE WHEN a.kind = 'expired' AND t.kind = 'points_expiry' THEN p.amount ELSE 0 END) AS TEXT) AS expired
    FROM transactions t
    JOIN postings p ON p.seq = t.seq
    JOIN accounts a ON a.id = p.account_id
    WHERE t.kind IN ('claim_credit', 'claim_revocation', 'redemption', 'hold_capture', 'redemption_refund', 'points_expiry')
      AND t.created_at >= ${from}
    GROUP BY week`.execute(db);
  const byWeek = new Map(rows.map((r) => [r.week, r]));
  return Array.from({ length: weeks }, (_, i) => {
    const week = addDays(firstWeek, i * 7);
    const row = byWeek.get(week);
    return {
      week_start: week,
      issued: formatPointsExact(row?.issued),
      redeemed: formatPointsExact(row?.redeemed),
      expired: formatPointsExact(row?.expired),
    };
  });
}
