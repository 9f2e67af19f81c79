/**
 * Programme time: the programme's wall clock, a fixed offset from UTC
 * (JIFEN_UTC_OFFSET, carried in the programme settings). Every day, week,
 * month and year the service counts by — caps, reward limits, leaderboards,
 * statements, weekly totals, points expiry — is computed here, so they all
 * agree on where local midnight falls. Pure functions, no I/O.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** An instant as a Date or an ISO string. */
export type Instant = Date | string;

/** A period the programme counts by. */
export type Period = 'day' | 'month' | 'year';

function ms(at: Instant): number {
  return typeof at === 'string' ? Date.parse(at) : at.getTime();
}

/** The programme's wall clock at `at`, as a Date whose UTC fields read local time. */
export function localClock(at: Instant, utcOffsetMinutes: number): Date {
  return new Date(ms(at) + utcOffsetMinutes * MINUTE_MS);
}

/** The UTC instant (ISO) at which the programme's wall clock reads the given UTC-field time (ms). */
export function fromLocal(localMs: number, utcOffsetMinutes: number): string {
  return new Date(localMs - utcOffsetMinutes * MINUTE_MS).toISOString();
}

/** The local day (`YYYY-MM-DD`) holding `at`. */
export function dayOf(at: Instant, utcOffsetMinutes: number): string {
  return localClock(at, utcOffsetMinutes).toISOString().slice(0, 10);
}

/** The local month (`YYYY-MM`) holding `at`. */
export function monthOf(at: Instant, utcOffsetMinutes: number): string {
  return localClock(at, utcOffsetMinutes).toISOString().slice(0, 7);
}

/** The local year holding `at`. */
export function yearOf(at: Instant, utcOffsetMinutes: number): number {
  return localClock(at, utcOffsetMinutes).getUTCFullYear();
}

/** The Monday (local, `YYYY-MM-DD`) of the ISO week (Monday to Sunday) holding `at`. */
export function weekStartOf(at: Instant, utcOffsetMinutes: number): string {
  const local = localClock(at, utcOffsetMinutes);
  const daysSinceMonday = (local.getUTCDay() + 6) % 7;
  return new Date(local.getTime() - daysSinceMonday * DAY_MS).toISOString().slice(0, 10);
}

/** The local day `days` after (or before, if negative) the local day `day` (`YYYY-MM-DD`). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The instant (UTC ISO) at which the local day `day` (`YYYY-MM-DD`) begins. */
export function startOfLocalDay(day: string, utcOffsetMinutes: number): string {
  return fromLocal(Date.parse(day), utcOffsetMinutes);
}

/** The instant (UTC ISO) at which local year `year` begins (1 January, 00:00 local). */
export function startOfLocalYear(year: number, utcOffsetMinutes: number): string {
  return fromLocal(Date.UTC(year, 0, 1), utcOffsetMinutes);
}

/** The [from, to) (UTC ISO) of the local day, month or year holding `at`. */
export function periodBounds(period: Period, at: Instant, utcOffsetMinutes: number): { from: string; to: string } {
  const local = localClock(at, utcOffsetMinutes);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const d = local.getUTCDate();
  const [start, end] =
    period === 'day' ? [Date.UTC(y, m, d), Date.UTC(y, m, d + 1)]
    : period === 'month' ? [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)]
    : [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
  return { from: fromLocal(start, utcOffsetMinutes), to: fromLocal(end, utcOffsetMinutes) };
}

/** The key of the period holding `at`, as stored in counters: `d:YYYY-MM-DD`, `m:YYYY-MM`, `y:YYYY`. */
export function periodKey(period: Period, at: Instant, utcOffsetMinutes: number): string {
  const local = localClock(at, utcOffsetMinutes).toISOString();
  return period === 'day' ? `d:${local.slice(0, 10)}` : period === 'month' ? `m:${local.slice(0, 7)}` : `y:${local.slice(0, 4)}`;
}

/** The SQLite date modifier (`'+480 minutes'`) that turns a stored UTC instant into programme time. */
export function sqliteShift(utcOffsetMinutes: number): string {
  return `${utcOffsetMinutes >= 0 ? '+' : ''}${utcOffsetMinutes} minutes`;
}

/** The last instant (UTC ISO) a redemption made at `at` may be refunded: `days` whole days later. */
export function refundDeadline(at: Instant, days: number): string {
  return new Date(ms(at) + days * DAY_MS).toISOString();
}
