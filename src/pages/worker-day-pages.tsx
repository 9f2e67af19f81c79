/** @jsxImportSource hono/jsx */
import type { T } from './page.js';

/** What the worker can get: the catalog by org or shop, what its balance allows, and its reservations. */
export const workerRewards = (t: T) => (
  <>
    <section class="card" aria-labelledby="rewards-heading">
      <h2 id="rewards-heading">{t('worker_rewards_heading')}</h2>
      <p class="note" id="rewards-balance" aria-live="polite"></p>
      <label for="rewards-filter">{t('worker_rewards_filter')}</label>
      <select id="rewards-filter" name="filter">
        <option value="">{t('worker_rewards_filter_all')}</option>
      </select>
      <div id="catalog" aria-busy="true"></div>
    </section>
    <section class="card" aria-labelledby="holds-heading">
      <h2 id="holds-heading">{t('worker_holds_heading')}</h2>
      <p class="note">{t('worker_holds_help')}</p>
      <ul class="list" id="holds" aria-busy="true"></ul>
    </section>
  </>
);

/** The worker's redemptions, each with its signed receipt, refund and the discount card it gave. */
export const workerReceipts = (t: T) => (
  <section class="card" aria-labelledby="receipts-heading">
    <h2 id="receipts-heading">{t('worker_receipts_heading')}</h2>
    <p class="note">{t('worker_receipts_help')}</p>
    <ul class="list" id="receipts" aria-busy="true"></ul>
  </section>
);

/** Every claim of the worker, with its status and, when rejected or revoked, the reason. */
export const workerClaims = (t: T) => (
  <section class="card" aria-labelledby="claim-list-heading">
    <h2 id="claim-list-heading">{t('worker_claims_heading')}</h2>
    <p class="note">{t('worker_claims_help')}</p>
    <ul class="list" id="claim-list" aria-busy="true"></ul>
    <button type="button" class="secondary" id="claims-more" hidden>
      {t('worker_claims_more')}
    </button>
  </section>
);

/** The leaderboards of the worker's org for the month and the year, and the switch to stay off them. */
export const workerRecognition = (t: T) => (
  <>
    <p class="note" id="board-org"></p>
    {(['month', 'year'] as const).map((period) => (
      <section class="card" aria-labelledby={`board-${period}-heading`}>
        <h2 id={`board-${period}-heading`}>{t(`worker_board_heading_${period}`)}</h2>
        <p class="note" id={`board-${period}-me`}></p>
        <ol class="list" id={`board-${period}`} aria-busy="true"></ol>
      </section>
    ))}
    <section class="card" aria-labelledby="opt-out-heading">
      <h2 id="opt-out-heading">{t('worker_opt_out_heading')}</h2>
      <p class="note">{t('worker_opt_out_help')}</p>
      <label class="check" for="opt-out">
        <input type="checkbox" id="opt-out" name="leaderboard_opt_out" disabled />
        {t('worker_opt_out')}
      </label>
    </section>
  </>
);

/** Check-in and check-out at an event: the code on the organizer's screen, scanned or typed. */
export const workerCheckIn = (t: T) => (
  <section class="card" aria-labelledby="check-heading">
    <h2 id="check-heading">{t('worker_check_heading')}</h2>
    <p class="note">{t('worker_check_help')}</p>
    <form id="check-form" novalidate>
      <label for="check-code">
        {t('worker_check_code')}
        <span class="hint">{t('worker_check_code_hint')}</span>
      </label>
      <input id="check-code" name="code" required autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={40} />
      <div class="row">
        <button type="button" class="secondary" id="scan" hidden>
          {t('scan_with_camera')}
        </button>
        <button type="button" class="secondary" id="scan-stop" hidden>
          {t('scan_stop')}
        </button>
      </div>
      <video id="camera" muted playsinline hidden aria-label={t('camera_label')}></video>
      <div class="row">
        <button type="submit" id="check-in" value="in">
          {t('worker_check_in')}
        </button>
        <button type="submit" id="check-out" value="out" class="secondary">
          {t('worker_check_out')}
        </button>
      </div>
    </form>
    <p id="check-result" aria-live="polite"></p>
  </section>
);

/** Asking for service-record certificates for a period, and the certificates issued, each to print. */
export const workerCertificates = (t: T) => (
  <>
    <section class="card" aria-labelledby="cert-heading">
      <h2 id="cert-heading">{t('worker_cert_heading')}</h2>
      <p class="note">{t('worker_cert_help')}</p>
      <form id="certificate-form" novalidate>
        <label for="cert-from">{t('worker_cert_from')}</label>
        <input id="cert-from" name="from" type="date" required />
        <label for="cert-to">{t('worker_cert_to')}</label>
        <input id="cert-to" name="to" type="date" required />
        <button type="submit">{t('worker_cert_submit')}</button>
      </form>
    </section>
    <section class="card" aria-labelledby="cert-list-heading">
      <h2 id="cert-list-heading">{t('worker_cert_list_heading')}</h2>
      <ul class="list" id="certificates" aria-busy="true"></ul>
    </section>
  </>
);
