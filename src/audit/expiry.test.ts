import { describe, expect, it } from 'vitest';
import { expiresAt, expiryCutoff } from './expiry.js';

// A credit has expired at `now` exactly when it was made before the cutoff,
// and that agrees with the instant expiresAt() names for it.
const expiredAt = (policy: 'year_end' | `days:${number}`, earned: string, now: string) =>
  earned < expiryCutoff(policy, new Date(now), 480)!;

describe('expiry policies', () => {
  it('days:N: expired from N days after earning, inclusive', () => {
    const earned = '2026-03-01T08:00:00.000Z';
    expect(expiresAt('days:30', earned, 480)).toBe('2026-03-31T08:00:00.000Z');
    expect(expiredAt('days:30', earned, '2026-03-31T07:59:59.999Z')).toBe(false);
    expect(expiredAt('days:30', earned, '2026-03-31T08:00:00.000Z')).toBe(true);
  });

  it('year_end: at the end of the calendar year after earning, in programme time (UTC+8)', () => {
    const earned = '2026-06-15T00:00:00.000Z';
    expect(expiresAt('year_end', earned, 480)).toBe('2027-12-31T16:00:00.000Z'); // 2028-01-01 00:00 +08:00
    expect(expiredAt('year_end', earned, '2027-12-31T15:59:59.999Z')).toBe(false);
    expect(expiredAt('year_end', earned, '2027-12-31T16:00:00.000Z')).toBe(true);
    // Earned on the first local morning of 2026 (still 2025 in UTC): the same rule.
    expect(expiresAt('year_end', '2025-12-31T16:30:00.000Z', 480)).toBe('2027-12-31T16:00:00.000Z');
    expect(expiredAt('year_end', '2025-12-31T16:30:00.000Z', '2027-06-01T00:00:00.000Z')).toBe(false);
  });

  it('never: no cutoff', () => {
    expect(expiryCutoff('never', new Date(), 480)).toBeNull();
  });
});
