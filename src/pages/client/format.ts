import { formatPoints, readHundredths } from '../../ledger/points.js';
import { lang, locale } from './page-text.js';

/** Integer hundredths of an amount the API sent ("12.50" → 1250); NaN when it is not one. */
export function hundredths(s: string): number {
  return readHundredths(String(s).trim()) ?? NaN;
}

/** Integer hundredths as the API writes points ("12.50"). */
export const points = formatPoints;

/** A moment as a date and time of day. */
export function time(iso: string): string {
  return new Date(iso).toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A moment as hours and minutes. */
export function hm(iso: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
}

/** A moment as a date. */
export function date(iso: string): string {
  return new Date(iso).toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** The value of a datetime-local input for a moment, in the phone's time zone. */
export function localInput(d: Date): string {
  const shifted = new Date(d.getTime() - d.getTimezoneOffset() * 60000);
  return shifted.toISOString().slice(0, 16);
}

/** An activity type's name in the page's language. */
export function activityName(type: { name?: { zh: string; en?: string | null } } | undefined): string {
  return type && type.name ? type.name[lang] || type.name.zh : '';
}
