/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../http/context.js';
import { HOURS_REVOKED_REASON, type PublicCertificate } from '../certificates/certificates.js';
import { pickLang, stringsFor } from './i18n.js';
import { Layout } from './layout.js';
import { SECURITY_HEADERS } from './routes.js';

const day = (iso: string) => iso.slice(0, 10);

/**
 * The public check of a certificate, server-rendered for anyone who scans
 * its QR code: authentic or not, revoked or not, and exactly what it states
 * (nothing else about the member). `view` undefined: no such number (404).
 */
export function certificatePage(c: Context<AppEnv>, number: string, view: PublicCertificate | undefined) {
  const { lang, strings, t } = stringsFor(pickLang(c));
  const path = `/verify/certificates/${encodeURIComponent(number)}`;
  if (!view) {
    const body = (
      <Layout lang={lang} strings={strings} t={t} title={t('certificate_not_found_title')} path={path}>
        <p class="message error" data-verdict="not-found">{t('err_certificate_not_found')}</p>
      </Layout>
    );
    return c.html(html`<!doctype html>${body}`, 404, SECURITY_HEADERS);
  }
  const k = view.content;
  const verdict = view.revoked ? 'revoked' : view.valid ? 'valid' : 'not-authentic';
  const body = (
    <Layout lang={lang} strings={strings} t={t} title={t('certificate_title')} path={path}>
      <section class="certificate" aria-labelledby="certificate-verdict">
        <p id="certificate-verdict" class={`message ${verdict === 'valid' ? 'ok' : 'error'}`} data-verdict={verdict}>
          {verdict === 'valid' ? t('certificate_valid') : verdict === 'revoked' ? t('certificate_revoked') : t('certificate_not_authentic')}
        </p>
        {view.revoked ? (
          <p data-revoked-reason>
            {view.revoked_reason === HOURS_REVOKED_REASON ? t('certificate_hours_revoked') : t('certificate_revoked_reason', { reason: view.revoked_reason ?? '' })}
          </p>
        ) : null}
        <h2>{t('certificate_states')}</h2>
        <dl>
          <dt>{t('certificate_number')}</dt>
          <dd>{k.number}</dd>
          <dt>{t('certificate_org')}</dt>
          <dd>{k.issuing_org.name}</dd>
          <dt>{t('certificate_name')}</dt>
          <dd>{k.member.name ?? t('certificate_unnamed')}</dd>
          <dt>{t('certificate_member_no')}</dt>
          <dd>{k.member.member_no ?? '—'}</dd>
          <dt>{t('certificate_period')}</dt>
          <dd>{t('certificate_period_value', { from: day(k.period.from), to: day(k.period.to) })}</dd>
          <dt>{t('certificate_hours')}</dt>
          <dd>
            <ul>
              {k.hours_by_activity.map((a) => (
                <li>
                  {lang === 'zh' ? a.name_zh : a.name_en}: {t('certificate_hours_value', { hours: a.hours })}
                </li>
              ))}
              <li>
                {t('certificate_total')}: {t('certificate_hours_value', { hours: k.total_hours })}
              </li>
            </ul>
          </dd>
          <dt>{t('certificate_level')}</dt>
          <dd>{t('certificate_level_value', { level: k.level })}</dd>
          <dt>{t('certificate_issued')}</dt>
          <dd>{day(k.issued_at)}</dd>
          <dt>{t('certificate_ledger_seq')}</dt>
          <dd>{k.ledger_seq}</dd>
        </dl>
        <p class="hint">{t('certificate_offline')}</p>
      </section>
    </Layout>
  );
  return c.html(html`<!doctype html>${body}`, 200, SECURITY_HEADERS);
}
