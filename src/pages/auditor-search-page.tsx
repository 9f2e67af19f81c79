/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { T } from './page.js';
import { Field } from './field.js';
import { TRANSACTION_KINDS } from '../ledger/kinds.js';


/**
 * The auditor's search: transactions by kind, actor, org, shop, member and
 * dates, each with its postings by name; and, opened by a link (?claim=,
 * ?redemption=, ?tx=), one claim or redemption with its transactions, or one
 * transaction. The script is client/auditor-search.ts.
 */
export const auditorSearch = (t: T) => (
  <>
    <section class="card" aria-labelledby="search-heading">
      <h2 id="search-heading">{t('auditor_search_heading')}</h2>
      <form id="audit-search" novalidate role="search">
        <Field id="search-kind" label={t('auditor_search_kind')}>
          <select id="search-kind">
            <option value="">{t('auditor_search_any_kind')}</option>
            {TRANSACTION_KINDS.map((kind) => (
              <option value={kind}>{t(`kind_${kind}`)}</option>
            ))}
          </select>
        </Field>
        <Field id="search-member-q" label={t('auditor_search_member')} hint={t('auditor_search_member_hint')}>
          <div class="row">
            <input id="search-member-q" type="search" maxlength={200} autocomplete="off" />
            <button type="button" class="secondary" id="search-member-find">
              {t('auditor_search_member_find')}
            </button>
          </div>
        </Field>
        <p class="note" id="search-member-chosen" aria-live="polite" hidden></p>
        <ul class="list" id="search-member-options" hidden></ul>
        <Field id="search-merchant" label={t('auditor_search_merchant')}>
          <select id="search-merchant">
            <option value="">{t('auditor_search_any_merchant')}</option>
          </select>
        </Field>
        <Field id="search-org" label={t('auditor_search_org')} hint={t('auditor_search_org_hint')}>
          <select id="search-org">
            <option value="">{t('auditor_search_any_org')}</option>
          </select>
        </Field>
        <Field id="search-actor" label={t('auditor_search_actor')} hint={t('auditor_search_actor_hint')}>
          <input id="search-actor" maxlength={300} autocomplete="off" />
        </Field>
        <Field id="search-from" label={t('auditor_search_from')}>
          <input id="search-from" type="date" />
        </Field>
        <Field id="search-to" label={t('auditor_search_to')}>
          <input id="search-to" type="date" />
        </Field>
        <div class="row">
          <button type="submit">{t('auditor_search_submit')}</button>
          <button type="reset" class="secondary" id="search-clear">
            {t('auditor_search_clear')}
          </button>
        </div>
      </form>
    </section>
    <section class="card" aria-labelledby="record-heading" id="record" hidden>
      <h2 id="record-heading"></h2>
      <dl class="pairs" id="record-facts"></dl>
      <h3>{t('auditor_record_transactions')}</h3>
      <ul class="list" id="record-transactions" aria-busy="true"></ul>
    </section>
    <section class="card" aria-labelledby="results-heading">
      <h2 id="results-heading">{t('auditor_results_heading')}</h2>
      <p class="note" id="results-count" aria-live="polite"></p>
      <ul class="list" id="results" aria-busy="true"></ul>
      <button type="button" class="secondary" id="results-more" hidden>
        {t('load_more')}
      </button>
    </section>
  </>
);
