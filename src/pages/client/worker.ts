/**
 * The worker's pages (/app/worker/...): balance and expiring points, the
 * redeem code as a QR code that is replaced before it expires, the
 * statement, discount cards, and grid reports with the claims' status.
 */
export const WORKER_JS = String.raw`(function () {
  'use strict';
  var J = window.Jifen, t = J.t, byId = J.byId, el = J.el;
  var me = J.guard();
  if (!me) return;
  var account = 'worker:' + me.member_id;
  var accountPath = '/v1/accounts/' + encodeURIComponent(account);

  if (byId('balance')) { balance(); redeemCode(); }
  if (byId('entries')) statement();
  if (byId('cards')) cards();
  if (byId('report-form')) report();

  function balance() {
    J.api('GET', '/v1/me').then(function (m) {
      byId('available').textContent = m.balance.available;
      byId('held').textContent = m.balance.held;
      byId('member-id').textContent = m.id;
      byId('balance').setAttribute('aria-busy', 'false');
      return J.api('GET', accountPath + '/expiring');
    }).then(function (schedule) {
      if (schedule.policy === 'never') {
        byId('expiring').textContent = '0.00';
        byId('expiring-note').textContent = t('expiring_never');
        return;
      }
      var soon = Date.now() + 30 * 86400000;
      var due = schedule.items.filter(function (i) { return Date.parse(i.expires_at) <= soon; });
      var total = due.reduce(function (sum, i) { return sum + J.hundredths(i.amount); }, 0);
      byId('expiring').textContent = J.points(total);
      byId('expiring-note').textContent = due.length
        ? t('expiring_next', { amount: due[0].amount, date: J.date(due[0].expires_at) })
        : t('expiring_none');
    }).catch(J.fail);
  }

  // A code lives a few minutes. It is replaced a little before it expires
  // (timed by the server's clock, so a phone whose clock is off still
  // refreshes in time), for half an hour at most, then the button again.
  function redeemCode() {
    var button = byId('show-code'), img = byId('qr'), codeText = byId('code-text'), timer = byId('code-timer');
    var ceiling = byId('code-ceiling'), ceilingShown = byId('code-ceiling-shown'), spent = byId('code-spent');
    var tick = null, replaceAt = 0, refreshes = 0, MAX_REFRESHES = 6, seen = null, polls = 0;

    // Redemptions already known when the code was shown; a new one by code means it was just spent.
    function remember() {
      return J.api('GET', '/v1/me/redemptions?limit=10').then(function (result) {
        seen = {};
        result.items.forEach(function (item) { seen[item.id] = true; });
      });
    }
    function watchSpending() {
      if (!seen || ++polls % 3) return;
      J.api('GET', '/v1/me/redemptions?limit=10').then(function (result) {
        if (!seen) return;
        var fresh = result.items.filter(function (item) { return item.by_code && !seen[item.id]; })[0];
        if (!fresh) return;
        spent.textContent = t('code_spent', { shop: fresh.merchant_name, reward: fresh.reward_name, n: fresh.quantity, points: fresh.points, time: J.hm(fresh.created_at) });
        spent.setAttribute('data-redemption-id', fresh.id);
        stop();
        balance();
      }).catch(function () { /* the next poll tries again */ });
    }

    function stop() {
      clearInterval(tick);
      tick = null;
      img.hidden = true;
      img.removeAttribute('src');
      codeText.textContent = '';
      ceilingShown.textContent = '';
      timer.textContent = '';
      button.hidden = false;
      seen = null;
    }
    function countdown() {
      watchSpending();
      var left = Math.round((replaceAt - Date.now()) / 1000);
      if (left > 0) { timer.textContent = t('code_refreshes', { s: left }); return; }
      if (refreshes >= MAX_REFRESHES) return stop();
      refreshes++;
      issue();
    }
    function issue() {
      clearInterval(tick);
      timer.textContent = t('code_refreshing');
      var body = ceiling.value ? { max_points: ceiling.value } : undefined;
      remember().then(function () {
        return J.api('POST', '/v1/me/redeem-codes', body, { withResponse: true });
      }).then(function (answer) {
        var code = answer.data;
        var serverNow = Date.parse(answer.response.headers.get('date') || '') || Date.now();
        var lifetime = Math.max(10000, Date.parse(code.expires_at) - serverNow);
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
      }).catch(function (error) {
        stop();
        J.fail(error);
      });
    }
    // A new ceiling applies to a new code: replace the one on screen at once.
    ceiling.addEventListener('change', function () { if (tick) { refreshes = 0; issue(); } });
    button.addEventListener('click', function () {
      refreshes = 0;
      spent.textContent = '';
      J.fail('');
      issue();
    });
    // Back from another app: a code that expired meanwhile is replaced at once.
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible' && tick && Date.now() >= replaceAt) countdown();
    });
  }

  // Memos written for people ("event: 暴雨后清理路障") are shown; ones naming internal ids are not.
  function readable(memo) {
    return !!memo && !/[a-z]{3}_[0-9a-f]{12,}/.test(memo);
  }

  function statement() {
    var list = byId('entries'), more = byId('more'), cursor = null;
    list.textContent = '';
    function page() {
      var query = '?limit=20' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      J.api('GET', accountPath + '/entries' + query).then(function (result) {
        if (!cursor && !result.items.length) list.appendChild(el('li', { class: 'note', text: J.text.nothing_yet }));
        result.items.forEach(function (entry) {
          var amount = J.hundredths(entry.amount);
          list.appendChild(el('li', {}, [
            el('div', { class: 'line' }, [
              el('span', { text: t('kind_' + entry.kind) }),
              el('span', { class: 'amount ' + (amount < 0 ? 'minus' : 'plus'), text: (amount > 0 ? '+' : '') + entry.amount })
            ]),
            el('div', { class: 'note line' }, [
              el('span', { text: J.time(entry.created_at) + (readable(entry.memo) ? ' · ' + entry.memo : '') }),
              el('span', { class: 'nowrap', text: t('balance_after', { n: entry.balance_after }) })
            ])
          ]));
        });
        list.setAttribute('aria-busy', 'false');
        cursor = result.next_cursor;
        more.hidden = !cursor;
      }).catch(J.fail);
    }
    more.addEventListener('click', page);
    page();
  }

  function cards() {
    J.api('GET', '/v1/me/cards').then(function (result) {
      J.fill(byId('cards'), result.items, function (card) {
        var off = card.percent_off ? t('card_percent_off', { n: card.percent_off }) : t('card_amount_off', { n: card.amount_off_cny });
        return el('li', {}, [
          el('div', { class: 'line' }, [
            el('strong', { text: card.name }),
            el('span', { class: 'badge', text: t('card_status_' + card.status) })
          ]),
          el('p', { class: 'code', text: card.code }),
          el('p', { class: 'note', text: [off, t('card_uses_left', { left: card.uses_left, uses: card.uses }), t('card_valid_until', { date: J.date(card.expires_at) })].join(' · ') })
        ]);
      });
    }).catch(J.fail);
  }

  function report() {
    var form = byId('report-form'), select = byId('activity'), types = {};
    byId('occurred').value = J.localInput(new Date());
    J.api('GET', '/v1/activity-types').then(function (result) {
      result.items.forEach(function (type) { types[type.code] = type; });
      var reports = result.items.filter(function (type) { return type.unit === 'report'; });
      reports.forEach(function (type) { select.appendChild(el('option', { value: type.code, text: J.activityName(type) })); });
      if (!reports.length) { J.say(J.text.no_report_types); form.hidden = true; }
      claims();
    }).catch(J.fail);

    function claims() {
      J.api('GET', '/v1/claims?limit=20').then(function (result) {
        J.fill(byId('my-claims'), result.items, function (claim) {
          var name = J.activityName(types[claim.activity_code]) || claim.activity_code;
          return el('li', { 'data-claim-id': claim.id, 'data-status': claim.status }, [
            el('div', { class: 'line' }, [
              el('span', { text: t('claim_line', { activity: name, points: claim.points }) }),
              el('span', { class: 'badge', text: t('status_' + claim.status) })
            ]),
            el('p', { class: 'note', text: [J.time(claim.occurred_at), claim.report_ref, claim.points_credited ? t('claim_credited', { n: claim.points_credited }) : claim.reason].filter(Boolean).join(' · ') })
          ]);
        });
      }).catch(J.fail);
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var when = new Date(byId('occurred').value);
      if (isNaN(when.getTime())) when = new Date();
      var body = { activity_code: select.value, occurred_at: when.toISOString() };
      var ref = byId('report-ref').value.trim(), evidence = byId('evidence').value.trim();
      if (ref) body.report_ref = ref;
      if (evidence) body.evidence_url = evidence;
      J.busy(form, J.api('POST', '/v1/claims', body)).then(function () {
        J.say(J.text.report_sent);
        byId('report-ref').value = '';
        byId('evidence').value = '';
        claims();
      }).catch(J.fail);
    });
  }
})();
`;
