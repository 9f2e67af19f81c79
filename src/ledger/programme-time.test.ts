import { describe, expect, it } from 'vitest';
import { addDays, dayOf, monthOf, periodBounds, periodKey, refundDeadline, sqliteShift, startOfLocalDay, startOfLocalYear, weekStartOf, yearOf } from './programme-time.js';

const BEIJING = 480;
const NEW_YORK = -300;

describe('programme time', () => {
  it('puts instants just before and after local midnight on their local days', () => {
    // 16:00Z is midnight in Beijing; 05:00Z is midnight in New York (UTC-5).
    expect(dayOf('2026-03-01T15:59:59.999Z', BEIJING)).toBe('2026-03-01');
    expect(dayOf('2026-03-01T16:00:00.000Z', BEIJING)).toBe('2026-03-02');
    expect(dayOf(new Date('2026-03-01T23:59:59.999Z'), 0)).toBe('2026-03-01');
    expect(dayOf(new Date('2026-03-02T00:00:00.000Z'), 0)).toBe('2026-03-02');
    expect(dayOf('2026-03-02T04:59:59.999Z', NEW_YORK)).toBe('2026-03-01');
    expect(dayOf('2026-03-02T05:00:00.000Z', NEW_YORK)).toBe('2026-03-02');
  });

  it('crosses the year boundary at local midnight', () => {
    expect(yearOf('2026-12-31T15:59:59.999Z', BEIJING)).toBe(2026);
    expect(yearOf('2026-12-31T16:00:00.000Z', BEIJING)).toBe(2027);
    expect(monthOf('2026-12-31T16:00:00.000Z', BEIJING)).toBe('2027-01');
    expect(yearOf('2027-01-01T04:59:59.999Z', NEW_YORK)).toBe(2026);
    expect(monthOf('2027-01-01T04:59:59.999Z', NEW_YORK)).toBe('2026-12');
    expect(yearOf('2027-01-01T00:00:00.000Z', 0)).toBe(2027);
    expect(startOfLocalYear(2027, BEIJING)).toBe('2026-12-31T16:00:00.000Z');
    expect(startOfLocalYear(2027, 0)).toBe('2027-01-01T00:00:00.000Z');
    expect(startOfLocalYear(2027, NEW_YORK)).toBe('2027-01-01T05:00:00.000Z');
  });

  it('starts ISO weeks on Monday, local time', () => {
    // 2026-03-02 is a Monday.
    expect(weekStartOf('2026-03-01T15:59:59Z', BEIJING)).toBe('2026-02-23');
    expect(weekStartOf('2026-03-01T16:00:00Z', BEIJING)).toBe('2026-03-02');
    expect(weekStartOf('2026-03-08T15:59:59Z', BEIJING)).toBe('2026-03-02');
    expect(weekStartOf('2026-03-02T00:00:00Z', 0)).toBe('2026-03-02');
    expect(weekStartOf('2026-03-01T23:59:59Z', 0)).toBe('2026-02-23');
    expect(weekStartOf('2026-03-02T04:59:59Z', NEW_YORK)).toBe('2026-02-23');
    expect(weekStartOf('2026-03-02T05:00:00Z', NEW_YORK)).toBe('2026-03-02');
    // A week spanning the new year: Monday 2026-12-28.
    expect(weekStartOf('2027-01-03T12:00:00Z', 0)).toBe('2026-12-28');
  });

  it('bounds days, months and years as [from, to) UTC instants', () => {
    expect(periodBounds('month', new Date('2026-02-28T16:00:00Z'), BEIJING)).toEqual({ from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z' });
    expect(periodBounds('year', '2026-06-01T00:00:00Z', NEW_YORK)).toEqual({ from: '2026-01-01T05:00:00.000Z', to: '2027-01-01T05:00:00.000Z' });
    expect(periodBounds('day', '2026-12-31T23:00:00Z', 0)).toEqual({ from: '2026-12-31T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
    expect(periodBounds('month', '2026-12-31T16:00:00Z', BEIJING)).toEqual({ from: '2026-12-31T16:00:00.000Z', to: '2027-01-31T16:00:00.000Z' });
  });

  it('names counter periods and SQL shifts', () => {
    expect(periodKey('day', '2026-03-01T16:00:00Z', BEIJING)).toBe('d:2026-03-02');
    expect(periodKey('month', '2026-03-31T16:00:00Z', BEIJING)).toBe('m:2026-04');
    expect(periodKey('year', '2027-01-01T04:00:00Z', NEW_YORK)).toBe('y:2026');
    expect(sqliteShift(BEIJING)).toBe('+480 minutes');
    expect(sqliteShift(0)).toBe('+0 minutes');
    expect(sqliteShift(NEW_YORK)).toBe('-300 minutes');
  });

  it('moves between local days and instants', () => {
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2026-03-02', -7)).toBe('2026-02-23');
    expect(startOfLocalDay('2026-03-02', BEIJING)).toBe('2026-03-01T16:00:00.000Z');
    expect(startOfLocalDay('2026-03-02', NEW_YORK)).toBe('2026-03-02T05:00:00.000Z');
    expect(refundDeadline('2026-03-01T10:00:00.000Z', 7)).toBe('2026-03-08T10:00:00.000Z');
  });
});
