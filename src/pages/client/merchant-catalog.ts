/**
 * The shop's catalog on the till page: every reward with its price, stock and
 * whether it is on sale; adding a reward (goods or a discount card); changing
 * a price or stock; taking a reward off sale. `onChange` reloads the till.
 */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { busy, byId, el, fail, fill, say } from './dom.js';
import { t, text } from './page-text.js';

type Reward = components['schemas']['Reward'];
type RewardInput = components['schemas']['RewardInput'];
type RewardPatch = components['schemas']['RewardPatch'];

function value(id: string): string {
  return byId<HTMLInputElement>(id).value.trim();
}
function whole(id: string): number | undefined {
  const v = value(id);
  return v === '' ? undefined : parseInt(v, 10);
}

function line(reward: Reward): HTMLElement {
  let detail = t('points', { n: reward.price }) + ' · ' + (reward.stock === null ? text.merchant_unlimited : t('reward_stock', { n: reward.stock }));
  if (!reward.active) detail += ' · ' + text.merchant_off_sale;
  return el('li', { class: 'line', 'data-reward-id': reward.id }, [el('span', { text: reward.name }), el('span', { class: 'amount', text: detail })]);
}

export function catalog(merchant: { params: { path: { id: string } } }, onChange: () => Promise<unknown>): void {
  const list = byId('catalog'), choose = byId<HTMLSelectElement>('change-reward');
  let rewards: Reward[] = [];
  function load(): Promise<void> {
    return ok(api.GET('/v1/merchants/{id}/rewards', merchant)).then((result) => {
      rewards = result.items;
      fill(list, rewards, line, text.merchant_catalog_empty);
      list.setAttribute('aria-busy', 'false');
      const chosen = choose.value;
      choose.textContent = '';
      rewards
        .filter((r) => r.active)
        .forEach((r) => choose.appendChild(el('option', { value: r.id, text: t('reward_option', { name: r.name, price: r.price }) })));
      if (rewards.some((r) => r.id === chosen && r.active)) choose.value = chosen;
    });
  }
  function changed(message: string): Promise<void> {
    say(message);
    return load().then(() => onChange().then(() => undefined));
  }

  const kind = byId<HTMLSelectElement>('add-kind');
  kind.addEventListener('change', () => {
    byId('card-fields').hidden = kind.value !== 'discount_card';
    byId('goods-fields').hidden = kind.value === 'discount_card';
  });

  const add = byId<HTMLFormElement>('add-form');
  add.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = value('add-name'), price = value('add-price');
    if (!name || !price) return fail(text.err_validation_failed);
    let body: RewardInput;
    if (kind.value === 'discount_card') {
      const percent = value('add-percent'), amount = value('add-amount');
      body = {
        kind: 'discount_card',
        name,
        price,
        card: { valid_days: whole('add-days') ?? 30, uses: whole('add-uses') ?? 1, ...(percent ? { percent_off: percent } : {}), ...(amount ? { amount_off_cny: amount } : {}) },
      } as RewardInput;
    } else {
      const stock = whole('add-stock'), limit = whole('add-limit');
      body = { kind: 'goods', name, price, stock: stock ?? null, ...(limit !== undefined ? { per_member_limit: limit } : {}) } as RewardInput;
    }
    busy(add, ok(api.POST('/v1/merchants/{id}/rewards', { params: merchant.params, body })))
      .then(() => {
        add.reset();
        kind.dispatchEvent(new Event('change'));
        return changed(text.merchant_added_ok);
      })
      .catch(fail);
  });

  const change = byId<HTMLFormElement>('change-form');
  function patch(body: RewardPatch, message: string): void {
    const path = { id: merchant.params.path.id, reward_id: choose.value };
    if (!choose.value) return fail(text.err_validation_failed);
    busy(change, ok(api.PATCH('/v1/merchants/{id}/rewards/{reward_id}', { params: { path }, body })))
      .then(() => {
        change.reset();
        return changed(message);
      })
      .catch(fail);
  }
  change.addEventListener('submit', (event) => {
    event.preventDefault();
    const price = value('change-price'), stock = whole('change-stock');
    if (!price && stock === undefined) return fail(text.merchant_nothing_to_change);
    patch({ ...(price ? { price } : {}), ...(stock !== undefined ? { stock } : {}) }, text.merchant_changed_ok);
  });
  byId('take-off').addEventListener('click', () => patch({ active: false }, text.merchant_taken_off_ok));

  load().catch(fail);
}
