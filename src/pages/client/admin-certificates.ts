/**
 * The register of certificates (/app/admin/certificates): every certificate
 * issued in an org's subtree, newest first, with the member's name and number,
 * the programme days, the hours and whether it is in force; an admin revokes
 * one with a reason (auditors read it only; the API refuses them anyway).
 */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { busy, byId, el, fail, fill, say } from './dom.js';
import { date } from './format.js';
import { t, text } from './page-text.js';
import { HOURS_REVOKED_REASON } from '../../certificates/hours-revoked.js';

type Certificate = components['schemas']['CertificatePage']['items'][number];

export function certificatesPage(canRevoke: boolean): void {
  const list = byId('register'), more = byId<HTMLButtonElement>('register-more'), org = byId<HTMLSelectElement>('register-org');
  let items: Certificate[] = [];
  let cursor: string | null = null;

  function revokeForm(c: Certificate): HTMLElement {
    const reasonId = `revoke-reason-${c.number}`;
    const reason = el('input', { id: reasonId, required: true, minlength: 3, maxlength: 500, autocomplete: 'off' });
    const form = el('form', { novalidate: true }, [
      el('label', { for: reasonId }, [text.certificate_register_reason, el('span', { class: 'hint', text: text.certificate_register_reason_hint })]),
      reason,
      el('button', { type: 'submit', class: 'secondary', text: text.certificate_register_revoke_submit }),
    ]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      say('');
      fail('');
      if (reason.value.trim().length < 3) {
        fail(text.certificate_register_reason_hint);
        reason.focus();
        return;
      }
      busy(form, ok(api.POST('/v1/certificates/{number}/revoke', { params: { path: { number: c.number } }, body: { reason: reason.value.trim() } })))
        .then(() => {
          say(t('certificate_register_revoked_ok', { number: c.number }));
          return load(false);
        })
        .catch(fail);
    });
    return el('details', {}, [el('summary', { text: text.certificate_register_revoke }), form]);
  }

  function line(c: Certificate): HTMLElement {
    const why = c.revoked ? (c.revoked_reason === HOURS_REVOKED_REASON ? text.certificate_hours_revoked : t('certificate_revoked_reason', { reason: c.revoked_reason ?? '' })) : null;
    return el('li', { 'data-number': c.number, 'data-revoked': String(c.revoked) }, [
      el('div', { class: 'line' }, [
        el('strong', { text: t('certificate_register_line', { name: c.member_name ?? text.certificate_unnamed, no: c.member_no ?? '—', hours: c.total_hours }) }),
        el('span', { class: 'badge', text: c.revoked ? text.certificate_register_revoked : text.certificate_register_in_force }),
      ]),
      el('p', { class: 'note', text: t('certificate_register_facts', { org: c.org_name, from: c.period.first_day, to: c.period.last_day, date: date(c.issued_at) }) }),
      why ? el('p', { class: 'note', 'data-revoked-reason': '', text: why }) : null,
      el('a', { href: c.url, text: t('certificate_print_register', { org: c.org_name, n: c.register_no }) }),
      canRevoke && !c.revoked ? revokeForm(c) : null,
    ]);
  }

  function load(append: boolean): Promise<void> {
    list.setAttribute('aria-busy', 'true');
    const query = { limit: 50, ...(org.value ? { org_id: org.value } : {}), ...(append && cursor ? { cursor } : {}) };
    return ok(api.GET('/v1/certificates', { params: { query } })).then((page) => {
      items = append ? items.concat(page.items) : page.items;
      cursor = page.next_cursor;
      fill(list, items, line, text.certificate_register_none);
      more.hidden = !cursor;
      list.setAttribute('aria-busy', 'false');
    });
  }

  byId<HTMLFormElement>('register-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    load(false).catch(fail);
  });
  more.addEventListener('click', () => load(true).catch(fail));
  load(false).catch(fail);
}
