/**
 * Points as text and as integer hundredths, shared by the server and the
 * browser pages (bundled into them): plain string and integer arithmetic,
 * no floats and no dependencies, so it runs the same in both.
 */

/** Largest magnitude of one amount: one billion points, in hundredths. */
export const MAX_AMOUNT = 100_000_000_000;

const AMOUNT_TEXT = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Integer hundredths of a decimal string with at most two decimals
 * ("-12.5" → -1250), or null when it is not one or passes a safe integer.
 * @example readHundredths('3.05') // 305
 */
export function readHundredths(text: string): number | null {
  const m = AMOUNT_TEXT.exec(text);
  if (!m) return null;
  const whole = Number(m[2]);
  const cents = Number(((m[3] ?? '') + '00').slice(0, 2));
  const value = whole * 100 + cents;
  if (!Number.isSafeInteger(whole) || !Number.isSafeInteger(value)) return null;
  return m[1] && value !== 0 ? -value : value; // never -0
}

/**
 * Parses a decimal string of points ("12.5") as an API input: at most ten
 * whole digits and two decimals, at most MAX_AMOUNT; throws a RangeError otherwise.
 * @example parsePoints('3') // 300
 */
export function parsePoints(text: string): number {
  if (!/^-?\d{1,10}(\.\d{1,2})?$/.test(text)) throw new RangeError(`not an amount: ${text}`);
  const value = readHundredths(text);
  if (value === null || Math.abs(value) > MAX_AMOUNT) throw new RangeError(`amount out of range: ${text}`);
  return value;
}

/**
 * Formats integer hundredths as a decimal string with two decimals.
 * @example formatPoints(-1250) // "-12.50"
 */
export function formatPoints(hundredths: number): string {
  if (!Number.isSafeInteger(hundredths)) throw new RangeError(`not integer hundredths: ${hundredths}`);
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  const whole = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${whole}.${cents < 10 ? '0' : ''}${cents}`;
}
