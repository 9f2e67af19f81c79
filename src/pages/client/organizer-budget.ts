/**
 * The budget page: the budget that pays for the organizer's org — its own,
 * or an org's above it (the API answers with the paying one) — and its pace
 * since the budget's first credit.
 */
import { api, ok } from './api.js';
import { byId, fail, pairs } from './dom.js';
import { date, hundredths } from './format.js';
import { t, text } from './page-text.js';

export function budgetPage(orgId: string): void {
  ok(api.GET('/v1/orgs/{id}/budget', { params: { path: { id: orgId } } }))
    .then((b) => {
      const payer = byId('budget-org');
      payer.textContent = b.paying_org_id === b.org_id ? t('organizer_budget_own', { name: b.paying_org_name }) : t('organizer_budget_paid_by', { name: b.paying_org_name });
      payer.setAttribute('data-paying-org', b.paying_org_id);
      const allocated = hundredths(b.allocated), remaining = hundredths(b.remaining);
      const meter = byId<HTMLMeterElement>('budget-meter');
      meter.value = allocated > 0 ? Math.max(0, Math.min(1, 1 - remaining / allocated)) : 0;
      meter.textContent = Math.round(meter.value * 100) + '%';
      pairs(byId('budget'), [
        [text.b_allocated, t('points', { n: b.allocated })],
        [text.b_credited, t('points', { n: b.credited })],
        [text.b_revoked, t('points', { n: b.revoked })],
        [text.b_remaining, t('points', { n: b.remaining })],
      ]);
      byId('budget').setAttribute('data-remaining', b.remaining);
      byId('budget').setAttribute('aria-busy', 'false');
      const p = b.pace;
      byId('pace').textContent =
        p.since === null
          ? text.organizer_pace_none
          : p.days_left === null
            ? t('organizer_pace_idle', { days: p.window_days })
            : t('organizer_pace_days', { since: date(p.since), days: p.window_days, credited: p.credited_in_window, per_day: p.per_day, left: p.days_left });
    })
    .catch(fail);
}
