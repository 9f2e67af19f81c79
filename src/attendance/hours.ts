/** Milliseconds in a hundredth of an hour (hours are kept in hundredths, as claim units are). */
const MS_PER_HUNDREDTH = 36_000;

/**
 * The hours (hundredths) between a check-in and a check-out, clipped to the
 * window the event counts [from, to) and rounded down to the programme's step
 * (hundredths). Integers throughout.
 * @example measuredHours('2026-03-01T08:10:00Z', '2026-03-01T10:05:00Z', { from: '2026-03-01T08:00:00Z', to: '2026-03-01T10:00:00Z' }, 50) // 150
 */
export function measuredHours(checkIn: string, checkOut: string, window: { from: string; to: string }, step: number): number {
  const start = Math.max(Date.parse(checkIn), Date.parse(window.from));
  const end = Math.min(Date.parse(checkOut), Date.parse(window.to));
  if (!(end > start)) return 0;
  return Math.floor((end - start) / (MS_PER_HUNDREDTH * step)) * step;
}
