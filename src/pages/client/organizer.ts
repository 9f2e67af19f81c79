/**
 * The organizer's pages: the pending-claims queue (approve, or reject with
 * a reason), a new event with a typed or pasted roster; and, in their own
 * modules, the budget that pays, members (register, find, revoke, sign-in
 * card), one claim outside an event, and past events with their rosters.
 */
import type { components } from './contract.js';
import { api, ApiError, ok } from './api.js';
import { busy, byId, el, fail, fill, has, pairs, say } from './dom.js';
import { activityName, hundredths, localInput, points, time } from './format.js';
import { guard } from './guard.js';
import { hasText, t, text } from './page-text.js';
import { budgetPage } from './organizer-budget.js';
import { claimForm } from './organizer-claim.js';
import { eventsPage } from './organizer-events.js';
import { attendancePage } from './organizer-attendance.js';
import { membersPage } from './organizer-members.js';
import { evidencePhoto } from './evidence.js';

type ActivityType = components['schemas']['ActivityType'];
type Claim = components['schemas']['Claim'];
type EventInput = components['schemas']['EventInput'];
type RosterLine = NonNullable<EventInput['roster']>[number];

// One participant a line: a member number, then hours where the activity counts hours.
function parseRoster(textValue: string): { roster: RosterLine[]; lines: number[]; bad: string[] } {
  const roster: RosterLine[] = [], lines: number[] = [], bad: string[] = [];
  textValue.split(/\r?\n/).forEach((line, i) => {
    const words = line.trim().split(/[\s,，;；]+/).filter(Boolean);
    if (!words.length) return;
    const ok = /^[A-Za-z0-9_:.-]{1,200}$/.test(words[0]!) && words.length <= 2 && (words.length === 1 || /^\d+(\.\d{1,2})?$/.test(words[1]!));
    if (!ok) {
      bad.push(t('roster_bad_line', { n: i + 1, text: line.trim() }));
      return;
    }
    const entry: RosterLine = { member_id: words[0]! };
    if (words[1]) entry.units = words[1];
    roster.push(entry);
    lines.push(i + 1);
  });
  return { roster, lines, bad };
}

const me = guard();
if (me) {
  const orgId = me.org_id ?? '';
  const org = { params: { path: { id: orgId } } };
  const types: Record<string, ActivityType> = {};
  const typesLoaded = ok(api.GET('/v1/activity-types')).then((result) => {
    result.items.forEach((type) => (types[type.code] = type));
    return result.items;
  });

  if (has('queue')) queue();
  if (has('event-form')) eventForm();
  if (has('budget')) budgetPage(orgId);
  if (has('member-search')) membersPage(typesLoaded, types);
  if (has('claim-form')) claimForm(typesLoaded);
  if (has('events')) eventsPage(typesLoaded, types);
  if (has('attendance')) attendancePage();

  function queue(): void {
    const list = byId('queue');
    function load() {
      return typesLoaded
        .then(() => ok(api.GET('/v1/claims', { params: { query: { status: 'pending', limit: 100, org_id: orgId } } })))
        .then((result) => fill(list, result.items, item, text.queue_empty))
        .catch(fail);
    }
    function item(claim: Claim): HTMLLIElement {
      const li = el('li', { 'data-claim-id': claim.id });
      const reasonId = 'reason-' + claim.id;
      const reason = el('div', { hidden: true }, [
        el('label', { for: reasonId, text: text.reject_reason }),
        el('input', { id: reasonId, maxlength: 500, autocomplete: 'off' }),
        el('button', { type: 'button', class: 'secondary', 'data-action': 'reject-confirm', text: text.reject_confirm }),
      ]);
      const name = activityName(types[claim.activity_code]) || claim.activity_code;
      const titleId = 'claim-' + claim.id;
      li.appendChild(el('div', { class: 'line' }, [el('strong', { id: titleId, text: name }), el('span', { class: 'amount', text: t('points', { n: claim.points }) })]));
      li.appendChild(
        el('p', {
          class: 'note',
          text: [t('claim_member', { name: claim.member_name || t('member_unnamed'), no: claim.member_no || '—' }), t('claim_units', { n: claim.units }), claim.report_ref ? t('claim_ref', { ref: claim.report_ref }) : '', t('claim_when', { date: time(claim.occurred_at) })]
            .filter(Boolean)
            .join(' · '),
        }),
      );
      if (claim.evidence_url && /^https?:/i.test(claim.evidence_url)) {
        li.appendChild(el('p', {}, [el('a', { href: claim.evidence_url, target: '_blank', rel: 'noopener noreferrer', text: text.evidence })]));
      }
      if (claim.evidence_id) li.appendChild(evidencePhoto(claim.evidence_id, claim.member_name || t('member_unnamed')));
      // Nobody decides what they submitted (the API refuses it: self_approval), so it is not offered.
      if (claim.submitted_by === me!.role + ':' + me!.sub) {
        li.appendChild(el('p', { class: 'note', 'data-own-claim': 'true', text: text.own_claim_waits }));
        return li;
      }
      const buttons = el('div', { class: 'row' }, [
        el('button', { type: 'button', 'data-action': 'approve', 'aria-describedby': titleId, text: text.approve }),
        el('button', { type: 'button', class: 'secondary', 'data-action': 'reject', 'aria-describedby': titleId, text: text.reject }),
      ]);
      li.appendChild(buttons);
      li.appendChild(reason);
      li.addEventListener('click', (event) => {
        const target = event.target as Element | null;
        const action = target && target.getAttribute && target.getAttribute('data-action');
        if (action === 'approve') decide(li, claim, 'approve');
        if (action === 'reject') {
          reason.hidden = false;
          byId(reasonId).focus();
        }
        if (action === 'reject-confirm') {
          const why = byId<HTMLInputElement>(reasonId).value.trim();
          if (why.length < 3) {
            fail(text.err_validation_failed);
            byId(reasonId).focus();
            return;
          }
          decide(li, claim, 'reject', why);
        }
      });
      return li;
    }
    function decide(li: HTMLLIElement, claim: Claim, action: 'approve' | 'reject', why?: string): void {
      const buttons = li.querySelectorAll('button');
      buttons.forEach((b) => (b.disabled = true));
      const path = { params: { path: { id: claim.id } } };
      const call = action === 'approve' ? api.POST('/v1/claims/{id}/approve', { ...path, body: {} }) : api.POST('/v1/claims/{id}/reject', { ...path, body: { reason: why ?? '' } });
      ok<Claim>(call)
        .then((after) => {
          if (after.status === 'approved') say(t('approved_ok', { n: after.points_credited }));
          else if (after.status === 'rejected') say(text.rejected_ok);
          else say(text.approved_pending);
          const next = li.nextElementSibling;
          li.remove();
          if (!list.children.length) fill(list, [], item, text.queue_empty);
          const focus = next && next.querySelector('button');
          if (focus) focus.focus();
        })
        .catch((error: unknown) => {
          buttons.forEach((b) => (b.disabled = false));
          fail(error);
        });
    }
    byId('refresh').addEventListener('click', () => {
      say('');
      load();
    });
    load();
  }

  function eventForm(): void {
    const form = byId<HTMLFormElement>('event-form'), orgSelect = byId<HTMLSelectElement>('org'), activity = byId<HTMLSelectElement>('activity');
    const roster = byId<HTMLTextAreaElement>('roster'), starts = byId<HTMLInputElement>('starts');
    starts.value = localInput(new Date());
    ok(api.GET('/v1/orgs/{id}', org))
      .then((o) => {
        orgSelect.appendChild(el('option', { value: o.id, text: t('org_self', { name: o.name }) }));
        o.children.forEach((child) => orgSelect.appendChild(el('option', { value: child.id, text: child.name })));
      })
      .catch(fail);
    typesLoaded
      .then((items) => {
        items.filter((type) => type.unit !== 'report').forEach((type) => activity.appendChild(el('option', { value: type.code, text: activityName(type) })));
      })
      .catch(fail);
    roster.addEventListener('input', () => {
      const parsed = parseRoster(roster.value);
      byId('roster-count').textContent = t('roster_count', { n: parsed.roster.length });
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const parsed = parseRoster(roster.value);
      if (parsed.bad.length) return fail(parsed.bad.join(' '));
      if (!parsed.roster.length) {
        fail(text.roster_empty);
        roster.focus();
        return;
      }
      const titleInput = byId<HTMLInputElement>('title');
      const title = titleInput.value.trim();
      if (!title) {
        fail(text.err_validation_failed);
        titleInput.focus();
        return;
      }
      const body: EventInput = { org_id: orgSelect.value, activity_code: activity.value, title, starts_at: new Date(starts.value || Date.now()).toISOString(), roster: parsed.roster };
      const place = byId<HTMLInputElement>('location').value.trim();
      if (place) body.location = place;
      busy(form, ok(api.POST('/v1/events', { body })))
        .then((result) => {
          const credited = result.claims.filter((c) => c.status === 'approved');
          const waiting = result.claims.filter((c) => c.status === 'pending');
          const sum = (list: Claim[], field: 'points' | 'points_credited') => points(list.reduce((s, c) => s + hundredths(c[field] || '0'), 0));
          say(t('event_recorded', { title: result.event.title, n: result.claims.length }));
          pairs(byId('event-result'), [
            [text.event_credited, t('event_people_points', { n: credited.length, points: sum(credited, 'points_credited') })],
            [text.event_waiting, t('event_people_points', { n: waiting.length, points: sum(waiting, 'points') })],
          ]);
          byId('event-result').hidden = false;
          form.reset();
          starts.value = localInput(new Date());
          byId('roster-count').textContent = '';
        })
        .catch((error: unknown) => {
          // A refused participant is named by its line, in plain words.
          const errors = error instanceof ApiError ? error.errors : [];
          const lines = errors
            .map((e) => {
              const index = /(\d+)$/.exec(e.path || '');
              const code = /^([a-z_]+):/.exec(e.message || '');
              if (!index || !code) return null;
              const n = Number(index[1]);
              const byCode = 'err_' + code[1];
              const reason = hasText(byCode) ? text[byCode] : (error as Error).message;
              return t('event_line_refused', { n: parsed.lines[n] || n + 1, member: (parsed.roster[n] || { member_id: '' }).member_id || '', reason });
            })
            .filter(Boolean);
          fail(lines.length ? { message: lines.join(' ') } : error);
        });
    });
  }
}
