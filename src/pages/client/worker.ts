/**
 * The worker's pages (/app/worker/...): balance and expiring points, the
 * redeem code as a QR code that is replaced before it expires, the
 * statement, discount cards, and grid reports with the claims' status.
 */
import type { components } from './contract.js';
import { answered, api, ok } from './api.js';
import { busy, byId, el, fail, fill, has, say } from './dom.js';
import { activityName, date, hm, hundredths, localInput, points, time } from './format.js';
import { guard } from './guard.js';
import { t, text } from './page-text.js';
import { workerClaims } from './worker-claims.js';
import { workerReceipts } from './worker-receipts.js';
import { workerRecognition } from './worker-recognition.js';
import { workerRewards } from './worker-rewards.js';
import { workerCheckIn } from './worker-check-in.js';
import { workerCertificates } from './worker-certificates.js';
import { uploadPhoto } from './evidence.js';

type ActivityType = components['schemas']['ActivityType'];
type ClaimInput = components['schemas']['ClaimInput'];
type Card = NonNullable<components['schemas']['Card']>;

const me = guard();
if (me) {
  const accountId = 'worker:' + me.member_id;
  const account = { params: { path: { id: accountId } } };

  if (has('balance')) {
    balance();
    hours();
    redeemCode();
  }
  if (has('entries')) statement();
  if (has('cards')) cards();
  if (has('report-form')) report();
  if (has('catalog')) workerRewards();
  if (has('receipts')) workerReceipts();
  if (has('claim-list')) workerClaims();
  if (has('opt-out')) workerRecognition();
  if (has('check-form')) workerCheckIn();
  if (has('certificate-form')) workerCertificates();

  function balance(): void {
    ok(api.GET('/v1/me'))
      .then((m) => {
        byId('available').textContent = m.balance.available;
        byId('held').textContent = m.balance.held;
        byId('member-id').textContent = m.member_no;
        if (m.display_name) {
          byId('greeting').textContent = t('worker_greeting', { name: m.display_name });
          byId('greeting').hidden = false;
        }
        byId('balance').setAttribute('aria-busy', 'false');
        return ok(api.GET('/v1/accounts/{id}/expiring', account));
      })
      .then((schedule) => {
        if (schedule.policy === 'never') {
          byId('expiring').textContent = '0.00';
          byId('expiring-note').textContent = t('expiring_never');
          return;
        }
        const soon = Date.now() + 30 * 86400000;
        const due = schedule.items.filter((i) => Date.parse(i.expires_at) <= soon);
        const total = due.reduce((sum, i) => sum + hundredths(i.amount), 0);
        byId('expiring').textContent = points(total);
        const first = due[0];
        byId('expiring-note').textContent = first ? t('expiring_next', { amount: first.amount, date: date(first.expires_at) }) : t('expiring_none');
      })
      .catch(fail);
  }

  // Service hours, kept apart from points: in all, this programme year, and the level they reach.
  function hours(): void {
    ok(api.GET('/v1/members/{id}/hours', { params: { path: { id: me!.member_id! } } }))
      .then((record) => {
        byId('hours-total').textContent = t('worker_hours_value', { n: record.total_hours });
        byId('hours-year').textContent = t('worker_hours_value', { n: record.this_year.hours });
        const { level, next_at_hours } = record.level;
        byId('hours-level').textContent = level ? t('worker_hours_level_stars', { n: String(level) }) : text.worker_hours_level_none;
        byId('hours-next').textContent =
          next_at_hours === null
            ? text.worker_hours_top
            : t('worker_hours_next', { n: points(next_at_hours * 100 - hundredths(record.total_hours)), level: String(level + 1) });
        byId('hours').setAttribute('aria-busy', 'false');
      })
      .catch(fail);
  }

  // A code lives a few minutes. It is replaced a little before it expires
  // (timed by the server's clock, so a phone whose clock is off still
  // refreshes in time), for half an hour at most, then the button again.
  function redeemCode(): void {
    const button = byId<HTMLButtonElement>('show-code'), img = byId<HTMLImageElement>('qr'), codeText = byId('code-text'), timer = byId('code-timer');
    const ceiling = byId<HTMLInputElement>('code-ceiling'), ceilingShown = byId('code-ceiling-shown'), spent = byId('code-spent');
    const MAX_REFRESHES = 6;
    let tick: ReturnType<typeof setInterval> | null = null, replaceAt = 0, refreshes = 0, polls = 0;
    let seen: Record<string, boolean> | null = null;
    const recent = () => ok(api.GET('/v1/me/redemptions', { params: { query: { limit: 10 } } }));

    // Redemptions already known when the code was shown; a new one by code means it was just spent.
    function remember() {
      return recent().then((result) => {
        seen = {};
        result.items.forEach((item) => (seen![item.id] = true));
      });
    }
    function watchSpending(): void {
      if (!seen || ++polls % 3) return;
      recent()
        .then((result) => {
          if (!seen) return;
          const known = seen;
          const fresh = result.items.filter((item) => item.by_code && !known[item.id])[0];
          if (!fresh) return;
          spent.textContent = t('code_spent', { shop: fresh.merchant_name, reward: fresh.reward_name, n: fresh.quantity, points: fresh.points, time: hm(fresh.created_at) });
          spent.setAttribute('data-redemption-id', fresh.id);
          stop();
          balance();
        })
        .catch(() => {
          /* the next poll tries again */
        });
    }

    function stop(): void {
      if (tick !== null) clearInterval(tick);
      tick = null;
      img.hidden = true;
      img.removeAttribute('src');
      codeText.textContent = '';
      ceilingShown.textContent = '';
      timer.textContent = '';
      button.hidden = false;
      seen = null;
    }
    function countdown(): void {
      watchSpending();
      const left = Math.round((replaceAt - Date.now()) / 1000);
      if (left > 0) {
        timer.textContent = t('code_refreshes', { s: left });
        return;
      }
      if (refreshes >= MAX_REFRESHES) return stop();
      refreshes++;
      issue();
    }
    function issue(): void {
      if (tick !== null) clearInterval(tick);
      timer.textContent = t('code_refreshing');
      const body = ceiling.value ? { max_points: ceiling.value } : undefined;
      remember()
        .then(() => answered(api.POST('/v1/me/redeem-codes', body ? { body } : {})))
        .then((answer) => {
          const code = answer.data;
          const serverNow = Date.parse(answer.response.headers.get('date') || '') || Date.now();
          const lifetime = Math.max(10000, Date.parse(code.expires_at) - serverNow);
          replaceAt = Date.now() + lifetime - Math.min(30000, lifetime / 5);
          img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(code.qr_svg);
          img.alt = t('code_alt', { code: code.code });
          img.hidden = false;
          codeText.textContent = code.code;
          codeText.setAttribute('data-expires-at', code.expires_at);
          ceilingShown.textContent = t('code_ceiling_shown', { n: code.max_points });
          button.textContent = t('new_code');
          tick = setInterval(countdown, 1000);
          countdown();
        })
        .catch((error: unknown) => {
          stop();
          fail(error);
        });
    }
    // A new ceiling applies to a new code: replace the one on screen at once.
    ceiling.addEventListener('change', () => {
      if (tick) {
        refreshes = 0;
        issue();
      }
    });
    button.addEventListener('click', () => {
      refreshes = 0;
      spent.textContent = '';
      fail('');
      issue();
    });
    // Back from another app: a code that expired meanwhile is replaced at once.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && tick && Date.now() >= replaceAt) countdown();
    });
  }

  // Memos written by people (an adjustment's reason) are shown; ones naming internal ids are not.
  function readable(memo: string | null | undefined): memo is string {
    return !!memo && !/[a-z]{3}_[0-9a-f]{12,}/.test(memo);
  }

  type Entry = components['schemas']['Entry'];
  // What a line is for, in the page's language: the activity and the day it happened, or the reward and the shop.
  function what(entry: Entry): string {
    const about = entry.about;
    if (about && about.activity) return activityName({ name: about.activity }) + (about.event_title ? ' · ' + about.event_title : '');
    if (about && about.reward_name) return t('entry_reward', { reward: about.reward_name, shop: about.merchant_name || '' });
    return readable(entry.memo) ? entry.memo : '';
  }
  function when(entry: Entry): string {
    const happened = entry.about && entry.about.occurred_at;
    return happened ? t('entry_happened', { date: date(happened), recorded: time(entry.created_at) }) : time(entry.created_at);
  }

  function statement(): void {
    const list = byId('entries'), more = byId('more');
    let cursor: string | null = null;
    list.textContent = '';
    function page(): void {
      const query = cursor ? { limit: 20, cursor } : { limit: 20 };
      ok(api.GET('/v1/accounts/{id}/entries', { params: { path: { id: accountId }, query } }))
        .then((result) => {
          if (!cursor && !result.items.length) list.appendChild(el('li', { class: 'note', text: text.nothing_yet }));
          result.items.forEach((entry) => {
            const amount = hundredths(entry.amount);
            list.appendChild(
              el('li', {}, [
                el('div', { class: 'line' }, [
                  el('span', { text: t('kind_' + entry.kind) }),
                  el('span', { class: 'amount ' + (amount < 0 ? 'minus' : 'plus'), text: (amount > 0 ? '+' : '') + entry.amount }),
                ]),
                ...(what(entry) ? [el('div', { class: 'entry-what', text: what(entry) })] : []),
                el('div', { class: 'note line' }, [
                  el('span', { text: when(entry) }),
                  el('span', { class: 'nowrap', text: t('balance_after', { n: entry.balance_after }) }),
                ]),
              ]),
            );
          });
          list.setAttribute('aria-busy', 'false');
          cursor = result.next_cursor;
          more.hidden = !cursor;
        })
        .catch(fail);
    }
    more.addEventListener('click', page);
    page();
  }

  function cards(): void {
    ok(api.GET('/v1/me/cards'))
      .then((result) => {
        // The schema's Card is nullable (a redemption may have none); a list of cards holds none.
        fill(byId('cards'), result.items.filter((card): card is Card => card !== null), (card) => {
          const off = card.percent_off ? t('card_percent_off', { n: card.percent_off }) : t('card_amount_off', { n: card.amount_off_cny });
          return el('li', {}, [
            el('div', { class: 'line' }, [el('strong', { text: card.name }), el('span', { class: 'badge', text: t('card_status_' + card.status) })]),
            el('p', { class: 'code', text: card.code }),
            el('p', { class: 'note', text: [off, t('card_uses_left', { left: card.uses_left, uses: card.uses }), t('card_valid_until', { date: date(card.expires_at) })].join(' · ') }),
          ]);
        });
      })
      .catch(fail);
  }

  function report(): void {
    const form = byId<HTMLFormElement>('report-form'), select = byId<HTMLSelectElement>('activity'), types: Record<string, ActivityType> = {};
    byId<HTMLInputElement>('occurred').value = localInput(new Date());
    ok(api.GET('/v1/activity-types'))
      .then((result) => {
        result.items.forEach((type) => (types[type.code] = type));
        const reports = result.items.filter((type) => type.unit === 'report');
        reports.forEach((type) => select.appendChild(el('option', { value: type.code, text: activityName(type) })));
        if (!reports.length) {
          say(text.no_report_types);
          form.hidden = true;
        }
        claims();
      })
      .catch(fail);

    function claims(): void {
      ok(api.GET('/v1/claims', { params: { query: { limit: 20 } } }))
        .then((result) => {
          fill(byId('my-claims'), result.items, (claim) => {
            const name = activityName(types[claim.activity_code]) || claim.activity_code;
            return el('li', { 'data-claim-id': claim.id, 'data-status': claim.status }, [
              el('div', { class: 'line' }, [el('span', { text: t('claim_line', { activity: name, points: claim.points }) }), el('span', { class: 'badge', text: t('status_' + claim.status) })]),
              el('p', { class: 'note', text: [time(claim.occurred_at), claim.report_ref, claim.points_credited ? t('claim_credited', { n: claim.points_credited }) : claim.reason].filter(Boolean).join(' · ') }),
            ]);
          });
        })
        .catch(fail);
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      let when = new Date(byId<HTMLInputElement>('occurred').value);
      if (isNaN(when.getTime())) when = new Date();
      const body: ClaimInput = { activity_code: select.value, occurred_at: when.toISOString() };
      const ref = byId<HTMLInputElement>('report-ref').value.trim(), evidence = byId<HTMLInputElement>('evidence').value.trim();
      if (ref) body.report_ref = ref;
      if (evidence) body.evidence_url = evidence;
      const photo = byId<HTMLInputElement>('photo');
      if (photo.files?.length) say(text.evidence_photo_uploading);
      // The photo first: the claim links the evidence it was stored as.
      const sent = uploadPhoto(photo).then((id) => ok(api.POST('/v1/claims', { body: id ? { ...body, evidence_id: id } : body })));
      busy(form, sent)
        .then(() => {
          photo.value = '';
          say(text.report_sent);
          byId<HTMLInputElement>('report-ref').value = '';
          byId<HTMLInputElement>('evidence').value = '';
          claims();
        })
        .catch(fail);
    });
  }
}
