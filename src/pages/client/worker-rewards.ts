/**
 * What the worker can get (/app/worker/rewards): the programme's catalog by
 * org or shop, with what the worker's balance allows for each reward, a
 * button to reserve one for pickup, and the worker's reservations with a
 * button to cancel those still waiting.
 */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { byId, el, fail, fill, say } from './dom.js';
import { hundredths, points, time } from './format.js';
import { t, text } from './page-text.js';

type CatalogReward = components['schemas']['CatalogReward'];
type Hold = components['schemas']['RewardHold'];

export function workerRewards(): void {
  const filter = byId<HTMLSelectElement>('rewards-filter'), catalog = byId('catalog');
  let rewards: CatalogReward[] = [];
  let available = 0;

  function load(): Promise<void> {
    return Promise.all([ok(api.GET('/v1/me')), ok(api.GET('/v1/catalog'))])
      .then(([me, result]) => {
        available = hundredths(me.balance.available);
        const balance = byId('rewards-balance');
        balance.textContent = t('worker_rewards_balance', { available: me.balance.available, held: me.balance.held });
        balance.setAttribute('data-available', me.balance.available);
        balance.setAttribute('data-held', me.balance.held);
        rewards = result.items;
        choices();
        show();
        return holds();
      })
      .catch(fail);
  }

  // The filter: every org with shops, then every shop under its org ("org:<id>" or "shop:<id>").
  function choices(): void {
    const chosen = filter.value;
    while (filter.options.length > 1) filter.remove(1);
    const orgs: Record<string, { name: string; shops: Record<string, string> }> = {};
    const order: string[] = [];
    rewards.forEach((r) => {
      if (!orgs[r.org_id]) {
        orgs[r.org_id] = { name: r.org_name, shops: {} };
        order.push(r.org_id);
      }
      orgs[r.org_id]!.shops[r.merchant_id] = r.merchant_name;
    });
    order.forEach((id) => {
      const org = orgs[id]!;
      const group = el('optgroup', { label: org.name }, [el('option', { value: 'org:' + id, text: t('worker_rewards_filter_org', { org: org.name }) })]);
      Object.keys(org.shops).forEach((shop) => group.appendChild(el('option', { value: 'shop:' + shop, text: org.shops[shop] })));
      filter.appendChild(group);
    });
    filter.value = chosen;
    if (filter.selectedIndex < 0) filter.value = '';
  }

  function terms(r: CatalogReward): string {
    const parts: string[] = [];
    if (r.card) {
      parts.push(
        r.card.percent_off
          ? t('worker_reward_card_percent', { n: r.card.percent_off, uses: r.card.uses, days: r.card.valid_days })
          : t('worker_reward_card_amount', { n: r.card.amount_off_cny, uses: r.card.uses, days: r.card.valid_days }),
      );
    }
    if (r.per_member_limit !== null) {
      parts.push(r.limit_period === 'ever' ? t('worker_reward_limit_ever', { n: r.per_member_limit }) : t('worker_reward_limit', { n: r.per_member_limit, period: t('worker_period_' + r.limit_period) }));
    }
    return parts.join(' · ');
  }

  function show(): void {
    const [kind, id] = filter.value.split(':');
    const shown = rewards.filter((r) => !kind || (kind === 'org' ? r.org_id === id : r.merchant_id === id));
    catalog.textContent = '';
    if (!shown.length) catalog.appendChild(el('p', { class: 'note', text: text.worker_rewards_none }));
    let list: HTMLElement | null = null, shop = '';
    shown.forEach((r) => {
      if (r.merchant_id !== shop) {
        shop = r.merchant_id;
        catalog.appendChild(el('h3', { text: t('worker_rewards_shop', { shop: r.merchant_name, org: r.org_name }) }));
        list = catalog.appendChild(el('ul', { class: 'list' }));
      }
      const price = hundredths(r.price), short = price - available, soldOut = r.stock === 0;
      const reserve = el('button', { type: 'button', class: 'secondary', 'aria-label': t('worker_reserve_named', { reward: r.name }), text: text.worker_reserve, disabled: soldOut || short > 0 });
      reserve.addEventListener('click', () => hold(r, reserve));
      list!.appendChild(
        el('li', { 'data-reward-id': r.id, 'data-affordable': String(short <= 0), 'data-stock': r.stock === null ? 'unlimited' : r.stock }, [
          el('div', { class: 'line' }, [el('strong', { text: r.name }), el('span', { class: 'nowrap', text: t('worker_reward_price', { price: r.price }) })]),
          ...(terms(r) ? [el('p', { class: 'note', text: terms(r) })] : []),
          el('div', { class: 'note line' }, [
            el('span', { text: r.stock === null ? text.worker_reward_unlimited : soldOut ? text.worker_reward_sold_out : t('worker_reward_stock', { n: r.stock }) }),
            el('span', { class: 'nowrap', 'data-allows': '', text: short <= 0 ? text.worker_reward_affordable : t('worker_reward_needs_more', { n: points(short) }) }),
          ]),
          reserve,
        ]),
      );
    });
    catalog.setAttribute('aria-busy', 'false');
  }

  function hold(r: CatalogReward, button: HTMLButtonElement): void {
    button.disabled = true;
    ok(api.POST('/v1/holds', { body: { reward_id: r.id, quantity: 1 } }))
      .then((held) => {
        say(t('worker_reserved', { reward: r.name, points: held.points, shop: r.merchant_name, until: time(held.expires_at) }));
        return load();
      })
      .catch((error: unknown) => {
        button.disabled = false;
        fail(error);
      });
  }

  function holds(): Promise<void> {
    return ok(api.GET('/v1/me/holds')).then((result) => {
      const byReward: Record<string, CatalogReward> = {};
      rewards.forEach((r) => (byReward[r.id] = r));
      fill(byId('holds'), result.items, (h: Hold) => {
        const r = byReward[h.reward_id], name = r ? r.name : text.worker_unknown_reward;
        const item = el('li', { 'data-hold-id': h.id, 'data-status': h.status }, [
          el('div', { class: 'line' }, [el('span', { text: t('worker_hold_line', { reward: name, n: h.quantity, points: h.points }) }), el('span', { class: 'badge', text: t('worker_hold_status_' + h.status) })]),
          el('p', { class: 'note', text: [t('worker_hold_where', { shop: r ? r.merchant_name : text.worker_unknown_shop }), h.status === 'held' ? t('worker_hold_until', { until: time(h.expires_at) }) : time(h.resolved_at || h.created_at)].join(' · ') }),
        ]);
        if (h.status === 'held') {
          const cancel = el('button', { type: 'button', class: 'secondary', 'aria-label': t('worker_hold_cancel_named', { reward: name }), text: text.worker_hold_cancel });
          cancel.addEventListener('click', () => {
            cancel.disabled = true;
            ok(api.POST('/v1/holds/{id}/void', { params: { path: { id: h.id } } }))
              .then((voided) => {
                say(t('worker_hold_cancelled', { points: voided.points }));
                return load();
              })
              .catch((error: unknown) => {
                cancel.disabled = false;
                fail(error);
              });
          });
          item.appendChild(cancel);
        }
        return item;
      });
    });
  }

  filter.addEventListener('change', show);
  load();
}
