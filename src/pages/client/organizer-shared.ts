/**
 * What the organizer's pages share: how a claim's units and status are said
 * (a member's claims, an event's roster), and the activity types, read once.
 */
import type { components } from './contract.js';
import { activityName } from './format.js';
import { t } from './page-text.js';

export type ActivityType = components['schemas']['ActivityType'];
export type Claim = components['schemas']['Claim'];

/** Hours for an hour-counted activity, times otherwise. */
export function unitsWords(claim: Claim, types: Readonly<Record<string, ActivityType>>): string {
  const unit = types[claim.activity_code]?.unit;
  return unit === 'hour' ? t('organizer_roster_hours', { n: claim.units }) : t('organizer_roster_times', { n: Number(claim.units) });
}

/** A claim's status in words: what was credited, or why it was not (or no longer) is. */
export function statusWords(claim: Claim): string {
  if (claim.status === 'approved') return t('organizer_claim_status_approved', { n: claim.points_credited ?? '0.00' });
  if (claim.status === 'rejected') return t('organizer_claim_status_rejected', { reason: claim.reason ?? '' });
  if (claim.status === 'revoked') return t('organizer_claim_status_revoked', { reason: claim.revocation_reason ?? '' });
  return t('organizer_claim_status_pending');
}

/** The activity's name in the page's language, or its code when unknown. */
export function activityWords(claim: Claim, types: Readonly<Record<string, ActivityType>>): string {
  return activityName(types[claim.activity_code]) || claim.activity_code;
}
