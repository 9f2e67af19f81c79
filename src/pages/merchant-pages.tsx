/** @jsxImportSource hono/jsx */
import type { T } from './page.js';

/** The till: a worker's code (camera or typed), reward and quantity, the receipt; and a discount card's use. */
export const merchantTill = (t: T) => (
  <>
    <section class="card" aria-labelledby="redeem-heading">
      <h2 id="redeem-heading">{t('redeem_heading')}</h2>
      <form id="redeem-form" novalidate>
        <label for="code">
          {t('redeem_code_input')}
          <span class="hint">{t('redeem_code_hint')}</span>
        </label>
        <input id="code" name="code" required autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={40} />
        <div class="row">
          <button type="button" class="secondary" id="scan" hidden>
            {t('scan_with_camera')}
          </button>
          <button type="button" class="secondary" id="scan-stop" hidden>
            {t('scan_stop')}
          </button>
        </div>
        <video id="camera" muted playsinline hidden aria-label={t('camera_label')}></video>
        <label for="reward">{t('reward')}</label>
        <select id="reward" name="reward" required></select>
        <label for="quantity">{t('quantity')}</label>
        <input id="quantity" name="quantity" type="number" inputmode="numeric" min={1} max={1000} value="1" required />
        <p class="note" id="cost" aria-live="polite"></p>
        <button type="submit">{t('redeem_submit')}</button>
      </form>
    </section>
    <section class="card" id="receipt" aria-labelledby="receipt-heading" hidden>
      <h2 id="receipt-heading" tabindex={-1}>
        {t('receipt_heading')}
      </h2>
      <dl class="pairs" id="receipt-details"></dl>
      <p class="note">{t('receipt_help')}</p>
    </section>
    <section class="card" aria-labelledby="card-heading">
      <h2 id="card-heading">{t('card_use_heading')}</h2>
      <form id="card-form" novalidate>
        <label for="card-code">{t('card_code')}</label>
        <input id="card-code" name="card_code" required autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={40} />
        <label for="bill">
          {t('bill_cny')}
          <span class="hint">{t('bill_cny_hint')}</span>
        </label>
        <input id="bill" name="bill_cny" inputmode="decimal" autocomplete="off" maxlength={12} />
        <button type="submit">{t('card_use_submit')}</button>
      </form>
      <dl class="pairs" id="card-result" hidden></dl>
    </section>
  </>
);

/** The settlement statement of a month. */
export const merchantSettlement = (t: T) => (
  <section class="card" aria-labelledby="settlement-heading">
    <h2 id="settlement-heading">{t('settlement_heading')}</h2>
    <form id="period-form" class="row">
      <label for="month">{t('settlement_month')}</label>
      <input id="month" name="month" type="month" required />
      <button type="submit" class="secondary">
        {t('show')}
      </button>
    </form>
    <dl class="pairs" id="settlement" aria-busy="true"></dl>
    <h3>{t('by_reward')}</h3>
    <ul class="list" id="by-reward"></ul>
  </section>
);
