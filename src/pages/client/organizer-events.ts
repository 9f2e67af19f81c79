/** Past events of the organizer's subtree, latest first, each with its roster: names and numbers, hours, what was credited. */
import { api, ok } from './api.js';
import { byId, el, fail, fill } from './dom.js';
import { activityName, date } from './format.js';
import { t, text } from './page-text.js';
import { memberName } from './sign-in-cards.js';
import { statusWords, unitsWords, type ActivityType } from './organizer-shared.js';
import type { components } from './contract.js';

type EventListed = components['schemas']['EventListed'];

export function eventsPage(typesLoaded: Promise<unknown>, types: Readonly<Record<string, ActivityType>>): void {
  const list = byId('events'), more = byId<HTMLButtonElement>('events-more');
  let shown: EventListed[] = [];
  let cursor: string | null = null;
  const now = new Date().toISOString();
  function load(next = false) {
    const query = { to: now, limit: 25, ...(next && cursor ? { cursor } : {}) };
    return Promise.all([ok(api.GET('/v1/events', { params: { query } })), typesLoaded]).then(([page]) => {
      shown = next ? shown.concat(page.items) : page.items;
      cursor = page.next_cursor;
      more.hidden = !cursor;
      fill(list, shown, item, text.organizer_events_none);
      list.setAttribute('aria-busy', 'false');
    });
  }
  function item(ev: EventListed): HTMLLIElement {
    const rosterId = 'roster-' + ev.id;
    const roster = el('ul', { class: 'list', id: rosterId, hidden: true });
    const toggle = el('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': rosterId, text: text.organizer_event_roster });
    toggle.addEventListener('click', () => {
      const opening = roster.hidden;
      roster.hidden = !opening;
      toggle.setAttribute('aria-expanded', String(opening));
      if (!opening) return;
      ok(api.GET('/v1/events/{id}', { params: { path: { id: ev.id } } }))
        .then((full) =>
          fill(roster, full.claims, (c) =>
            el('li', { 'data-member-no': c.member_no ?? '', 'data-status': c.status }, [
              el('strong', { text: t('admin_card_member', { name: memberName({ display_name: c.member_name }), no: c.member_no ?? '—' }) }),
              el('p', { class: 'note', text: t('organizer_roster_line', { units: unitsWords(c, types), status: statusWords(c) }) }),
            ]),
          ),
        )
        .catch(fail);
    });
    const facts = [t('organizer_event_line', { date: date(ev.starts_at), org: ev.org_name, n: ev.roster_size, points: ev.credited }), ev.pending ? t('organizer_event_pending', { n: ev.pending }) : ''];
    return el('li', { 'data-event-id': ev.id }, [
      el('div', { class: 'line' }, [el('strong', { text: ev.title }), el('span', { class: 'note', text: activityName(types[ev.activity_code]) || ev.activity_code })]),
      el('p', { class: 'note', text: facts.filter(Boolean).join(' · ') }),
      el('div', { class: 'row' }, [toggle, el('a', { class: 'button secondary', href: '/app/organizer/attendance?event=' + encodeURIComponent(ev.id), text: text.organizer_event_attendance })]),
      roster,
    ]);
  }
  more.addEventListener('click', () => load(true).catch(fail));
  load().catch(fail);
}
