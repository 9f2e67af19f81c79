/** @jsxImportSource hono/jsx */
import type { T } from './page.js';

/** The till: a worker's code (camera or typed), reward and quantity, the receipt; and a discount card's use. */
export const merchantTill = (t: T) => (
  <>
    <p class="note" id="shop-name" aria-live="polite"></p>
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
      <form id="refund-form" novalidate>
        <label for="refund-reason">
          {t('merchant_refund_reason')}
          <span class="hint">{t('merchant_refund_hint')}</span>
        </label>
        <input id="refund-reason" name="reason" required minlength={3} maxlength={500} autocomplete="off" />
        <button type="submit" class="secondary">
          {t('merchant_refund_submit')}
        </button>
      </form>
    </section>
    <section class="card" id="card-section" aria-labelledby="card-heading" hidden>
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
    {merchantCatalog(t)}
  </>
);

/** The shop's catalog: every reward (on sale or not), adding one, changing price or stock, taking one off sale. */
const merchantCatalog = (t: T) => (
  <>
    <section class="card" aria-labelledby="catalog-heading">
      <h2 id="catalog-heading">{t('merchant_catalog_heading')}</h2>
      <ul class="list" id="catalog" aria-busy="true"></ul>
    </section>
    <section class="card" aria-labelledby="add-heading">
      <h2 id="add-heading">{t('merchant_add_heading')}</h2>
      <form id="add-form" novalidate>
        <label for="add-kind">{t('merchant_kind')}</label>
        <select id="add-kind" name="kind">
          <option value="goods">{t('merchant_kind_goods')}</option>
          <option value="discount_card">{t('merchant_kind_card')}</option>
        </select>
        <label for="add-name">{t('merchant_name')}</label>
        <input id="add-name" name="name" required maxlength={200} autocomplete="off" />
        <label for="add-price">{t('merchant_price')}</label>
        <input id="add-price" name="price" required inputmode="decimal" maxlength={12} autocomplete="off" />
        <div id="goods-fields">
          <label for="add-stock">
            {t('merchant_stock')}
            <span class="hint">{t('merchant_stock_hint')}</span>
          </label>
          <input id="add-stock" name="stock" type="number" inputmode="numeric" min={0} />
          <label for="add-limit">
            {t('merchant_limit')}
            <span class="hint">{t('merchant_limit_hint')}</span>
          </label>
          <input id="add-limit" name="per_member_limit" type="number" inputmode="numeric" min={1} />
        </div>
        <div id="card-fields" hidden>
          <label for="add-percent">
            {t('merchant_card_percent')}
            <span class="hint">{t('merchant_card_percent_hint')}</span>
          </label>
          <input id="add-percent" name="percent_off" inputmode="decimal" maxlength={6} autocomplete="off" />
          <label for="add-amount">{t('merchant_card_amount')}</label>
          <input id="add-amount" name="amount_off_cny" inputmode="decimal" maxlength={12} autocomplete="off" />
          <label for="add-days">{t('merchant_card_days')}</label>
          <input id="add-days" name="valid_days" type="number" inputmode="numeric" min={1} max={3650} value="30" />
          <label for="add-uses">{t('merchant_card_uses')}</label>
          <input id="add-uses" name="uses" type="number" inputmode="numeric" min={1} max={1000} value="1" />
        </div>
        <button type="submit">{t('merchant_add_submit')}</button>
      </form>
    </section>
    <section class="card" aria-labelledby="change-heading">
      <h2 id="change-heading">{t('merchant_change_heading')}</h2>
      <form id="change-form" novalidate>
        <label for="change-reward">{t('merchant_change_reward')}</label>
        <select id="change-reward" name="reward_id" required></select>
        <label for="change-price">
          {t('merchant_new_price')}
          <span class="hint">{t('merchant_unchanged_hint')}</span>
        </label>
        <input id="change-price" name="price" inputmode="decimal" maxlength={12} autocomplete="off" />
        <label for="change-stock">
          {t('merchant_new_stock')}
          <span class="hint">{t('merchant_unchanged_hint')}</span>
        </label>
        <input id="change-stock" name="stock" type="number" inputmode="numeric" min={0} />
        <p class="note">{t('merchant_change_help')}</p>
        <div class="row">
          <button type="submit">{t('merchant_change_submit')}</button>
          <button type="button" class="secondary" id="take-off">
            {t('merchant_take_off')}
          </button>
        </div>
      </form>
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

/** The shop's redemptions, newest first: each with its receipt, and a refund while the window is open. */
export const merchantRedemptions = (t: T) => (
  <section class="card" aria-labelledby="redemptions-heading">
    <h2 id="redemptions-heading">{t('merchant_redemptions_heading')}</h2>
    <p class="note">{t('merchant_redemptions_help')}</p>
    <ul class="list" id="redemptions" aria-busy="true"></ul>
    <button type="button" class="secondary" id="redemptions-more" hidden>
      {t('load_more')}
    </button>
  </section>
);

/** Reservations waiting at the shop: hand one over, or cancel it. */
export const merchantPickups = (t: T) => (
  <section class="card" aria-labelledby="pickups-heading">
    <h2 id="pickups-heading">{t('merchant_pickups_heading')}</h2>
    <p class="note">{t('merchant_pickups_help')}</p>
    <ul class="list" id="pickups" aria-busy="true"></ul>
    <button type="button" class="secondary" id="pickups-more" hidden>
      {t('load_more')}
    </button>
  </section>
);
