/**
 * The worker's certificates (/app/worker/certificates): ask for service-record
 * certificates for a period of programme days (one comes from each org that
 * recorded hours), and the certificates issued, each with its print sheet and
 * its public check; a revoked one says why.
 */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { busy, byId, el, fail, fill, say } from './dom.js';
import { date, localInput } from './format.js';
import { t, text } from './page-text.js';
import { HOURS_REVOKED_REASON } from '../../certificates/hours-revoked.js';

type Certificate = components['schemas']['CertificatePage']['items'][number];

function line(c: Certificate): HTMLElement {
  const state = c.revoked ? (c.revoked_reason === HOURS_REVOKED_REASON ? text.worker_cert_revoked_hours : t('worker_cert_revoked_reason', { reason: c.revoked_reason ?? '' })) : null;
  return el('li', { 'data-number': c.number, 'data-revoked': String(c.revoked) }, [
    el('div', { class: 'line' }, [
      el('strong', { text: t('certificate_print_register', { org: c.org_name, n: c.register_no }) }),
      el('span', { class: 'amount', text: t('worker_cert_hours', { n: c.total_hours }) }),
    ]),
    el('p', { class: 'note', text: t('worker_cert_line', { from: c.period.first_day, to: c.period.last_day }) }),
    el('div', { class: 'note line' }, [
      el('span', { text: t('worker_cert_issued_on', { date: date(c.issued_at) }) }),
      el('span', { class: 'badge', text: c.revoked ? text.worker_cert_revoked : text.worker_cert_valid }),
    ]),
    state ? el('p', { class: 'note', 'data-revoked-reason': '', text: state }) : null,
    el('div', { class: 'row' }, [
      c.revoked ? null : el('a', { class: 'button', href: `${c.url}/print`, text: text.worker_cert_print }),
      el('a', { href: c.url, text: text.worker_cert_check }),
    ]),
  ]);
}

export function workerCertificates(): void {
  const form = byId<HTMLFormElement>('certificate-form'), from = byId<HTMLInputElement>('cert-from'), to = byId<HTMLInputElement>('cert-to');
  const today = new Date();
  from.value = `${today.getFullYear()}-01-01`;
  to.value = localInput(today).slice(0, 10);
  const list = byId('certificates');

  function load(): Promise<void> {
    list.setAttribute('aria-busy', 'true');
    return ok(api.GET('/v1/me/certificates', { params: { query: { limit: 100 } } })).then((page) => {
      fill(list, page.items, line, text.worker_cert_none);
      list.setAttribute('aria-busy', 'false');
    });
  }
  load().catch(fail);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    say('');
    fail('');
    if (!from.value || !to.value) {
      fail(text.worker_cert_pick_days);
      (from.value ? to : from).focus();
      return;
    }
    busy(form, ok(api.POST('/v1/me/certificates', { body: { from: from.value, to: to.value } })))
      .then((issued) => {
        say(t('worker_cert_issued', { n: issued.certificates.length }));
        return load();
      })
      .catch(fail);
  });
}
