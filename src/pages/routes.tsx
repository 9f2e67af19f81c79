/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../http/context.js';
import { pickLang, stringsFor, type TextKey } from './i18n.js';
import { Layout, type PageRole } from './layout.js';
import type { T } from './page.js';
import { STYLES } from './styles.js';
import { isPageScript, type PageScriptName, type PageScripts } from './page-scripts.js';
import { signIn } from './sign-in-page.js';
import { workerCards, workerHome, workerReport, workerStatement } from './worker-pages.js';
import { workerCertificates, workerCheckIn, workerClaims, workerReceipts, workerRecognition, workerRewards } from './worker-day-pages.js';
import { merchantPickups, merchantRedemptions, merchantSettlement, merchantTill } from './merchant-pages.js';
import { organizerAttendance, organizerBudget, organizerClaim, organizerClaims, organizerEvent, organizerEvents, organizerMembers } from './organizer-pages.js';
import { auditorOverview } from './auditor-page.js';
import { auditorSearch } from './auditor-search-page.js';
import { adminActivities, adminCertificates, adminLedger, adminMembers, adminMerchants, adminOrgs } from './admin-pages.js';

interface Page {
  title: TextKey;
  role?: PageRole;
  script: PageScriptName;
  body: (t: T) => Child;
}

const PAGES: Record<string, Page> = {
  '/app/sign-in': { title: 'title_sign_in', script: 'sign-in', body: signIn },
  '/app/worker': { title: 'title_worker_home', role: 'worker', script: 'worker', body: workerHome },
  '/app/worker/statement': { title: 'title_worker_statement', role: 'worker', script: 'worker', body: workerStatement },
  '/app/worker/cards': { title: 'title_worker_cards', role: 'worker', script: 'worker', body: workerCards },
  '/app/worker/rewards': { title: 'worker_title_rewards', role: 'worker', script: 'worker', body: workerRewards },
  '/app/worker/receipts': { title: 'worker_title_receipts', role: 'worker', script: 'worker', body: workerReceipts },
  '/app/worker/report': { title: 'title_worker_report', role: 'worker', script: 'worker', body: workerReport },
  '/app/worker/claims': { title: 'worker_title_claims', role: 'worker', script: 'worker', body: workerClaims },
  '/app/worker/recognition': { title: 'worker_title_recognition', role: 'worker', script: 'worker', body: workerRecognition },
  '/app/worker/check-in': { title: 'worker_title_check_in', role: 'worker', script: 'worker', body: workerCheckIn },
  '/app/worker/certificates': { title: 'worker_title_certificates', role: 'worker', script: 'worker', body: workerCertificates },
  '/app/merchant': { title: 'title_merchant_till', role: 'merchant', script: 'merchant', body: merchantTill },
  '/app/merchant/redemptions': { title: 'merchant_title_redemptions', role: 'merchant', script: 'merchant', body: merchantRedemptions },
  '/app/merchant/pickups': { title: 'merchant_title_pickups', role: 'merchant', script: 'merchant', body: merchantPickups },
  '/app/merchant/settlement': { title: 'title_merchant_settlement', role: 'merchant', script: 'merchant', body: merchantSettlement },
  '/app/organizer': { title: 'title_organizer_claims', role: 'organizer', script: 'organizer', body: organizerClaims },
  '/app/organizer/event': { title: 'title_organizer_event', role: 'organizer', script: 'organizer', body: organizerEvent },
  '/app/organizer/budget': { title: 'title_organizer_budget', role: 'organizer', script: 'organizer', body: organizerBudget },
  '/app/organizer/members': { title: 'organizer_title_members', role: 'organizer', script: 'organizer', body: organizerMembers },
  '/app/organizer/claim': { title: 'organizer_title_claim', role: 'organizer', script: 'organizer', body: organizerClaim },
  '/app/organizer/events': { title: 'organizer_title_events', role: 'organizer', script: 'organizer', body: organizerEvents },
  '/app/organizer/attendance': { title: 'organizer_title_attendance', role: 'organizer', script: 'organizer', body: organizerAttendance },
  '/app/auditor': { title: 'title_auditor', role: 'auditor', script: 'auditor', body: auditorOverview },
  '/app/auditor/search': { title: 'auditor_title_search', role: 'auditor', script: 'auditor', body: auditorSearch },
  '/app/admin': { title: 'title_admin_orgs', role: 'admin', script: 'admin', body: adminOrgs },
  '/app/admin/activities': { title: 'title_admin_activities', role: 'admin', script: 'admin', body: adminActivities },
  '/app/admin/merchants': { title: 'title_admin_merchants', role: 'admin', script: 'admin', body: adminMerchants },
  '/app/admin/members': { title: 'title_admin_members', role: 'admin', script: 'admin', body: adminMembers },
  '/app/admin/ledger': { title: 'title_admin_ledger', role: 'admin', script: 'admin', body: adminLedger },
  '/app/admin/certificates': { title: 'certificate_register_title', role: 'admin', script: 'admin', body: adminCertificates },
};

/** Every page's path (the screenshot script and the tests walk them). */
export const PAGE_PATHS = Object.keys(PAGES);

// Scripts only from this origin, no inline script or style, no framing, and
// API calls only to this origin. The QR code is a data: image; a claim's photo, fetched with the token, a blob: one.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "media-src 'self' blob: mediastream:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'permissions-policy': 'camera=(self), microphone=(), geolocation=()',
  'cache-control': 'no-cache',
};

/**
 * The web pages under `/app`: HTML rendered here (Hono JSX), data fetched by
 * small scripts from the `/v1` API with the bearer token kept in the browser.
 * Nothing here reads the database or needs a runtime of its own, so the same
 * pages are served by Node and by the Worker; each passes the bundled
 * scripts in (`scripts`), read its own way. Without them the scripts 404.
 */
export function pageRoutes(scripts?: PageScripts) {
  const app = new Hono<AppEnv>();
  app.get('/app', (c) => c.redirect('/app/sign-in', 302));
  app.get('/app/assets/app.css', (c) => c.body(STYLES, 200, { 'content-type': 'text/css; charset=utf-8', ...SECURITY_HEADERS }));
  app.get('/app/assets/:name{[a-z-]+\\.js}', async (c) => {
    const name = c.req.param('name').slice(0, -3);
    if (!scripts || !isPageScript(name)) return c.notFound();
    return c.body(await scripts[name](), 200, { 'content-type': 'text/javascript; charset=utf-8', ...SECURITY_HEADERS });
  });
  for (const [path, page] of Object.entries(PAGES)) {
    app.get(path, (c) => {
      const { lang, strings, t } = stringsFor(pickLang(c));
      const body = (
        <Layout lang={lang} strings={strings} t={t} title={t(page.title)} path={path} script={page.script} {...(page.role ? { role: page.role } : {})}>
          {page.body(t)}
        </Layout>
      );
      return c.html(html`<!doctype html>${body}`, 200, SECURITY_HEADERS);
    });
  }
  return app;
}
