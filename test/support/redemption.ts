import { expect } from 'vitest';
import type { Harness } from './harness-core.js';
import { earningProgramme } from './earning.js';

/** Riders with points, two merchants, and a catalog. */
export async function redemptionProgramme(h: Harness, options: { riderPoints?: string } = {}) {
  const e = await earningProgramme(h);
  const merchant = async (name: string) => {
    const res = await h.call('POST', '/v1/merchants', { token: e.admin, body: { name, org_id: e.community.id } });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; account_id: string };
  };
  const shop = await merchant('和平便利店');
  const barber = await merchant('建设路理发店');
  const shopToken = await h.token('merchant', { sub: 'shop-till', merchant_id: shop.id });
  const barberToken = await h.token('merchant', { sub: 'barber-till', merchant_id: barber.id });
  const reward = async (token: string, merchantId: string, body: Record<string, unknown>) => {
    const res = await h.call('POST', `/v1/merchants/${merchantId}/rewards`, { token, body });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; price: string; stock: number | null };
  };
  const water = await reward(shopToken, shop.id, { kind: 'goods', name: '矿泉水一箱', price: '30', stock: 5, per_member_limit: 2, limit_period: 'month' });
  const charger = await reward(shopToken, shop.id, { kind: 'goods', name: '充电宝租用', price: '10' });
  const haircut = await reward(barberToken, barber.id, { kind: 'discount_card', name: '理发85折卡', price: '40', card: { percent_off: '15', valid_days: 30, uses: 2 } });
  const repair = await reward(barberToken, barber.id, { kind: 'discount_card', name: '修车立减20元', price: '25', card: { amount_off_cny: '20', valid_days: 10, uses: 1 } });
  // Credit every rider from the street budget.
  const amount = options.riderPoints ?? '100';
  for (const rider of e.riders) {
    const res = await h.call('POST', '/v1/adjustments', {
      token: e.admin,
      body: { reason: 'opening points', postings: [{ account_id: e.street.budget_account_id, amount: `-${amount}` }, { account_id: rider.account_id, amount }] },
    });
    expect(res.status, res.text).toBe(201);
  }
  const code = async (i: number) => {
    const res = await h.call('POST', '/v1/me/redeem-codes', { token: await e.workerToken(i) });
    expect(res.status, res.text).toBe(201);
    return res.body as { code: string; expires_at: string };
  };
  const redeem = (token: string, body: Record<string, unknown>, key?: string) =>
    h.call('POST', '/v1/redemptions', { token, body, ...(key ? { headers: { 'Idempotency-Key': key } } : {}) });
  return { ...e, shop, barber, shopToken, barberToken, water, charger, haircut, repair, code, redeem };
}

/** Stock of a reward, read through the catalog. */
export async function stockOf(h: Harness, token: string, merchantId: string, rewardId: string) {
  const res = await h.call('GET', `/v1/merchants/${merchantId}/rewards`, { token });
  return (res.body.items as Array<{ id: string; stock: number | null }>).find((r) => r.id === rewardId)!.stock;
}
