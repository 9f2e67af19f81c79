/** @jsxImportSource hono/jsx */
import type { T } from './page.js';

/** Pending claims of the organizer's org, to approve or reject. */
export const organizerClaims = (t: T) => (
  <section class="card" aria-labelledby="queue-heading">
    <h2 id="queue-heading">{t('queue_heading')}</h2>
    <p class="note">{t('queue_help')}</p>
    <ul class="list" id="queue" aria-busy="true"></ul>
    <button type="button" class="secondary" id="refresh">
      {t('refresh')}
    </button>
  </section>
);

/** A new event and its roster, typed or pasted. */
export const organizerEvent = (t: T) => (
  <section class="card" aria-labelledby="event-heading">
    <h2 id="event-heading">{t('event_heading')}</h2>
    <form id="event-form" novalidate>
      <label for="org">{t('event_org')}</label>
      <select id="org" name="org_id" required></select>
      <label for="activity">{t('event_activity')}</label>
      <select id="activity" name="activity_code" required></select>
      <label for="title">{t('event_title')}</label>
      <input id="title" name="title" required maxlength={200} />
      <label for="starts">{t('event_starts')}</label>
      <input id="starts" name="starts_at" type="datetime-local" required />
      <label for="location">{t('event_location')}</label>
      <input id="location" name="location" maxlength={200} />
      <label for="roster">
        {t('roster')}
        <span class="hint">{t('roster_hint')}</span>
      </label>
      <textarea id="roster" name="roster" required spellcheck={false} autocomplete="off"></textarea>
      <p class="note" id="roster-count" aria-live="polite"></p>
      <button type="submit">{t('event_submit')}</button>
    </form>
    <dl class="pairs" id="event-result" hidden></dl>
  </section>
);

/** The org's budget and its pace. */
export const organizerBudget = (t: T) => (
  <section class="card" aria-labelledby="budget-heading">
    <h2 id="budget-heading">{t('budget_heading')}</h2>
    <p class="note" id="budget-org"></p>
    <label for="budget-meter">{t('budget_used')}</label>
    <meter id="budget-meter" min={0} max={1} value={0}></meter>
    <dl class="pairs" id="budget" aria-busy="true"></dl>
    <p class="note" id="pace"></p>
  </section>
);
