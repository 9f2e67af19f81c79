/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { HTML_LANG, type Lang, type Strings, type TextKey } from './i18n.js';

/** The roles that have pages, and what each one's navigation lists. */
export type PageRole = 'worker' | 'merchant' | 'organizer' | 'auditor' | 'admin';

const CONSOLE = [
  { href: '/app/admin', key: 'nav_admin_orgs' },
  { href: '/app/admin/activities', key: 'nav_admin_activities' },
  { href: '/app/admin/merchants', key: 'nav_admin_merchants' },
  { href: '/app/admin/members', key: 'nav_admin_members' },
  { href: '/app/admin/ledger', key: 'nav_admin_ledger' },
  { href: '/app/admin/certificates', key: 'certificate_nav_register' },
  { href: '/app/auditor', key: 'nav_auditor' },
  { href: '/app/auditor/search', key: 'auditor_nav_search' },
] as const;

const NAV: Record<PageRole, ReadonlyArray<{ href: string; key: TextKey }>> = {
  worker: [
    { href: '/app/worker', key: 'nav_worker_home' },
    { href: '/app/worker/check-in', key: 'worker_nav_check_in' },
    { href: '/app/worker/rewards', key: 'worker_nav_rewards' },
    { href: '/app/worker/statement', key: 'nav_worker_statement' },
    { href: '/app/worker/receipts', key: 'worker_nav_receipts' },
    { href: '/app/worker/cards', key: 'nav_worker_cards' },
    { href: '/app/worker/report', key: 'nav_worker_report' },
    { href: '/app/worker/claims', key: 'worker_nav_claims' },
    { href: '/app/worker/recognition', key: 'worker_nav_recognition' },
    { href: '/app/worker/certificates', key: 'worker_nav_certificates' },
  ],
  merchant: [
    { href: '/app/merchant', key: 'nav_merchant_till' },
    { href: '/app/merchant/pickups', key: 'merchant_nav_pickups' },
    { href: '/app/merchant/redemptions', key: 'merchant_nav_redemptions' },
    { href: '/app/merchant/settlement', key: 'nav_merchant_settlement' },
  ],
  organizer: [
    { href: '/app/organizer', key: 'nav_organizer_claims' },
    { href: '/app/organizer/members', key: 'organizer_nav_members' },
    { href: '/app/organizer/claim', key: 'organizer_nav_claim' },
    { href: '/app/organizer/event', key: 'nav_organizer_event' },
    { href: '/app/organizer/events', key: 'organizer_nav_events' },
    { href: '/app/organizer/budget', key: 'nav_organizer_budget' },
  ],
  // Admins and auditors share the console and the audit page (auditors read the console, admins read the audit).
  admin: CONSOLE,
  auditor: CONSOLE,
};

/** Text for the browser script, safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The frame of every page: `lang`, a skip link, a header with the language
 * switch and sign-out, the role's navigation, one `main` with the page's
 * heading and two live regions (messages and errors), and the page's script.
 */
export function Layout(props: {
  lang: Lang;
  strings: Strings;
  t: (key: TextKey) => string;
  title: string;
  path: string;
  role?: PageRole;
  /** The page's browser script; none for a page that needs none (the public certificate check). */
  script?: string;
  children?: Child;
}) {
  const { lang, t, role } = props;
  const other = lang === 'zh' ? 'en' : 'zh';
  return (
    <html lang={HTML_LANG[lang]}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · ${t('app_name')}`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/app/assets/app.css" />
        <script type="application/json" id="jifen-text" dangerouslySetInnerHTML={{ __html: scriptJson(props.strings) }} />
        <script src="/app/assets/common.js" defer />
        {props.script ? <script src={`/app/assets/${props.script}.js`} defer /> : null}
      </head>
      <body data-role={role ?? ''} data-lang={lang}>
        <a class="skip" href="#main">
          {t('skip_to_content')}
        </a>
        <header class="top">
          <span class="brand">{t('app_name')}</span>
          <a href={`?lang=${other}`} hreflang={HTML_LANG[other]} lang={HTML_LANG[other]}>
            {other === 'en' ? 'English' : '中文'}
          </a>
          {role ? (
            <button type="button" id="sign-out">
              {t('sign_out')}
            </button>
          ) : null}
        </header>
        {role ? (
          <nav aria-label={t('nav_label')}>
            <ul>
              {NAV[role].map((item) => (
                <li>
                  <a href={item.href} aria-current={item.href === props.path ? 'page' : undefined}>
                    {t(item.key)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="main" tabindex={-1}>
          <h1>{props.title}</h1>
          <p id="message" class="message ok" role="status" aria-live="polite"></p>
          <p id="error" class="message error" role="alert"></p>
          {props.children}
        </main>
        <footer>{t('footer')}</footer>
      </body>
    </html>
  );
}
