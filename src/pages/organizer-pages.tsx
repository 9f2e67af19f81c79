/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { T } from './page.js';
import { Field } from './field.js';
import { PLATFORMS } from '../members/platforms.js';

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


/** Register a member, find one by name or number, one member's page with their claims (revoke) and a sign-in card. */
export const organizerMembers = (t: T) => (
  <>
    <section class="card no-print" aria-labelledby="find-heading">
      <h2 id="find-heading">{t('organizer_search_heading')}</h2>
      <form id="member-search" novalidate role="search">
        <Field id="member-q" label={t('organizer_search_q')} hint={t('organizer_search_hint')}>
          <input id="member-q" type="search" maxlength={200} autocomplete="off" />
        </Field>
        <button type="submit">{t('organizer_search_submit')}</button>
      </form>
      <p class="note" id="member-count" aria-live="polite"></p>
      <ul class="list" id="members"></ul>
    </section>
    <section class="card no-print" aria-labelledby="member-heading" id="member-detail" hidden>
      <h2 id="member-heading"></h2>
      <dl class="pairs" id="member-facts"></dl>
      <div class="row">
        <button type="button" id="member-card">
          {t('organizer_member_card')}
        </button>
        <a id="member-record" href="/app/organizer/claim">
          {t('organizer_member_record')}
        </a>
      </div>
      <p class="note">{t('organizer_member_card_help')}</p>
      <h3>{t('organizer_member_claims')}</h3>
      <ul class="list" id="member-claims"></ul>
    </section>
    <section id="card-sheet" class="sheet" aria-label={t('admin_cards_sheet')} hidden></section>
    <section class="card no-print" aria-labelledby="register-heading">
      <h2 id="register-heading">{t('organizer_register_heading')}</h2>
      <p class="note">{t('organizer_register_help')}</p>
      <form id="register-form" novalidate>
        <Field id="register-name" label={t('organizer_register_name')}>
          <input id="register-name" required maxlength={100} autocomplete="off" />
        </Field>
        <Field id="register-platform" label={t('organizer_register_platform')}>
          <select id="register-platform">
            <option value="">{t('platform_none')}</option>
            {PLATFORMS.map((p) => (
              <option value={p}>{t(`platform_${p}`)}</option>
            ))}
          </select>
        </Field>
        <Field id="register-org" label={t('organizer_register_org')}>
          <select id="register-org" required data-orgs="pick"></select>
        </Field>
        <Field id="register-ref" label={t('organizer_register_ref')} hint={t('optional')}>
          <input id="register-ref" maxlength={200} autocomplete="off" spellcheck={false} />
        </Field>
        <button type="submit">{t('organizer_register_submit')}</button>
      </form>
    </section>
  </>
);

/** One claim for one member, outside an event. */
export const organizerClaim = (t: T) => (
  <section class="card" aria-labelledby="claim-heading">
    <h2 id="claim-heading">{t('organizer_claim_heading')}</h2>
    <p class="note">{t('organizer_claim_help')}</p>
    <form id="claim-form" novalidate>
      <Field id="claim-member" label={t('organizer_claim_member')}>
        <input id="claim-member" required maxlength={200} autocomplete="off" inputmode="numeric" spellcheck={false} />
      </Field>
      <Field id="claim-activity" label={t('organizer_claim_activity')}>
        <select id="claim-activity" required></select>
      </Field>
      <Field id="claim-units" label={t('organizer_claim_units')} hint={t('organizer_claim_units_hint')}>
        <input id="claim-units" inputmode="decimal" maxlength={12} autocomplete="off" />
      </Field>
      <Field id="claim-when" label={t('organizer_claim_when')}>
        <input id="claim-when" type="datetime-local" required />
      </Field>
      <Field id="claim-evidence" label={t('organizer_claim_evidence')} hint={t('optional')}>
        <input id="claim-evidence" type="url" maxlength={2000} autocomplete="off" spellcheck={false} placeholder="https://" />
      </Field>
      <Field id="claim-photo" label={t('evidence_photo')} hint={t('evidence_photo_hint')}>
        <input id="claim-photo" type="file" accept="image/*" capture="environment" />
      </Field>
      <button type="submit">{t('organizer_claim_submit')}</button>
    </form>
  </section>
);

/** Past events of the subtree, each with its roster. */
export const organizerEvents = (t: T) => (
  <section class="card" aria-labelledby="events-heading">
    <h2 id="events-heading">{t('organizer_events_heading')}</h2>
    <p class="note">{t('organizer_events_help')}</p>
    <ul class="list" id="events" aria-busy="true"></ul>
    <button type="button" class="secondary" id="events-more" hidden>
      {t('load_more')}
    </button>
  </section>
);

/** Attendance at one event (?event=<id>): open it, the rotating code, the live list, corrections and confirmation. */
export const organizerAttendance = (t: T) => (
  <>
    <section class="card" id="attendance-pick" hidden>
      <p>{t('organizer_attendance_pick')}</p>
      <a href="/app/organizer/events">{t('organizer_attendance_pick_link')}</a>
    </section>
    <section class="card" aria-labelledby="attendance-title" id="attendance" aria-busy="true" hidden>
      <h2 id="attendance-title"></h2>
      <p class="note" id="attendance-facts"></p>
      <div id="attendance-closed" hidden>
        <p class="note">{t('organizer_attendance_closed_note')}</p>
        <button type="button" id="attendance-open">
          {t('organizer_attendance_open')}
        </button>
      </div>
    </section>
    <section class="card center" aria-labelledby="attendance-code-heading" id="attendance-code-card" hidden>
      <h2 id="attendance-code-heading">{t('organizer_attendance_code_heading')}</h2>
      <p class="note">{t('organizer_attendance_code_help')}</p>
      <div class="qr">
        <img id="qr" alt="" width="260" height="260" hidden />
      </div>
      <p class="code" id="attendance-code"></p>
      <p class="note" id="attendance-code-timer" aria-live="off"></p>
    </section>
    <section class="card" aria-labelledby="attendees-heading" id="attendees-card" hidden>
      <h2 id="attendees-heading">{t('organizer_attendance_list_heading')}</h2>
      <p class="note" id="attendees-count" aria-live="polite"></p>
      <ul class="list" id="attendees" aria-busy="true"></ul>
    </section>
    <section class="card" aria-labelledby="fix-heading" id="fix-card" hidden>
      <h2 id="fix-heading">{t('organizer_attendance_fix_heading')}</h2>
      <p class="note">{t('organizer_attendance_fix_help')}</p>
      <form id="fix-form" novalidate>
        <Field id="fix-member" label={t('organizer_attendance_fix_member')}>
          <input id="fix-member" required maxlength={200} autocomplete="off" inputmode="numeric" spellcheck={false} />
        </Field>
        <Field id="fix-hours" label={t('organizer_attendance_fix_hours')}>
          <input id="fix-hours" required inputmode="decimal" maxlength={12} autocomplete="off" />
        </Field>
        <Field id="fix-reason" label={t('organizer_attendance_fix_reason')}>
          <input id="fix-reason" required maxlength={500} autocomplete="off" />
        </Field>
        <button type="submit">{t('organizer_attendance_fix_submit')}</button>
      </form>
    </section>
    <section class="card" aria-labelledby="confirm-heading" id="confirm-card" hidden>
      <h2 id="confirm-heading">{t('organizer_attendance_confirm_heading')}</h2>
      <p class="note">{t('organizer_attendance_confirm_help')}</p>
      <p id="attendance-confirmed" aria-live="polite"></p>
      <button type="button" id="attendance-confirm">
        {t('organizer_attendance_confirm')}
      </button>
    </section>
  </>
);
