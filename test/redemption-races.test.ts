import { describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import { expectSoundLedger } from './support/fixtures.js';
import { posted } from './support/earning.js';
import { redemptionProgramme, stockOf } from './support/redemption.js';

describe('concurrent redemptions', () => {
  it('many merchants against one worker\'s balance: never overdraw', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h, { riderPoints: '100' });
    // Three merchants' tills, each with an unlimited 30-point reward: 100 affords 3.
    const tills = await Promise.all(
      [r.shop, r.barber].map(async (m, i) => {
        const token = i === 0 ? r.shopToken : r.barberToken;
        const res = await h.call('POST', `/v1/merchants/${m.id}/rewards`, { token, body: { kind: 'goods', name: `套餐${i}`, price: '30' } });
        return { token, reward: res.body.id as string, merchant: m };
      }),
    );
    const codes = await Promise.all(Array.from({ length: 10 }, () => r.code(0)));
    const answers = await Promise.all(codes.map(({ code }, i) => r.redeem(tills[i % 2]!.token, { redeem_code: code, reward_id: tills[i % 2]!.reward })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 422 && a.body.code === 'insufficient_funds')).toHaveLength(7);
    expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('10.00');
    await expectSoundLedger(h, r.admin);
  });

  it('many workers against one item\'s stock: never oversell', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h, { riderPoints: '1000' });
    const scarce = await h.call('POST', `/v1/merchants/${r.shop.id}/rewards`, { token: r.shopToken, body: { kind: 'goods', name: '头盔', price: '50', stock: 4 } });
    const codes = await Promise.all(r.riders.flatMap((_, i) => [r.code(i), r.code(i), r.code(i)]));
    const answers = await Promise.all(codes.map(({ code }) => r.redeem(r.shopToken, { redeem_code: code, reward_id: scarce.body.id })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(4);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'out_of_stock')).toHaveLength(codes.length - 4);
    expect(await stockOf(h, r.shopToken, r.shop.id, scarce.body.id)).toBe(0);
    expect(await posted(h, r.admin, r.shop.account_id)).toBe('200.00');
    await expectSoundLedger(h, r.admin);
  });

  it('the same code at two tills at once: one redemption', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    const { code } = await r.code(0);
    const answers = await Promise.all(Array.from({ length: 8 }, () => r.redeem(r.shopToken, { redeem_code: code, reward_id: r.charger.id })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'code_used')).toHaveLength(7);
    expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('90.00');
  });
});
