/**
 * The worker's claims (/app/worker/claims): every claim, newest first, with
 * its status in plain words and, when rejected or revoked, the reason the
 * organizer gave.
 */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { byId, el, fail } from './dom.js';
import { activityName, date, hundredths } from './format.js';
import { t, text } from './page-text.js';

type Claim = components['schemas']['Claim'];
type ActivityType = components['schemas']['ActivityType'];

/** What became of a claim, in a sentence. */
function outcome(claim: Claim): string {
  switch (claim.status) {
    case 'pending':
      return text.worker_claim_pending;
    case 'approved':
      return claim.points_capped && hundredths(claim.points_capped) > 0
        ? t('worker_claim_capped', { n: claim.points_credited, capped: claim.points_capped })
        : t('worker_claim_approved', { n: claim.points_credited });
    case 'rejected':
      return claim.reason ? t('worker_claim_rejected', { reason: claim.reason }) : text.worker_claim_rejected_no_reason;
    case 'revoked':
      return t('worker_claim_revoked', { n: claim.points_credited, reason: claim.revocation_reason || '' });
  }
}

export function workerClaims(): void {
  const list = byId('claim-list'), more = byId('claims-more'), types: Record<string, ActivityType> = {};
  let cursor: string | null = null;

  function page(): void {
    const query = cursor ? { limit: 20, cursor } : { limit: 20 };
    ok(api.GET('/v1/claims', { params: { query } }))
      .then((result) => {
        if (!cursor && !result.items.length) list.appendChild(el('li', { class: 'note', text: text.nothing_yet }));
        result.items.forEach((claim) => {
          const name = activityName(types[claim.activity_code]) || claim.activity_code;
          list.appendChild(
            el('li', { 'data-claim-id': claim.id, 'data-status': claim.status }, [
              el('div', { class: 'line' }, [el('span', { text: t('claim_line', { activity: name, points: claim.points }) }), el('span', { class: 'badge', text: t('status_' + claim.status) })]),
              el('p', { 'data-outcome': '', text: outcome(claim) }),
              el('p', { class: 'note', text: [t('worker_claim_when', { date: date(claim.occurred_at) }), claim.report_ref].filter(Boolean).join(' · ') }),
            ]),
          );
        });
        list.setAttribute('aria-busy', 'false');
        cursor = result.next_cursor;
        more.hidden = !cursor;
      })
      .catch(fail);
  }

  ok(api.GET('/v1/activity-types'))
    .then((result) => {
      result.items.forEach((type) => (types[type.code] = type));
      list.textContent = '';
      page();
    })
    .catch(fail);
  more.addEventListener('click', page);
}
