import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPoints, MAX_AMOUNT, parsePoints, readHundredths } from './points.js';

// points.ts is shared with the browser, so it does without decimal.js: its
// integer arithmetic is checked here against decimal.js, which the server used.
const amountText = fc
  .tuple(fc.boolean(), fc.stringMatching(/^\d{1,12}$/), fc.option(fc.stringMatching(/^\d{1,2}$/), { nil: undefined }))
  .map(([minus, whole, cents]) => `${minus ? '-' : ''}${whole}${cents === undefined ? '' : `.${cents}`}`);

function decimalParse(text: string): number {
  if (!/^-?\d{1,10}(\.\d{1,2})?$/.test(text)) throw new RangeError('not an amount');
  const value = new Decimal(text).times(100).toNumber();
  if (Math.abs(value) > MAX_AMOUNT) throw new RangeError('out of range');
  return value === 0 ? 0 : value;
}

describe('points shared by the server and the pages', () => {
  it('parses decimal strings to the hundredths decimal.js gives, refusing what it refused', () => {
    fc.assert(
      fc.property(amountText, (text) => {
        const expected = (() => {
          try {
            return decimalParse(text);
          } catch {
            return 'refused';
          }
        })();
        const actual = (() => {
          try {
            return parsePoints(text);
          } catch {
            return 'refused';
          }
        })();
        expect(actual).toBe(expected);
        expect(readHundredths(text)).toBe(new Decimal(text).times(100).toNumber() || 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('formats hundredths back to the text they came from', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_AMOUNT, max: MAX_AMOUNT }), (n) => {
        expect(formatPoints(n)).toBe(new Decimal(n).div(100).toFixed(2));
        expect(parsePoints(formatPoints(n))).toBe(n);
      }),
    );
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', '1.234', '1e3', ' 1', '+1', '1.', '.5', '0x10', '１２']) {
      expect(readHundredths(bad), bad).toBeNull();
      expect(() => parsePoints(bad), bad).toThrow(RangeError);
    }
    expect(parsePoints('-0')).toBe(0);
    expect(Object.is(readHundredths('-0.00'), 0)).toBe(true);
    expect(readHundredths('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(readHundredths('90071992547409.92')).toBeNull(); // past a safe integer: no float rounding
    expect(() => formatPoints(1.5)).toThrow(RangeError);
  });
});
