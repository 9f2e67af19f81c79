/**
 * Attendance at one event (/app/organizer/attendance?event=<id>): opening it,
 * the rotating check-in code shown big (QR and 6 characters, replaced before
 * its step ends, timed by the server's clock), the list refreshed every few
 * seconds, an attendee's hours corrected or someone added (补录), and the
 * confirmation that turns the attendees into the event's claims.
 */
import type { components } from './contract.js';
import { answered, api, ApiError, ok } from './api.js';
import { busy, byId, el, fail, fill, say } from './dom.js';
import { hm, time } from './format.js';
import { hasText, t, text } from './page-text.js';
import { memberName } from './sign-in-cards.js';

type AttendanceList = components['schemas']['AttendanceList'];
type Attendee = components['schemas']['Attendee'];

const LIST_EVERY_MS = 4000;

export function attendancePage(): void {
  const eventId = new URLSearchParams(location.search).get('event');
  if (!eventId) {
    byId('attendance-pick').hidden = false;
    return;
  }
  const path = { params: { path: { id: eventId } } };
  const section = byId('attendance'), closed = byId('attendance-closed');
  const cards = ['attendance-code-card', 'attendees-card', 'fix-card', 'confirm-card'].map((id) => byId(id));
  const img = byId<HTMLImageElement>('qr'), codeText = byId('attendance-code'), timer = byId('attendance-code-timer');
  const list = byId('attendees'), count = byId('attendees-count'), confirmed = byId('attendance-confirmed'), confirmButton = byId<HTMLButtonElement>('attendance-confirm');
  const fixForm = byId<HTMLFormElement>('fix-form'), fixMember = byId<HTMLInputElement>('fix-member');
  let shown: AttendanceList | null = null;
  let codeTimer: ReturnType<typeof setTimeout> | undefined, listTimer: ReturnType<typeof setInterval> | undefined, tick: ReturnType<typeof setInterval> | undefined;
  let replaceAt = 0;
  section.hidden = false;

  ok(api.GET('/v1/events/{id}', path))
    .then((full) => {
      byId('attendance-title').textContent = full.event.title;
      byId('attendance-facts').textContent = t('organizer_attendance_event', { from: time(full.event.starts_at), to: full.event.ends_at ? hm(full.event.ends_at) : '' });
      return load();
    })
    .catch(fail);

  // The list, or the button to open attendance when the event does not take it yet.
  function load(): Promise<void> {
    return ok(api.GET('/v1/events/{id}/attendance', path)).then(show, (error: unknown) => {
      if (error instanceof ApiError && error.code === 'attendance_not_open') {
        closed.hidden = false;
        section.setAttribute('aria-busy', 'false');
        return;
      }
      throw error;
    });
  }

  function show(result: AttendanceList): void {
    const first = !shown;
    shown = result;
    closed.hidden = true;
    section.setAttribute('aria-busy', 'false');
    cards.forEach((card) => (card.hidden = false));
    count.textContent = t('organizer_attendance_count', { n: result.attendees.length });
    fill(list, result.attendees, attendee, text.organizer_attendance_none);
    if (result.confirmed) {
      stopCode();
      byId('attendance-code-card').hidden = true;
      byId('fix-card').hidden = true;
      confirmButton.hidden = true;
      if (!confirmed.textContent) confirmed.textContent = t('organizer_attendance_confirmed_before', { time: time(result.confirmed.created_at) });
      clearInterval(listTimer);
      return;
    }
    if (first) {
      showCode();
      listTimer = setInterval(() => load().catch(() => undefined), LIST_EVERY_MS);
    }
  }

  function attendee(a: Attendee): HTMLLIElement {
    const times = t('organizer_attendance_times', {
      in: a.checked_in_at ? hm(a.checked_in_at) : text.organizer_attendance_no_time,
      out: a.checked_out_at ? hm(a.checked_out_at) : a.checked_in_at ? text.organizer_attendance_not_yet : text.organizer_attendance_no_time,
    });
    const hours = a.hours === null ? text.organizer_attendance_unsettled : t('organizer_attendance_hours', { n: a.hours });
    const latest = a.corrections[a.corrections.length - 1];
    const fix = el('button', { type: 'button', class: 'secondary', text: text.organizer_attendance_fix_this });
    fix.addEventListener('click', () => {
      fixMember.value = a.member_no;
      byId<HTMLInputElement>('fix-hours').value = a.hours ?? '';
      byId('fix-reason').focus();
    });
    return el('li', { 'data-member-no': a.member_no, 'data-hours': a.hours ?? '', 'data-source': a.source }, [
      el('div', { class: 'line' }, [
        el('strong', { text: t('admin_card_member', { name: memberName(a), no: a.member_no }) }),
        el('span', { class: 'amount', text: hours }),
      ]),
      el('p', { class: 'note', text: times }),
      a.source === 'back_filled' ? el('p', { class: 'note', 'data-back-filled': true, text: text.organizer_attendance_back_filled + (latest ? ' · ' + latest.reason : '') }) : null,
      shown && !shown.confirmed ? fix : null,
    ]);
  }

  // The code lives one step (30 s) and the one after; it is replaced a little before its step ends.
  function showCode(): void {
    clearTimeout(codeTimer);
    answered(api.GET('/v1/events/{id}/attendance/code', path))
      .then(({ data: code, response }) => {
        const serverNow = Date.parse(response.headers.get('date') || '') || Date.now();
        const left = Date.parse(code.step_ends_at) - serverNow;
        const wait = Math.min(30000, Math.max(3000, (isNaN(left) ? 30000 : left) - 1500));
        replaceAt = Date.now() + wait;
        img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(code.qr_svg);
        img.alt = t('organizer_attendance_code_alt', { code: code.code });
        img.hidden = false;
        codeText.textContent = code.code;
        codeText.setAttribute('data-step-ends-at', code.step_ends_at);
        countdown();
        clearInterval(tick);
        tick = setInterval(countdown, 1000);
        codeTimer = setTimeout(showCode, wait);
      })
      .catch(() => {
        // Outside the window (not yet, or over): no code; look again later.
        stopCode();
        timer.textContent = text.organizer_attendance_code_none;
        codeTimer = setTimeout(showCode, 30000);
      });
  }
  function countdown(): void {
    timer.textContent = t('organizer_attendance_code_refreshes', { s: Math.max(0, Math.round((replaceAt - Date.now()) / 1000)) });
  }
  function stopCode(): void {
    clearTimeout(codeTimer);
    clearInterval(tick);
    img.hidden = true;
    img.removeAttribute('src');
    codeText.textContent = '';
    timer.textContent = '';
  }

  byId('attendance-open').addEventListener('click', () => {
    fail('');
    ok(api.POST('/v1/events/{id}/attendance', { ...path, body: {} }))
      .then(() => {
        say(text.organizer_attendance_opened);
        return load();
      })
      .catch(fail);
  });

  fixForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const member = fixMember.value.trim(), hours = byId<HTMLInputElement>('fix-hours').value.trim(), reason = byId<HTMLInputElement>('fix-reason').value.trim();
    if (!fixForm.checkValidity() || !member || !hours || !reason) {
      fixForm.reportValidity();
      return;
    }
    fail('');
    busy(fixForm, ok(api.PATCH('/v1/events/{id}/attendance/{member_id}', { params: { path: { id: eventId, member_id: member } }, body: { hours, reason } })))
      .then((a) => {
        say(t('organizer_attendance_fixed', { name: memberName(a), no: a.member_no, n: a.hours ?? hours }));
        fixForm.reset();
        return load();
      })
      .catch(fail);
  });

  confirmButton.addEventListener('click', () => {
    fail('');
    confirmButton.disabled = true;
    ok(api.POST('/v1/events/{id}/attendance/confirm', path))
      .then((result) => {
        const words = [t('organizer_attendance_confirmed', { n: result.claims.length, points: result.transaction ? result.transaction.points : '0.00' })];
        if (result.refused.length) {
          const who = result.refused.map((r) => {
            const a = shown?.attendees.find((x) => x.member_id === r.member_id);
            const key = 'err_' + r.code;
            const why = hasText(key) ? text[key] : r.detail;
            return (a ? t('admin_card_member', { name: memberName(a), no: a.member_no }) : '') + ' ' + why;
          });
          words.push(t('organizer_attendance_confirmed_refused', { n: result.refused.length, who: who.join('；') }));
        }
        confirmed.textContent = words.join(' ');
        return load();
      })
      .catch((error: unknown) => {
        confirmButton.disabled = false;
        fail(error);
      });
  });
}
