/**
 * The merchant's pages: the till (a worker's code scanned with the camera
 * where the browser has BarcodeDetector, or typed; reward and quantity;
 * the receipt; a discount card's use) and the settlement statement.
 */
export const MERCHANT_JS = String.raw`(function () {
  'use strict';
  var J = window.Jifen, t = J.t, byId = J.byId, el = J.el;
  var me = J.guard();
  if (!me) return;
  var merchantPath = '/v1/merchants/' + encodeURIComponent(me.merchant_id);

  if (byId('redeem-form')) { till(); scanner(); cardUse(); }
  if (byId('settlement')) settlement();

  function till() {
    var form = byId('redeem-form'), select = byId('reward'), quantity = byId('quantity'), rewards = {};
    function cost() {
      var reward = rewards[select.value], n = parseInt(quantity.value, 10);
      byId('cost').textContent = reward && n > 0 ? t('cost', { n: J.points(J.hundredths(reward.price) * n) }) : '';
    }
    function load() {
      return J.api('GET', merchantPath + '/rewards').then(function (result) {
        var chosen = select.value;
        select.textContent = '';
        result.items.filter(function (r) { return r.active; }).forEach(function (reward) {
          rewards[reward.id] = reward;
          var label = t('reward_option', { name: reward.name, price: reward.price });
          if (reward.stock !== null) label += ' · ' + t('reward_stock', { n: reward.stock });
          select.appendChild(el('option', { value: reward.id, text: label }));
        });
        if (!select.options.length) J.say(J.text.no_rewards);
        if (rewards[chosen]) select.value = chosen;
        cost();
      });
    }
    select.addEventListener('change', cost);
    quantity.addEventListener('input', cost);
    load().catch(J.fail);

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var code = byId('code').value.trim().toUpperCase();
      if (!code) { J.fail(J.text.err_validation_failed); byId('code').focus(); return; }
      var n = parseInt(quantity.value, 10) || 1;
      var reward = rewards[select.value];
      // The code works once, so code + reward + quantity names this redemption:
      // a retry after a lost answer replays it instead of redeeming twice.
      var key = 'till-' + code.replace(/[^A-Z0-9]/g, '') + '-' + select.value + '-' + n;
      J.busy(form, J.api('POST', '/v1/redemptions', { redeem_code: code, reward_id: select.value, quantity: n }, { key: key, withResponse: true })).then(function (answer) {
        var result = answer.data, r = result.redemption;
        // A replay is the first answer again, not a new redemption: the goods
        // were handed over then. Say so, and show no receipt as if it were new.
        if (answer.response.headers.get('idempotent-replayed') === 'true') {
          byId('receipt').hidden = true;
          J.fail(t('already_redeemed', { time: J.hm(r.created_at), receipt: r.id }));
          byId('code').value = '';
          return;
        }
        J.pairs(byId('receipt-details'), [
          [J.text.receipt_reward, reward ? reward.name : r.reward_id],
          [J.text.receipt_quantity, r.quantity],
          [J.text.receipt_points, r.points],
          [J.text.receipt_time, J.time(r.created_at)],
          [J.text.receipt_number, r.id],
          [J.text.receipt_ledger, '#' + result.transaction.seq],
          [J.text.receipt_card, result.card ? result.card.code : null]
        ]);
        byId('receipt').hidden = false;
        byId('receipt').setAttribute('data-redemption-id', r.id);
        byId('receipt-heading').focus();
        J.say(J.text.redeemed_ok);
        byId('code').value = '';
        quantity.value = '1';
        return load();
      }).catch(J.fail);
    });
  }

  // Camera scanning only where the browser can read QR codes itself.
  function scanner() {
    if (!('BarcodeDetector' in window) || !navigator.mediaDevices) return;
    var start = byId('scan'), stopButton = byId('scan-stop'), video = byId('camera'), stream = null, timer = null;
    window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf('qr_code') >= 0) start.hidden = false;
    }).catch(function () { /* no scanning: typing still works */ });
    function stop() {
      clearInterval(timer);
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      video.hidden = true;
      stopButton.hidden = true;
      start.hidden = false;
    }
    start.addEventListener('click', function () {
      var detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        start.hidden = true;
        stopButton.hidden = false;
        return video.play();
      }).then(function () {
        timer = setInterval(function () {
          detector.detect(video).then(function (found) {
            if (!found.length) return;
            byId('code').value = found[0].rawValue;
            stop();
            J.say(J.text.scan_found);
            byId('reward').focus();
          }).catch(function () { /* try the next frame */ });
        }, 300);
      }).catch(function () {
        stop();
        J.fail(J.text.camera_denied);
        byId('code').focus();
      });
    });
    stopButton.addEventListener('click', stop);
  }

  function cardUse() {
    var form = byId('card-form');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var code = byId('card-code').value.trim().toUpperCase(), bill = byId('bill').value.trim();
      if (!code) { J.fail(J.text.err_validation_failed); byId('card-code').focus(); return; }
      var body = bill ? { bill_cny: bill } : {};
      J.busy(form, J.api('POST', '/v1/cards/' + encodeURIComponent(code) + '/uses', body)).then(function (result) {
        var out = byId('card-result');
        J.pairs(out, [
          [J.text.card_code, result.card.code],
          [J.text.receipt_reward, result.card.name],
          [J.text.card_discount, result.discount_cny ? t('cny', { n: result.discount_cny }) : null],
          [J.text.card_left, result.card.uses_left + ' / ' + result.card.uses]
        ]);
        out.hidden = false;
        J.say(J.text.card_used_ok);
        byId('card-code').value = '';
        byId('bill').value = '';
      }).catch(J.fail);
    });
  }

  function settlement() {
    var month = byId('month');
    var now = new Date();
    month.value = now.getFullYear() + '-' + ('0' + (now.getMonth() + 1)).slice(-2);
    function show() {
      var parts = month.value.split('-');
      var from = new Date(Number(parts[0]), Number(parts[1]) - 1, 1);
      var to = new Date(Number(parts[0]), Number(parts[1]), 1);
      if (isNaN(from.getTime())) return J.fail(J.text.err_validation_failed);
      if (to > new Date()) to = new Date();
      var query = '?from=' + encodeURIComponent(from.toISOString()) + '&to=' + encodeURIComponent(to.toISOString());
      J.api('GET', merchantPath + '/settlement' + query).then(function (s) {
        J.pairs(byId('settlement'), [
          [J.text.s_period, J.date(s.from) + ' – ' + J.date(s.to)],
          [J.text.s_redemptions, t('count_points', { count: s.redemptions.count, points: s.redemptions.points })],
          [J.text.s_refunds, t('count_points', { count: s.refunds.count, points: s.refunds.points })],
          [J.text.s_net_points, s.net_points],
          [J.text.s_net_cny, t('cny', { n: s.net_cny })],
          [J.text.s_settled, t('count_points', { count: s.settled_in_period.count, points: s.settled_in_period.points })],
          [J.text.s_unsettled, s.unsettled_balance],
          [J.text.s_unsettled_cny, t('cny', { n: s.unsettled_cny })]
        ]);
        byId('settlement').setAttribute('data-net-points', s.net_points);
        J.fill(byId('by-reward'), s.redemptions.by_reward, function (r) {
          return el('li', { class: 'line' }, [
            el('span', { text: r.name + ' × ' + r.quantity }),
            el('span', { class: 'amount', text: t('points', { n: r.points }) })
          ]);
        });
      }).catch(J.fail);
    }
    byId('period-form').addEventListener('submit', function (event) { event.preventDefault(); show(); });
    show();
  }
})();
`;
