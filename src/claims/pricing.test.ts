import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { clipToCaps, periodsOf, pricePoints } from './pricing.js';

describe('pricePoints', () => {
  it('multiplies units, points per unit and the multiplier exactly', () => {
    expect(pricePoints(100, 1000, new Decimal(1))).toBe(1000); // 1 participation × 10
    expect(pricePoints(250, 800, new Decimal(1))).toBe(2000); // 2.5 h × 8
    expect(pricePoints(150, 1000, new Decimal('1.5'))).toBe(2250); // 1.5 h × 10 × 1.5
    expect(pricePoints(10, 10, new Decimal(1))).toBe(1); // 0.1 × 0.1 = 0.01
  });

  it('rounds half to even at the hundredth', () => {
    expect(pricePoints(50, 1, new Decimal(1))).toBe(0); // 0.5 × 0.01 = 0.005 → 0.00
    expect(pricePoints(150, 1, new Decimal(1))).toBe(2); // 0.015 → 0.02
    expect(pricePoints(250, 1, new Decimal(1))).toBe(2); // 0.025 → 0.02
    expect(pricePoints(350, 1, new Decimal(1))).toBe(4); // 0.035 → 0.04
    expect(pricePoints(100, 333, new Decimal('1.5'))).toBe(500); // 4.995 → 5.00 (half up when odd)
    expect(pricePoints(100, 335, new Decimal('1.5'))).toBe(502); // 5.025 → 5.02
  });

  it('never goes through binary floating point', () => {
    // 0.1 + 0.2 style trap: 3 × 0.1 points × 1.1
    expect(pricePoints(300, 10, new Decimal('1.1'))).toBe(33);
  });
});

describe('clipToCaps', () => {
  it('credits in full under the caps', () => {
    expect(clipToCaps(500, { daily: 1000, monthly: 5000 }, { day: 400, month: 400 })).toEqual({ credited: 500, capped: 0, reason: null });
  });
  it('clips to what is left today and names the cap', () => {
    expect(clipToCaps(500, { daily: 1000, monthly: null }, { day: 700, month: 700 })).toEqual({ credited: 300, capped: 200, reason: 'daily_cap' });
  });
  it('clips to the month when that is tighter', () => {
    expect(clipToCaps(500, { daily: 1000, monthly: 3000 }, { day: 0, month: 2900 })).toEqual({ credited: 100, capped: 400, reason: 'monthly_cap' });
  });
  it('credits nothing once a cap is reached', () => {
    expect(clipToCaps(500, { daily: 1000, monthly: null }, { day: 1000, month: 1000 })).toEqual({ credited: 0, capped: 500, reason: 'daily_cap' });
  });
});

describe('periodsOf', () => {
  it('counts days and months in programme time (UTC+8)', () => {
    expect(periodsOf('2026-03-31T15:59:59.000Z', 480)).toEqual({ day: 'd:2026-03-31', month: 'm:2026-03' });
    expect(periodsOf('2026-03-31T16:00:00.000Z', 480)).toEqual({ day: 'd:2026-04-01', month: 'm:2026-04' });
  });
});
