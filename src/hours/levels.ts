/**
 * Levels by service hours (星级): a member reaches level n when its hours,
 * all to date, reach the n-th threshold. The thresholds are a programme
 * setting (JIFEN_HOURS_LEVELS, whole hours, increasing); this module is the
 * one place that reads a level from hours, for the API, the pages and
 * certificates alike. Plain integer arithmetic on hundredths of an hour, so
 * the pages bundle it too.
 */

/** Default thresholds in whole hours: the five stars of the national volunteer record. */
export const DEFAULT_HOURS_LEVELS = [100, 300, 600, 1000, 1500] as const;

/** A member's level and how far the next one is. */
export interface HoursLevel {
  /** 0 before the first threshold, else how many thresholds the hours reached. */
  level: number;
  /** The thresholds, in whole hours. */
  thresholds: number[];
  /** The hours the next level needs, in whole hours; null at the top. */
  next_at_hours: number | null;
}

/**
 * The level of `hundredths` hundredths of an hour.
 * @example levelOf(30_000, [100, 300, 600]) // { level: 2, thresholds: [100, 300, 600], next_at_hours: 600 }
 */
export function levelOf(hundredths: number, thresholds: readonly number[]): HoursLevel {
  const reached = thresholds.filter((h) => hundredths >= h * 100).length;
  return { level: reached, thresholds: [...thresholds], next_at_hours: thresholds[reached] ?? null };
}

/**
 * Reads the setting: comma-separated whole hours, strictly increasing.
 * @returns the thresholds, or a message saying what is wrong
 */
export function readHoursLevels(text: string): number[] | string {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^[1-9]\d{0,5}$/.test(p))) return 'must be whole hours separated by commas, e.g. 100,300,600,1000,1500';
  const hours = parts.map(Number);
  if (hours.some((h, i) => i > 0 && h <= hours[i - 1]!)) return 'must increase from one level to the next';
  return hours;
}
