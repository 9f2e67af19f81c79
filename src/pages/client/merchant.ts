/**
 * The merchant's pages: the till (a worker's code scanned with the camera
 * where the browser has BarcodeDetector, or typed; reward and quantity;
 * the receipt; a discount card's use), its redemptions and pickups
 * (merchant-lists.ts) and the settlement statement.
 */
import type { components } from './contract.js';
import { answered, api, ok } from './api.js';
import { busy, byId, el, fail, fill, has, pairs, say } from './dom.js';
import { date, hm, hundredths, points, time } from './format.js';
import { guard } from './guard.js';
import { catalog } from './merchant-catalog.js';
import { pickupsPage, redemptionsPage } from './merchant-lists.js';
import { t, text } from './page-text.js';
import { qrScanner } from './scanner.js';

type Reward = components['schemas']['Reward'];

const me = guard();
if (me) {
  const merchant = { params: { path: { id: me.merchant_id ?? '' } } };

  if (has('redeem-form')) {
    const reload = till();
    scanner();
    cardUse();
    shop();
    catalog(merchant, () => Promise.all([reload(), shop()]));
  }

  // The shop's name over the till, and the discount-card section only where it offers card rewards.
  function shop(): Promise<void> {
    return ok(api.GET('/v1/merchants', { params: { query: {} } }))
      .then((result) => {
        const mine = result.items.find((m) => m.id === me!.merchant_id);
        byId('shop-name').textContent = mine ? t('merchant_shop', { name: mine.name }) : '';
        if (mine) byId('shop-name').setAttribute('data-name', mine.name);
        byId('card-section').hidden = !(mine && mine.has_card_rewards);
      })
      .catch(fail);
  }
  if (has('settlement')) settlement();
  if (has('redemptions')) redemptionsPage(merchant);
  if (has('pickups')) pickupsPage(merchant);

  function till(): () => Promise<void> {
    const form = byId<HTMLFormElement>('redeem-form'), select = byId<HTMLSelectElement>('reward'), quantity = byId<HTMLInputElement>('quantity');
    const rewards: Record<string, Reward> = {};
    function cost(): void {
      const reward = rewards[select.value], n = parseInt(quantity.value, 10);
      byId('cost').textContent = reward && n > 0 ? t('cost', { n: points(hundredths(reward.price) * n) }) : '';
    }
    function load() {
      return ok(api.GET('/v1/merchants/{id}/rewards', merchant)).then((result) => {
        const chosen = select.value;
        select.textContent = '';
        result.items
          .filter((r) => r.active)
          .forEach((reward) => {
            rewards[reward.id] = reward;
            let label = t('reward_option', { name: reward.name, price: reward.price });
            if (reward.stock !== null) label += ' · ' + t('reward_stock', { n: reward.stock });
            select.appendChild(el('option', { value: reward.id, text: label }));
          });
        if (!select.options.length) say(text.no_rewards);
        if (rewards[chosen]) select.value = chosen;
        cost();
      });
    }
    select.addEventListener('change', cost);
    quantity.addEventListener('input', cost);
    load().catch(fail);

    // Refund the redemption on the receipt, with a reason; the refusal after the window is the catalogue's text.
    const refund = byId<HTMLFormElement>('refund-form');
    refund.addEventListener('submit', (event) => {
      event.preventDefault();
      const id = byId('receipt').getAttribute('data-redemption-id') ?? '', reasonInput = byId<HTMLInputElement>('refund-reason');
      const reason = reasonInput.value.trim();
      if (!id || reason.length < 3) {
        fail(text.err_validation_failed);
        reasonInput.focus();
        return;
      }
      busy(refund, ok(api.POST('/v1/redemptions/{id}/refund', { params: { path: { id } }, body: { reason }, headers: { 'idempotency-key': 'refund-' + id } })))
        .then(() => {
          say(text.merchant_refunded_ok);
          reasonInput.value = '';
          return load();
        })
        .catch(fail);
    });

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const codeInput = byId<HTMLInputElement>('code');
      const code = codeInput.value.trim().toUpperCase();
      if (!code) {
        fail(text.err_validation_failed);
        codeInput.focus();
        return;
      }
      const n = parseInt(quantity.value, 10) || 1;
      const reward = rewards[select.value];
      // The code works once, so code + reward + quantity names this redemption:
      // a retry after a lost answer replays it instead of redeeming twice.
      const key = 'till-' + code.replace(/[^A-Z0-9]/g, '') + '-' + select.value + '-' + n;
      const body = { redeem_code: code, reward_id: select.value, quantity: n };
      busy(form, answered(api.POST('/v1/redemptions', { body, headers: { 'idempotency-key': key } })))
        .then((answer) => {
          const result = answer.data, r = result.redemption;
          // A replay is the first answer again, not a new redemption: the goods
          // were handed over then. Say so, and show no receipt as if it were new.
          if (answer.response.headers.get('idempotent-replayed') === 'true') {
            byId('receipt').hidden = true;
            fail(t('already_redeemed', { time: hm(r.created_at), receipt: r.id }));
            codeInput.value = '';
            return;
          }
          pairs(byId('receipt-details'), [
            [text.receipt_reward, reward ? reward.name : r.reward_id],
            [text.receipt_quantity, r.quantity],
            [text.receipt_points, r.points],
            [text.receipt_time, time(r.created_at)],
            [text.receipt_number, r.id],
            [text.receipt_ledger, '#' + result.transaction.seq],
            [text.receipt_card, result.card ? result.card.code : null],
          ]);
          byId('receipt').hidden = false;
          byId('receipt').setAttribute('data-redemption-id', r.id);
          byId('receipt-heading').focus();
          say(text.redeemed_ok);
          codeInput.value = '';
          quantity.value = '1';
          return load();
        })
        .catch(fail);
    });
      return load;
  }

  // Camera scanning only where the browser can read QR codes itself.
  function scanner(): void {
    qrScanner({
      start: byId<HTMLButtonElement>('scan'),
      stop: byId<HTMLButtonElement>('scan-stop'),
      video: byId<HTMLVideoElement>('camera'),
      found(value) {
        byId<HTMLInputElement>('code').value = value;
        say(text.scan_found);
        byId('reward').focus();
      },
      denied() {
        fail(text.camera_denied);
        byId('code').focus();
      },
    });
  }

  function cardUse(): void {
    const form = byId<HTMLFormElement>('card-form');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const codeInput = byId<HTMLInputElement>('card-code'), billInput = byId<HTMLInputElement>('bill');
      const code = codeInput.value.trim().toUpperCase(), bill = billInput.value.trim();
      if (!code) {
        fail(text.err_validation_failed);
        codeInput.focus();
        return;
      }
      const body = bill ? { bill_cny: bill } : {};
      busy(form, ok(api.POST('/v1/cards/{code}/uses', { params: { path: { code } }, body })))
        .then((result) => {
          const out = byId('card-result');
          const card = result.card;
          pairs(out, [
            [text.card_code, card?.code],
            [text.receipt_reward, card?.name],
            [text.card_discount, result.discount_cny ? t('cny', { n: result.discount_cny }) : null],
            [text.card_left, card ? card.uses_left + ' / ' + card.uses : null],
          ]);
          out.hidden = false;
          say(text.card_used_ok);
          codeInput.value = '';
          billInput.value = '';
        })
        .catch(fail);
    });
  }

  function settlement(): void {
    const month = byId<HTMLInputElement>('month');
    const now = new Date();
    month.value = now.getFullYear() + '-' + ('0' + (now.getMonth() + 1)).slice(-2);
    function show(): void {
      const parts = month.value.split('-');
      const from = new Date(Number(parts[0]), Number(parts[1]) - 1, 1);
      let to = new Date(Number(parts[0]), Number(parts[1]), 1);
      if (isNaN(from.getTime())) return fail(text.err_validation_failed);
      if (to > new Date()) to = new Date();
      const query = { from: from.toISOString(), to: to.toISOString() };
      ok(api.GET('/v1/merchants/{id}/settlement', { params: { path: merchant.params.path, query } }))
        .then((s) => {
          pairs(byId('settlement'), [
            [text.s_period, date(s.from) + ' – ' + date(s.to)],
            [text.s_redemptions, t('count_points', { count: s.redemptions.count, points: s.redemptions.points })],
            [text.s_refunds, t('count_points', { count: s.refunds.count, points: s.refunds.points })],
            [text.s_net_points, s.net_points],
            [text.s_net_cny, t('cny', { n: s.net_cny })],
            [text.s_settled, t('count_points', { count: s.settled_in_period.count, points: s.settled_in_period.points })],
            [text.s_unsettled, s.unsettled_balance],
            [text.s_unsettled_cny, t('cny', { n: s.unsettled_cny })],
          ]);
          byId('settlement').setAttribute('data-net-points', s.net_points);
          fill(byId('by-reward'), s.redemptions.by_reward, (r) =>
            el('li', { class: 'line' }, [el('span', { text: r.name + ' × ' + r.quantity }), el('span', { class: 'amount', text: t('points', { n: r.points }) })]),
          );
        })
        .catch(fail);
    }
    byId('period-form').addEventListener('submit', (event) => {
      event.preventDefault();
      show();
    });
    show();
  }
}
