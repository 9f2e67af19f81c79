/** Check-in and check-out at an event with the code on the organizer's screen, typed or scanned with the camera. */
import { api, ok } from './api.js';
import { busy, byId, fail, say } from './dom.js';
import { hm } from './format.js';
import { t, text } from './page-text.js';
import { qrScanner } from './scanner.js';

export function workerCheckIn(): void {
  const form = byId<HTMLFormElement>('check-form'), input = byId<HTMLInputElement>('check-code'), result = byId('check-result');
  qrScanner({
    start: byId<HTMLButtonElement>('scan'),
    stop: byId<HTMLButtonElement>('scan-stop'),
    video: byId<HTMLVideoElement>('camera'),
    found(value) {
      input.value = value.trim();
      say(text.worker_check_scanned);
      byId('check-in').focus();
    },
    denied() {
      fail(text.worker_check_camera_denied);
      input.focus();
    },
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    const out = submitter?.value === 'out';
    const code = input.value.trim();
    if (!code) {
      fail(text.worker_check_code_hint);
      input.focus();
      return;
    }
    result.textContent = '';
    say('');
    fail('');
    const call = out ? api.POST('/v1/me/check-outs', { body: { code } }) : api.POST('/v1/me/check-ins', { body: { code } });
    busy(form, ok(call))
      .then((record) => {
        input.value = '';
        result.setAttribute('data-event-id', record.event_id);
        result.setAttribute('data-hours', record.hours ?? '');
        result.textContent = out
          ? t('worker_checked_out', { event: record.event_title, time: hm(record.checked_out_at ?? ''), n: record.hours ?? '0.00' })
          : t('worker_checked_in', { event: record.event_title, time: hm(record.checked_in_at ?? '') });
      })
      .catch(fail);
  });
}
