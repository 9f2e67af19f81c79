/** @jsxImportSource hono/jsx */
import type { T } from './page.js';

// Ceilings a worker may pick for a code (points); "the usual limit" is the programme's default.
const CEILING_CHOICES = ['50', '100', '200', '500', '1000'];

/** Balance (available, held, expiring soon) and the redeem code as a QR code. */
export const workerHome = (t: T) => (
  <>
    <section class="card" aria-labelledby="balance-heading">
      <h2 id="balance-heading">{t('balance_heading')}</h2>
      <dl class="figures" aria-busy="true" id="balance">
        <div>
          <dt>{t('available')}</dt>
          <dd class="big" id="available">—</dd>
        </div>
        <div>
          <dt>{t('held')}</dt>
          <dd id="held">—</dd>
        </div>
        <div>
          <dt>{t('expiring_soon')}</dt>
          <dd id="expiring">—</dd>
        </div>
      </dl>
      <p class="note" id="expiring-note"></p>
      <p id="greeting" hidden></p>
      <p class="note">
        {t('member_number')} <span id="member-id"></span>
      </p>
    </section>
    <section class="card" aria-labelledby="hours-heading">
      <h2 id="hours-heading">{t('worker_hours_heading')}</h2>
      <dl class="figures" aria-busy="true" id="hours">
        <div>
          <dt>{t('worker_hours_total')}</dt>
          <dd class="big" id="hours-total">—</dd>
        </div>
        <div>
          <dt>{t('worker_hours_year')}</dt>
          <dd id="hours-year">—</dd>
        </div>
        <div>
          <dt>{t('worker_hours_level')}</dt>
          <dd id="hours-level">—</dd>
        </div>
      </dl>
      <p class="note" id="hours-next"></p>
      <p class="note">{t('worker_hours_help')}</p>
    </section>
    <section class="card center" aria-labelledby="code-heading">
      <h2 id="code-heading">{t('code_heading')}</h2>
      <p class="note">{t('code_help')}</p>
      <div class="qr">
        <img id="qr" alt="" width="260" height="260" hidden />
      </div>
      <p class="code" id="code-text"></p>
      <p class="note" id="code-ceiling-shown"></p>
      <p class="note" id="code-timer"></p>
      <p aria-live="polite" id="code-spent"></p>
      <label for="code-ceiling">{t('code_ceiling')}</label>
      <select id="code-ceiling" name="max_points">
        <option value="">{t('code_ceiling_default')}</option>
        {CEILING_CHOICES.map((n) => (
          <option value={n}>{t('code_ceiling_option').replace('{n}', n)}</option>
        ))}
      </select>
      <button type="button" id="show-code">
        {t('show_code')}
      </button>
    </section>
  </>
);

/** The statement: entries, newest first, with the running balance. */
export const workerStatement = (t: T) => (
  <section class="card" aria-labelledby="entries-heading">
    <h2 id="entries-heading">{t('statement_heading')}</h2>
    <ol class="list" id="entries" aria-busy="true"></ol>
    <button type="button" class="secondary" id="more" hidden>
      {t('load_more')}
    </button>
  </section>
);

/** Discount cards the worker holds. */
export const workerCards = (t: T) => (
  <section class="card" aria-labelledby="cards-heading">
    <h2 id="cards-heading">{t('cards_heading')}</h2>
    <p class="note">{t('cards_help')}</p>
    <ul class="list" id="cards" aria-busy="true"></ul>
  </section>
);

/** A grid report with its evidence link, and the worker's claims with their status. */
export const workerReport = (t: T) => (
  <>
    <section class="card" aria-labelledby="report-heading">
      <h2 id="report-heading">{t('report_heading')}</h2>
      <form id="report-form" novalidate>
        <label for="activity">{t('report_activity')}</label>
        <select id="activity" name="activity" required></select>
        <label for="report-ref">
          {t('report_ref')}
          <span class="hint">{t('report_ref_hint')}</span>
        </label>
        <input id="report-ref" name="report_ref" maxlength={200} autocomplete="off" />
        <label for="evidence">
          {t('evidence_url')}
          <span class="hint">{t('evidence_url_hint')}</span>
        </label>
        <input id="evidence" name="evidence_url" type="url" inputmode="url" placeholder="https://" maxlength={2000} />
        <label for="photo">
          {t('evidence_photo')}
          <span class="hint">{t('evidence_photo_hint')}</span>
        </label>
        <input id="photo" name="photo" type="file" accept="image/*" capture="environment" />
        <label for="occurred">{t('occurred_at')}</label>
        <input id="occurred" name="occurred_at" type="datetime-local" required />
        <button type="submit">{t('submit_report')}</button>
      </form>
    </section>
    <section class="card" aria-labelledby="claims-heading">
      <h2 id="claims-heading">{t('my_claims_heading')}</h2>
      <ul class="list" id="my-claims" aria-busy="true"></ul>
    </section>
  </>
);
