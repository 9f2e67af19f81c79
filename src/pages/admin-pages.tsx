/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { T } from './page.js';
import { Field } from './field.js';
import { ORG_KINDS } from '../orgs/kinds.js';
import { PLATFORMS } from '../members/platforms.js';

// The admin console. Auditors open the same pages read-only: every form is
// marked `data-admin-only`, and the page's script hides those for them.


const OrgSelect = (props: { id: string; label: string; t: T; any?: string }) => (
  <Field id={props.id} label={props.label}>
    <select id={props.id} required={!props.any} data-orgs={props.any ? 'any' : 'pick'}>
      {props.any ? <option value="">{props.any}</option> : null}
    </select>
  </Field>
);

/** The org tree with each org's budget; add an org; allocate budget; the allocations. */
export const adminOrgs = (t: T) => (
  <>
    <section class="card" aria-labelledby="tree-heading">
      <h2 id="tree-heading">{t('admin_tree_heading')}</h2>
      <p class="note">{t('admin_tree_help')}</p>
      <ul class="list tree" id="org-tree" aria-busy="true"></ul>
    </section>
    <section class="card" aria-labelledby="org-form-heading" data-admin-only>
      <h2 id="org-form-heading">{t('admin_org_add')}</h2>
      <form id="org-form" novalidate>
        <OrgSelect id="org-parent" label={t('admin_org_parent')} t={t} any={t('admin_org_top')} />
        <Field id="org-name" label={t('admin_org_name')}>
          <input id="org-name" required maxlength={200} autocomplete="off" />
        </Field>
        <Field id="org-kind" label={t('admin_org_kind')}>
          <select id="org-kind" required>
            {ORG_KINDS.map((kind) => (
              <option value={kind}>{t(`org_kind_${kind}`)}</option>
            ))}
          </select>
        </Field>
        <button type="submit">{t('admin_org_submit')}</button>
      </form>
    </section>
    <section class="card" aria-labelledby="alloc-heading" data-admin-only>
      <h2 id="alloc-heading">{t('admin_alloc_heading')}</h2>
      <p class="note">{t('admin_alloc_help')}</p>
      <form id="alloc-form" novalidate>
        <OrgSelect id="alloc-org" label={t('admin_alloc_org')} t={t} />
        <Field id="alloc-amount" label={t('admin_alloc_amount')} hint={t('points_hint')}>
          <input id="alloc-amount" required inputmode="decimal" autocomplete="off" />
        </Field>
        <Field id="alloc-memo" label={t('admin_alloc_memo')}>
          <input id="alloc-memo" maxlength={200} autocomplete="off" />
        </Field>
        <button type="submit">{t('admin_alloc_submit')}</button>
      </form>
    </section>
    <section class="card" aria-labelledby="allocs-heading">
      <h2 id="allocs-heading">{t('admin_allocs_heading')}</h2>
      <ul class="list" id="allocations" aria-busy="true"></ul>
    </section>
  </>
);

/** Activity types and their versions; campaigns. */
export const adminActivities = (t: T) => (
  <>
    <section class="card" aria-labelledby="types-heading">
      <h2 id="types-heading">{t('admin_types_heading')}</h2>
      <ul class="list" id="types" aria-busy="true"></ul>
    </section>
    <section class="card" aria-labelledby="type-form-heading" data-admin-only>
      <h2 id="type-form-heading">{t('admin_type_form')}</h2>
      <p class="note">{t('admin_type_help')}</p>
      <form id="type-form" novalidate>
        <Field id="type-code" label={t('admin_type_code')} hint={t('admin_type_code_hint')}>
          <input id="type-code" required maxlength={64} autocomplete="off" spellcheck={false} />
        </Field>
        <Field id="type-name-zh" label={t('admin_type_name_zh')}>
          <input id="type-name-zh" required maxlength={100} autocomplete="off" />
        </Field>
        <Field id="type-name-en" label={t('admin_type_name_en')}>
          <input id="type-name-en" required maxlength={100} autocomplete="off" lang="en" />
        </Field>
        <Field id="type-unit" label={t('admin_type_unit')}>
          <select id="type-unit">
            <option value="participation">{t('unit_participation')}</option>
            <option value="hour">{t('unit_hour')}</option>
            <option value="report">{t('unit_report')}</option>
          </select>
        </Field>
        <Field id="type-points" label={t('admin_type_points')} hint={t('points_hint')}>
          <input id="type-points" required inputmode="decimal" autocomplete="off" />
        </Field>
        <Field id="type-daily" label={t('admin_type_daily')} hint={t('optional')}>
          <input id="type-daily" inputmode="decimal" autocomplete="off" />
        </Field>
        <Field id="type-monthly" label={t('admin_type_monthly')} hint={t('optional')}>
          <input id="type-monthly" inputmode="decimal" autocomplete="off" />
        </Field>
        <Field id="type-threshold" label={t('admin_type_threshold')} hint={t('admin_type_threshold_hint')}>
          <input id="type-threshold" inputmode="decimal" autocomplete="off" />
        </Field>
        <label class="check">
          <input type="checkbox" id="type-evidence" /> {t('admin_type_evidence')}
        </label>
        <button type="submit">{t('admin_type_submit')}</button>
      </form>
    </section>
    <section class="card" aria-labelledby="campaigns-heading">
      <h2 id="campaigns-heading">{t('admin_campaigns_heading')}</h2>
      <ul class="list" id="campaigns" aria-busy="true"></ul>
      <form id="campaign-form" novalidate data-admin-only>
        <h3>{t('admin_campaign_add')}</h3>
        <Field id="campaign-name" label={t('admin_campaign_name')}>
          <input id="campaign-name" required maxlength={200} autocomplete="off" />
        </Field>
        <Field id="campaign-multiplier" label={t('admin_campaign_multiplier')} hint={t('admin_campaign_multiplier_hint')}>
          <input id="campaign-multiplier" required inputmode="decimal" autocomplete="off" />
        </Field>
        <Field id="campaign-starts" label={t('admin_campaign_starts')}>
          <input id="campaign-starts" type="datetime-local" required />
        </Field>
        <Field id="campaign-ends" label={t('admin_campaign_ends')}>
          <input id="campaign-ends" type="datetime-local" required />
        </Field>
        <Field id="campaign-activity" label={t('admin_campaign_activity')}>
          <select id="campaign-activity">
            <option value="">{t('admin_campaign_all_activities')}</option>
          </select>
        </Field>
        <OrgSelect id="campaign-org" label={t('admin_campaign_org')} t={t} any={t('admin_campaign_all_orgs')} />
        <button type="submit">{t('admin_campaign_submit')}</button>
      </form>
    </section>
  </>
);

/** Merchants: register; one merchant's catalog, settlement, and settling it. */
export const adminMerchants = (t: T) => (
  <>
    <section class="card" aria-labelledby="merchants-heading">
      <h2 id="merchants-heading">{t('admin_merchants_heading')}</h2>
      <ul class="list" id="merchants" aria-busy="true"></ul>
    </section>
    <section class="card" aria-labelledby="merchant-form-heading" data-admin-only>
      <h2 id="merchant-form-heading">{t('admin_merchant_add')}</h2>
      <form id="merchant-form" novalidate>
        <Field id="merchant-name" label={t('admin_merchant_name')}>
          <input id="merchant-name" required maxlength={200} autocomplete="off" />
        </Field>
        <OrgSelect id="merchant-org" label={t('admin_merchant_org')} t={t} />
        <button type="submit">{t('admin_merchant_submit')}</button>
      </form>
    </section>
    <section class="card" aria-labelledby="merchant-heading" id="merchant-detail" hidden>
      <h2 id="merchant-heading"></h2>
      <h3>{t('admin_catalog_heading')}</h3>
      <ul class="list" id="rewards"></ul>
      <form id="reward-form" novalidate data-admin-only>
        <h3>{t('admin_reward_add')}</h3>
        <Field id="reward-kind" label={t('admin_reward_kind')}>
          <select id="reward-kind">
            <option value="goods">{t('reward_kind_goods')}</option>
            <option value="discount_card">{t('reward_kind_discount_card')}</option>
          </select>
        </Field>
        <Field id="reward-name" label={t('admin_reward_name')}>
          <input id="reward-name" required maxlength={200} autocomplete="off" />
        </Field>
        <Field id="reward-price" label={t('admin_reward_price')} hint={t('points_hint')}>
          <input id="reward-price" required inputmode="decimal" autocomplete="off" />
        </Field>
        <Field id="reward-stock" label={t('admin_reward_stock')} hint={t('admin_reward_stock_hint')}>
          <input id="reward-stock" inputmode="numeric" autocomplete="off" />
        </Field>
        <Field id="reward-limit" label={t('admin_reward_limit')} hint={t('optional')}>
          <input id="reward-limit" inputmode="numeric" autocomplete="off" />
        </Field>
        <div id="card-fields" hidden>
          <Field id="card-percent" label={t('admin_card_percent')} hint={t('admin_card_either')}>
            <input id="card-percent" inputmode="decimal" autocomplete="off" />
          </Field>
          <Field id="card-amount" label={t('admin_card_amount')} hint={t('admin_card_either')}>
            <input id="card-amount" inputmode="decimal" autocomplete="off" />
          </Field>
          <Field id="card-days" label={t('admin_card_days')}>
            <input id="card-days" inputmode="numeric" autocomplete="off" />
          </Field>
          <Field id="card-uses" label={t('admin_card_uses')}>
            <input id="card-uses" inputmode="numeric" autocomplete="off" />
          </Field>
        </div>
        <button type="submit">{t('admin_reward_submit')}</button>
      </form>
      <h3>{t('admin_settlement_heading')}</h3>
      <dl class="pairs" id="settlement"></dl>
      <form id="settle-form" novalidate data-admin-only>
        <Field id="settle-points" label={t('admin_settle_points')} hint={t('admin_settle_points_hint')}>
          <input id="settle-points" inputmode="decimal" autocomplete="off" />
        </Field>
        <Field id="settle-reference" label={t('admin_settle_reference')} hint={t('optional')}>
          <input id="settle-reference" maxlength={200} autocomplete="off" />
        </Field>
        <button type="submit">{t('admin_settle_submit')}</button>
      </form>
    </section>
  </>
);

/** Members: search, one member (edit, deactivate, history), import a sheet, print sign-in cards. */
export const adminMembers = (t: T) => (
  <>
    <section class="card no-print" aria-labelledby="search-heading">
      <h2 id="search-heading">{t('admin_members_heading')}</h2>
      <form id="member-search" novalidate role="search">
        <Field id="member-q" label={t('admin_member_q')} hint={t('admin_member_q_hint')}>
          <input id="member-q" type="search" maxlength={200} autocomplete="off" />
        </Field>
        <OrgSelect id="member-org" label={t('admin_member_org')} t={t} any={t('admin_member_any_org')} />
        <Field id="member-status" label={t('admin_member_status')}>
          <select id="member-status">
            <option value="">{t('admin_member_any_status')}</option>
            <option value="active">{t('member_status_active')}</option>
            <option value="deactivated">{t('member_status_deactivated')}</option>
          </select>
        </Field>
        <button type="submit">{t('admin_member_search')}</button>
      </form>
      <p class="note" id="member-count" aria-live="polite"></p>
      <ul class="list" id="members"></ul>
      <div class="row">
        <button type="button" class="secondary" id="members-more" hidden>
          {t('load_more')}
        </button>
        <button type="button" id="print-cards" data-admin-only disabled>
          {t('admin_cards_print')}
        </button>
      </div>
      <p class="note" data-admin-only>
        {t('admin_cards_help')}
      </p>
    </section>
    <section class="card no-print" aria-labelledby="member-heading" id="member-detail" hidden>
      <h2 id="member-heading"></h2>
      <dl class="pairs" id="member-facts"></dl>
      <form id="member-edit" novalidate data-admin-only>
        <h3>{t('admin_member_edit')}</h3>
        <Field id="edit-name" label={t('admin_member_name')}>
          <input id="edit-name" maxlength={100} autocomplete="off" />
        </Field>
        <Field id="edit-platform" label={t('admin_member_platform')}>
          <select id="edit-platform">
            <option value="">{t('platform_none')}</option>
            {PLATFORMS.map((p) => (
              <option value={p}>{t(`platform_${p}`)}</option>
            ))}
          </select>
        </Field>
        <OrgSelect id="edit-org" label={t('admin_member_home')} t={t} />
        <Field id="edit-ref" label={t('admin_member_ref')} hint={t('optional')}>
          <input id="edit-ref" maxlength={200} autocomplete="off" spellcheck={false} />
        </Field>
        <Field id="edit-reason" label={t('admin_member_reason')} hint={t('admin_member_reason_hint')}>
          <input id="edit-reason" maxlength={500} autocomplete="off" />
        </Field>
        <div class="row">
          <button type="submit">{t('admin_member_save')}</button>
          <button type="button" class="secondary" id="member-toggle"></button>
        </div>
      </form>
      <h3>{t('admin_member_changes')}</h3>
      <ul class="list" id="member-changes"></ul>
    </section>
    <section class="card no-print" aria-labelledby="import-heading" data-admin-only>
      <h2 id="import-heading">{t('admin_import_heading')}</h2>
      <p class="note">{t('admin_import_help')}</p>
      <form id="import-form" novalidate>
        <Field id="import-file" label={t('admin_import_file')}>
          <input id="import-file" type="file" accept=".csv,text/csv" required />
        </Field>
        <fieldset>
          <legend>{t('admin_import_mode')}</legend>
          <label class="check">
            <input type="radio" name="import-mode" id="import-atomic" value="atomic" checked /> {t('admin_import_atomic')}
          </label>
          <label class="check">
            <input type="radio" name="import-mode" id="import-rest" value="rest" /> {t('admin_import_rest')}
          </label>
        </fieldset>
        <button type="submit">{t('admin_import_check')}</button>
      </form>
      <div id="import-report" hidden>
        <dl class="pairs" id="import-figures"></dl>
        <ul class="list" id="import-refused"></ul>
        <button type="button" id="import-commit">
          {t('admin_import_commit')}
        </button>
      </div>
    </section>
    <section id="card-sheet" class="sheet" aria-label={t('admin_cards_sheet')} hidden></section>
  </>
);

/** Corrections (an adjustment, or a reversal) and checkpoints. */
export const adminLedger = (t: T) => (
  <>
    <section class="card" aria-labelledby="adjust-heading" data-admin-only>
      <h2 id="adjust-heading">{t('admin_adjust_heading')}</h2>
      <p class="note">{t('admin_adjust_help')}</p>
      <form id="adjust-form" novalidate>
        <Field id="adjust-member" label={t('admin_adjust_member')} hint={t('admin_adjust_member_hint')}>
          <input id="adjust-member" required inputmode="numeric" autocomplete="off" />
        </Field>
        <OrgSelect id="adjust-org" label={t('admin_adjust_org')} t={t} />
        <Field id="adjust-amount" label={t('admin_adjust_amount')} hint={t('admin_adjust_amount_hint')}>
          <input id="adjust-amount" required inputmode="decimal" autocomplete="off" />
        </Field>
        <Field id="adjust-reason" label={t('admin_reason')} hint={t('admin_reason_hint')}>
          <input id="adjust-reason" required maxlength={500} autocomplete="off" />
        </Field>
        <button type="submit">{t('admin_adjust_submit')}</button>
      </form>
    </section>
    <section class="card" aria-labelledby="reverse-heading" data-admin-only>
      <h2 id="reverse-heading">{t('admin_reverse_heading')}</h2>
      <p class="note">{t('admin_reverse_help')}</p>
      <form id="reverse-form" novalidate>
        <Field id="reverse-tx" label={t('admin_reverse_tx')}>
          <select id="reverse-tx" required></select>
        </Field>
        <Field id="reverse-reason" label={t('admin_reason')} hint={t('admin_reason_hint')}>
          <input id="reverse-reason" required maxlength={500} autocomplete="off" />
        </Field>
        <button type="submit">{t('admin_reverse_submit')}</button>
      </form>
    </section>
    <section class="card" aria-labelledby="checkpoints-heading">
      <h2 id="checkpoints-heading">{t('admin_checkpoints_heading')}</h2>
      <p class="note">{t('admin_checkpoints_help')}</p>
      <ul class="list" id="checkpoints" aria-busy="true"></ul>
      <button type="button" id="checkpoint-new" data-admin-only>
        {t('admin_checkpoint_new')}
      </button>
    </section>
  </>
);

/** The register of service-record certificates: by org, newest first, each with its check; admins revoke one with a reason. */
export const adminCertificates = (t: T) => (
  <section class="card" aria-labelledby="register-heading">
    <h2 id="register-heading">{t('certificate_register_heading')}</h2>
    <p class="note">{t('certificate_register_help')}</p>
    <form id="register-filter" novalidate>
      <OrgSelect id="register-org" label={t('certificate_register_org')} t={t} any={t('admin_member_any_org')} />
      <button type="submit" class="secondary">
        {t('certificate_register_show')}
      </button>
    </form>
    <ul class="list" id="register" aria-busy="true"></ul>
    <button type="button" class="secondary" id="register-more" hidden>
      {t('load_more')}
    </button>
  </section>
);
