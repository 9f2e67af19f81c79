/** @jsxImportSource hono/jsx */
import type { T } from './page.js';

/** Trial balance, verification, the latest signed checkpoint, exports and how to verify them offline, anomalies and the weekly chart. */
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
    <section class="card" aria-labelledby="export-heading">
      <h2 id="export-heading">{t('auditor_export_heading')}</h2>
      <p class="note">{t('auditor_export_help')}</p>
      <form id="export-form" novalidate>
        <label for="export-from">
          {t('auditor_export_from')}
          <span class="hint">{t('auditor_export_from_hint')}</span>
        </label>
        <input id="export-from" name="from_seq" type="number" inputmode="numeric" min={1} step={1} placeholder="1" />
        <label for="export-to">
          {t('auditor_export_to')}
          <span class="hint">{t('auditor_export_to_hint')}</span>
        </label>
        <input id="export-to" name="to_seq" type="number" inputmode="numeric" min={1} step={1} />
        <div class="row">
          <button type="button" id="export-csv" data-format="csv">
            {t('auditor_export_csv')}
          </button>
          <button type="button" class="secondary" id="export-ndjson" data-format="ndjson">
            {t('auditor_export_ndjson')}
          </button>
        </div>
      </form>
      <p id="export-result" aria-live="polite"></p>
    </section>
    <section class="card" aria-labelledby="offline-heading">
      <h2 id="offline-heading">{t('auditor_offline_heading')}</h2>
      <ol>
        <li>{t('auditor_offline_step_export')}</li>
        <li>
          {t('auditor_offline_step_files')}
          <div class="row">
            <button type="button" class="secondary" id="save-checkpoints">
              {t('auditor_offline_checkpoints')}
            </button>
            <button type="button" class="secondary" id="save-jwks">
              {t('auditor_offline_jwks')}
            </button>
          </div>
        </li>
        <li>
          {t('auditor_offline_step_run')}
          <p class="note">
            <code id="verify-command"></code>
          </p>
        </li>
      </ol>
      <p class="note">{t('auditor_offline_result')}</p>
      <p id="offline-result" aria-live="polite"></p>
    </section>
    <section class="card" aria-labelledby="anomalies-heading">
      <h2 id="anomalies-heading">{t('anomalies_heading')}</h2>
      <p class="note">{t('auditor_anomalies_help')}</p>
      <ul class="list" id="anomalies" aria-busy="true"></ul>
    </section>
  </>
);
