import { Decimal } from 'decimal.js';
import { z } from '@hono/zod-openapi';
import { parsePoints } from './points.js';

// The parsing and formatting the pages share live in points.ts; re-exported for the server's modules.
export { MAX_AMOUNT, formatPoints, parsePoints } from './points.js';

/**
 * Largest magnitude of any stored balance (an account's posted balance, a
 * posting's running balance): 100 billion points, in hundredths. The schema
 * refuses a posting past it (0006_text_and_bounds.sql, the same number), so
 * one balance is always a safe integer in JavaScript, and a sum over up to
 * 900,000 accounts fits SQLite's 64-bit integers; sums are read as exact text
 * (see sumText) and formatted with formatPointsExact, never as a float.
 */
export const MAX_BALANCE = 10_000_000_000_000;

const DECIMAL_PATTERN = /^-?\d{1,10}(\.\d{1,2})?$/;

/**
 * Formats a sum of hundredths read as exact text from SQL (`CAST(sum(x) AS
 * TEXT)`, which may pass 2^53) as a decimal string with two decimals.
 * @example formatPointsExact('9007199254740993') // "90071992547409.93"
 */
export function formatPointsExact(hundredths: string | number | bigint | null | undefined): string {
  const text = hundredths === null || hundredths === undefined ? '0' : String(hundredths);
  if (!/^-?\d+$/.test(text)) throw new RangeError(`not integer hundredths: ${text}`);
  return new Decimal(text).div(100).toFixed(2);
}

/** Whether an exact sum of hundredths read as text is zero. */
export function isZeroExact(hundredths: string | number | null | undefined): boolean {
  return hundredths === null || hundredths === undefined || new Decimal(String(hundredths)).isZero();
}

function pointsString(description: string, allowed: 'positive' | 'non_negative' | 'signed') {
  return z
    .string()
    .openapi({ description, example: '12.5' })
    .transform((text, ctx) => {
      let value: number;
      try {
        value = parsePoints(text);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: DECIMAL_PATTERN.test(text)
            ? 'must be at most 1000000000 points'
            : 'must be a decimal string with at most two decimals, e.g. "12.5"',
        });
        return z.NEVER;
      }
      const ok = allowed === 'signed' ? value !== 0 : allowed === 'positive' ? value > 0 : value >= 0;
      if (!ok) {
        const message = { signed: 'must not be zero', positive: 'must be greater than zero', non_negative: 'must not be negative' }[allowed];
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return value;
    });
}

/** A strictly positive amount of points as a decimal string; parses to hundredths. */
export const PositivePoints = pointsString('Points: a positive decimal string with at most two decimals', 'positive');

/** Zero or more points as a decimal string; parses to hundredths. */
export const NonNegativePoints = pointsString('Points: a decimal string with at most two decimals, zero or more', 'non_negative');

/** A non-zero signed amount of points as a decimal string; parses to hundredths. */
export const SignedPoints = pointsString('Signed points: a non-zero decimal string with at most two decimals', 'signed');
