/** @jsxImportSource hono/jsx */
import type { T } from './page.js';

/** Trial balance, verification, the latest signed checkpoint, anomalies and the weekly chart. */
export const auditorOverview = (t: T) => (
  <>
    <section class="card" aria-labelledby="search-link-heading">
      <h2 id="search-link-heading">{t('auditor_title_search')}</h2>
      <p class="note">{t('auditor_overview_search')}</p>
      <a href="/app/auditor/search" id="search-link">
        {t('auditor_overview_search_link')}
      </a>
    </section>
    <section class="card" aria-labelledby="chart-heading">
      <h2 id="chart-heading">{t('chart_heading')}</h2>
      <figure class="chart" id="chart" aria-busy="true">
        <figcaption class="note">{t('chart_help')}</figcaption>
      </figure>
      <ul class="legend" aria-hidden="true">
        <li><span class="swatch s-issued"></span>{t('issued')}</li>
        <li><span class="swatch s-redeemed"></span>{t('redeemed')}</li>
        <li><span class="swatch s-expired"></span>{t('expired')}</li>
      </ul>
      <details>
        <summary>{t('chart_table')}</summary>
        <table id="weekly-table">
          <thead>
            <tr>
              <th scope="col">{t('week_of')}</th>
              <th scope="col" class="num">{t('issued')}</th>
              <th scope="col" class="num">{t('redeemed')}</th>
              <th scope="col" class="num">{t('expired')}</th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
      </details>
    </section>
    <section class="card" aria-labelledby="tb-heading">
      <h2 id="tb-heading">{t('trial_balance_heading')}</h2>
      <p id="tb-verdict"></p>
      <table id="trial-balance">
        <thead>
          <tr>
            <th scope="col">{t('account_kind')}</th>
            <th scope="col" class="num">{t('accounts')}</th>
            <th scope="col" class="num">{t('posted')}</th>
          </tr>
        </thead>
        <tbody></tbody>
      </table>
    </section>
    <section class="card" aria-labelledby="verify-heading">
      <h2 id="verify-heading">{t('verify_heading')}</h2>
      <p id="verify-result" aria-live="polite"></p>
      <button type="button" class="secondary" id="verify-again">
        {t('verify_again')}
      </button>
    </section>
    <section class="card" aria-labelledby="checkpoint-heading">
      <h2 id="checkpoint-heading">{t('checkpoint_heading')}</h2>
      <dl class="pairs" id="checkpoint"></dl>
      <p class="note">{t('checkpoint_help')}</p>
    </section>
    <section class="card" aria-labelledby="anomalies-heading">
      <h2 id="anomalies-heading">{t('anomalies_heading')}</h2>
      <ul class="list" id="anomalies" aria-busy="true"></ul>
    </section>
  </>
);
