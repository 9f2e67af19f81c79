/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../http/context.js';
import { certificateUrl, certifiedPeriod, HOURS_REVOKED_REASON, registerNumber, type PublicCertificate } from '../certificates/certificates.js';
import { dayOf } from '../ledger/programme-time.js';
import { codeQrSvg } from '../rewards/code-qr.js';
import { pickLang, stringsFor } from './i18n.js';
import { Layout } from './layout.js';
import { SECURITY_HEADERS } from './routes.js';

/** The programme day (JIFEN_UTC_OFFSET) an instant falls on. */
const day = (c: Context<AppEnv>, iso: string) => dayOf(iso, c.get('deps').programme.utcOffsetMinutes);
type Verdict = 'valid' | 'revoked' | 'not-authentic';
const verdictOf = (view: PublicCertificate): Verdict => (view.revoked ? 'revoked' : view.valid ? 'valid' : 'not-authentic');
/** A level (星级) in words: "3 星", or "未评星" below the first. */
const levelWords = (t: ReturnType<typeof stringsFor>['t'], level: number) =>
  level > 0 ? t('certificate_level_value', { level }) : t('certificate_level_none');
const VERDICT_KEY = { valid: 'certificate_valid', revoked: 'certificate_revoked', 'not-authentic': 'certificate_not_authentic' } as const;

/**
 * The public check of a certificate, server-rendered for anyone who scans
 * its QR code: authentic or not, revoked or not, and exactly what it states
 * (nothing else about the member). `view` undefined: no such number (404).
 */
export function certificatePage(c: Context<AppEnv>, number: string, view: PublicCertificate | undefined): Response | Promise<Response> {
  const { lang, strings, t } = stringsFor(pickLang(c));
  const path = certificateUrl(number);
  if (!view) {
    const body = (
      <Layout lang={lang} strings={strings} t={t} title={t('certificate_not_found_title')} path={path}>
        <p class="message error" data-verdict="not-found">{t('err_certificate_not_found')}</p>
      </Layout>
    );
    return c.html(html`<!doctype html>${body}`, 404, SECURITY_HEADERS);
  }
  const k = view.content;
  const days = certifiedPeriod(k, c.get('deps').programme.utcOffsetMinutes);
  const verdict = verdictOf(view);
  const body = (
    <Layout lang={lang} strings={strings} t={t} title={t('certificate_title')} path={path}>
      <section class="certificate" aria-labelledby="certificate-verdict">
        <p id="certificate-verdict" class={`message ${verdict === 'valid' ? 'ok' : 'error'}`} data-verdict={verdict}>
          {t(VERDICT_KEY[verdict])}
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
          <dd>{t('certificate_period_value', { from: days.first_day, to: days.last_day })}</dd>
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
          <dd>{levelWords(t, k.level)}</dd>
          <dt>{t('certificate_issued')}</dt>
          <dd>{day(c, k.issued_at)}</dd>
          <dt>{t('certificate_ledger_seq')}</dt>
          <dd>{k.ledger_seq}</dd>
        </dl>
        <p class="hint">{t('certificate_offline')}</p>
        {verdict === 'valid' ? (
          <p>
            <a href={`${path}/print`}>{t('certificate_print_link')}</a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
  return c.html(html`<!doctype html>${body}`, 200, SECURITY_HEADERS);
}

/**
 * The certificate as an A4 sheet to print: the statement in words, hours by
 * activity, the issuing org and date, and a QR code (drawn here, on the
 * server) to the public check. It shows what the public check shows, and no
 * more; a revoked or altered certificate prints its verdict across the top.
 */
export function certificatePrintPage(c: Context<AppEnv>, number: string, view: PublicCertificate, origin: string) {
  const { lang, strings, t } = stringsFor(pickLang(c));
  const path = `${certificateUrl(number)}/print`;
  const k = view.content;
  const days = certifiedPeriod(k, c.get('deps').programme.utcOffsetMinutes);
  const verdict = verdictOf(view);
  const checkUrl = origin + certificateUrl(number);
  const name = k.member.name ?? t('certificate_unnamed');
  const body = (
    <Layout lang={lang} strings={strings} t={t} title={t('certificate_print_title')} path={path}>
      <div class="row no-print">
        <button type="button" data-print>
          {t('certificate_print_button')}
        </button>
        <a href={certificateUrl(number)}>{t('certificate_print_check')}</a>
      </div>
      <article class="certificate-sheet" data-verdict={verdict} data-number={k.number}>
        {verdict === 'valid' ? null : (
          <p class="verdict" data-verdict-banner>
            {t(VERDICT_KEY[verdict])}
          </p>
        )}
        <p class="register">{t('certificate_print_register', { org: k.issuing_org.name, n: registerNumber(k.number) })}</p>
        <h2>{t('certificate_print_heading')}</h2>
        <p class="statement">
          {t('certificate_print_statement', { name, no: k.member.member_no ?? '—', from: days.first_day, to: days.last_day, org: k.issuing_org.name, hours: k.total_hours })}
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('certificate_print_activity')}</th>
              <th scope="col">{t('certificate_print_hours')}</th>
            </tr>
          </thead>
          <tbody>
            {k.hours_by_activity.map((a) => (
              <tr>
                <td>{lang === 'zh' ? a.name_zh : a.name_en}</td>
                <td class="num">{a.hours}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('certificate_total')}</th>
              <td class="num" data-total-hours>
                {k.total_hours}
              </td>
            </tr>
          </tfoot>
        </table>
        <p>{t('certificate_print_level', { level: levelWords(t, k.level) })}</p>
        <div class="sign-off">
          <p>{t('certificate_print_issuer', { org: k.issuing_org.name })}</p>
          <p>{t('certificate_print_date', { date: day(c, k.issued_at) })}</p>
        </div>
        <div class="check">
          <div class="qr" role="img" aria-label={t('certificate_print_qr', { url: checkUrl })} dangerouslySetInnerHTML={{ __html: codeQrSvg(checkUrl) }} />
          <p>
            {t('certificate_print_scan')}
            <br />
            <span class="url">{checkUrl}</span>
          </p>
          <p class="small">{t('certificate_print_number', { number: k.number, seq: k.ledger_seq })}</p>
        </div>
      </article>
    </Layout>
  );
  return c.html(html`<!doctype html>${body}`, 200, SECURITY_HEADERS);
}
