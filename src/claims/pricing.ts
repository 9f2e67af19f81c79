import { Decimal } from 'decimal.js';
import { refused } from '../errors.js';
import { MAX_AMOUNT } from '../ledger/amount.js';
import { periodKey } from '../ledger/programme-time.js';

/**
 * Points for a claim, in hundredths: units × points per unit × multiplier,
 * rounded to hundredths half-even (banker's rounding), with decimal.js.
 * @example pricePoints(150, 1000, new Decimal('1.5')) // 1.5 h × 10 × 1.5 = 22.50 → 2250
 */
export function pricePoints(unitsHundredths: number, pointsPerUnitHundredths: number, multiplier: Decimal): number {
  const points = new Decimal(unitsHundredths)
    .times(pointsPerUnitHundredths)
    .times(multiplier)
    .div(100)
    .toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
  // Compared as a Decimal: past 2^53 the number would already be wrong.
  if (points.gt(MAX_AMOUNT)) {
    throw refused('amount_out_of_range', `A claim is worth at most ${MAX_AMOUNT / 100} points; this one (units × points per unit × multiplier) is worth more`);
  }
  return points.toNumber();
}

/** What a cap did to a credit. */
export interface CapOutcome {
  credited: number;
  capped: number;
  reason: string | null;
}

/**
 * Clips a credit by the member's daily and monthly caps for the activity,
 * given what it already earned in that day and month.
 */
export function clipToCaps(
  points: number,
  caps: { daily: number | null; monthly: number | null },
  used: { day: number; month: number },
): CapOutcome {
  let credited = points;
  const reasons: string[] = [];
  if (caps.daily !== null && used.day + credited > caps.daily) {
    credited = Math.max(0, caps.daily - used.day);
    reasons.push('daily_cap');
  }
  if (caps.monthly !== null && used.month + credited > caps.monthly) {
    credited = Math.max(0, caps.monthly - used.month);
    reasons.push('monthly_cap');
  }
  return { credited, capped: points - credited, reason: reasons.length ? reasons.join(',') : null };
}

/** The day and month (in programme time) an instant falls in, as earning_totals periods. */
export function periodsOf(instant: string, utcOffsetMinutes: number): { day: string; month: string } {
  return { day: periodKey('day', instant, utcOffsetMinutes), month: periodKey('month', instant, utcOffsetMinutes) };
}
