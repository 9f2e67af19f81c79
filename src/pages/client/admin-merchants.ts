/** The console's merchants page: register a merchant; its catalog, a new reward, its settlement and settling it. */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { busy, byId, el, fail, fill, pairs, say } from './dom.js';
import { date } from './format.js';
import { t, text } from './page-text.js';
import { badField, typedCount, typedPoints, value, type Org } from './admin-shared.js';

type Merchant = components['schemas']['MerchantListed'];
type RewardInput = components['schemas']['RewardInput'];

export function merchantsPage(orgsLoaded: Promise<Org[]>): void {
  const list = byId('merchants'), detail = byId('merchant-detail');
  let chosen: Merchant | null = null;

  function load(open?: string) {
    return ok(api.GET('/v1/merchants', { params: { query: { limit: 500 } } })).then((page) => {
      fill(list, page.items, (m) =>
        el('li', { 'data-merchant-id': m.id }, [
          el('div', { class: 'line' }, [
            el('strong', { text: m.name }),
            el('button', { type: 'button', class: 'secondary', 'aria-label': t('admin_merchant_open', { name: m.name }), 'data-action': 'open', text: text.show }),
          ]),
          el('p', { class: 'note', text: t('admin_merchant_line', { org: m.org_name, n: m.active_rewards }) }),
        ]),
      );
      const again = page.items.find((m) => m.id === (open ?? chosen?.id));
      if (again) show(again);
      list.onclick = (event) => {
        const target = event.target as Element;
        if (target.getAttribute('data-action') !== 'open') return;
        const id = target.closest('li')?.getAttribute('data-merchant-id');
        const m = page.items.find((x) => x.id === id);
        if (m) show(m, true);
      };
    });
  }

  function show(m: Merchant, focus = false) {
    chosen = m;
    detail.hidden = false;
    byId('merchant-heading').textContent = m.name;
    if (focus) byId('merchant-heading').scrollIntoView();
    const path = { params: { path: { id: m.id } } };
    ok(api.GET('/v1/merchants/{id}/rewards', path))
      .then((page) =>
        fill(byId('rewards'), page.items, (r) => {
          const stock = r.stock === null ? text.admin_reward_unlimited : t('admin_reward_in_stock', { n: r.stock });
          return el('li', { 'data-reward-id': r.id }, [
            el('div', { class: 'line' }, [el('strong', { text: r.name }), el('span', { class: 'badge', text: r.active ? t('reward_kind_' + r.kind) : text.admin_reward_off_sale })]),
            el('p', { class: 'note', text: t('admin_reward_line', { price: r.price, stock }) }),
          ]);
        }),
      )
      .catch(fail);
    ok(api.GET('/v1/merchants/{id}/settlement', path))
      .then((s) => {
        const dl = byId('settlement');
        pairs(dl, [
          [text.admin_s_redemptions, t('admin_s_count_points', { n: s.redemptions.count, points: s.redemptions.points })],
          [text.admin_s_refunds, t('admin_s_count_points', { n: s.refunds.count, points: s.refunds.points })],
          [text.admin_s_net, t('admin_s_points_cny', { points: s.net_points, cny: s.net_cny })],
          [text.admin_s_settled, t('admin_s_count_points', { n: s.settled_in_period.count, points: s.settled_in_period.points })],
          [text.admin_s_unsettled, t('admin_s_points_cny', { points: s.unsettled_balance, cny: s.unsettled_cny })],
        ]);
        dl.setAttribute('data-unsettled', s.unsettled_balance);
        dl.setAttribute('aria-label', `${date(s.from)} – ${date(s.to)}`);
      })
      .catch(fail);
  }

  orgsLoaded.then(() => load()).catch(fail);

  const merchantForm = byId<HTMLFormElement>('merchant-form');
  merchantForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = value('merchant-name');
    if (!name) return fail(badField('merchant-name'));
    busy(merchantForm, ok(api.POST('/v1/merchants', { body: { name, org_id: byId<HTMLSelectElement>('merchant-org').value } })))
      .then((m) => {
        say(t('admin_merchant_added', { name: m.name }));
        byId<HTMLInputElement>('merchant-name').value = '';
        return load(m.id);
      })
      .catch(fail);
  });

  const kind = byId<HTMLSelectElement>('reward-kind');
  kind.addEventListener('change', () => (byId('card-fields').hidden = kind.value !== 'discount_card'));
  const rewardForm = byId<HTMLFormElement>('reward-form');
  rewardForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!chosen) return;
    const name = value('reward-name');
    if (!name) return fail(badField('reward-name'));
    const price = typedPoints('reward-price');
    if (!price) return fail(badField('reward-price'));
    const body: RewardInput = { kind: kind.value as RewardInput['kind'], name, price };
    const stock = typedCount('reward-stock'), limit = typedCount('reward-limit');
    if (Number.isNaN(stock)) return fail(badField('reward-stock'));
    if (Number.isNaN(limit) || limit === 0) return fail(badField('reward-limit'));
    if (stock !== null) body.stock = stock;
    if (limit !== null) body.per_member_limit = limit;
    if (body.kind === 'discount_card') {
      const days = typedCount('card-days'), uses = typedCount('card-uses');
      if (!days) return fail(badField('card-days'));
      if (!uses) return fail(badField('card-uses'));
      const percent = value('card-percent'), amount = value('card-amount');
      if (!percent === !amount) return fail(badField('card-percent'));
      body.card = { valid_days: days, uses, ...(percent ? { percent_off: percent } : { amount_off_cny: amount }) };
    }
    const merchant = chosen;
    busy(rewardForm, ok(api.POST('/v1/merchants/{id}/rewards', { params: { path: { id: merchant.id } }, body })))
      .then((r) => {
        say(t('admin_reward_added', { name: r.name }));
        rewardForm.reset();
        byId('card-fields').hidden = true;
        return load(merchant.id);
      })
      .catch(fail);
  });

  const settleForm = byId<HTMLFormElement>('settle-form');
  settleForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!chosen) return;
    const merchant = chosen;
    const pts = value('settle-points') ? typedPoints('settle-points') : undefined;
    if (pts === null) return fail(badField('settle-points'));
    const reference = value('settle-reference');
    busy(settleForm, ok(api.POST('/v1/settlements', { body: { merchant_id: merchant.id, ...(pts ? { points: pts } : {}), ...(reference ? { reference } : {}) } })))
      .then((s) => {
        const moved = s.transaction.postings.find((p) => !p.amount.startsWith('-'))?.amount ?? '';
        say(t('admin_settled', { name: merchant.name, points: moved }));
        settleForm.reset();
        show(merchant);
      })
      .catch(fail);
  });
}
