import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Answer, Harness } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { posted } from './support/earning.js';
import { redemptionProgramme } from './support/redemption.js';
import { newRedeemCode } from '../src/rewards/codes.js';

// Redeem codes are shown in public, so guessing them is limited in the
// database: failed attempts are counted per merchant (default 30) and per
// code (default 10) in ten-minute windows; past either limit every attempt,
// a correct guess included, answers 429 with Retry-After, and the anomaly
// report names the merchant with the ids of the failures.

let h: Harness;
let r: Awaited<ReturnType<typeof redemptionProgramme>>;
beforeEach(async () => {
  h = await createHarness();
  r = await redemptionProgramme(h);
});

const PER_MERCHANT = 30;
const PER_CODE = 10;
const guess = (token: string, code = newRedeemCode()) => r.redeem(token, { redeem_code: code, reward_id: r.charger.id });

function expectLimited(res: Answer) {
  expect(res.status, res.text).toBe(429);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.body.code).toBe('too_many_attempts');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(600);
}

describe('redeem-code guessing', () => {
  it('stops a merchant after its failures in the window, a correct code included, and lets it go when the window ends', async () => {
    for (let i = 0; i < PER_MERCHANT; i++) expect((await guess(r.shopToken)).status).toBe(404);
    const { code } = await r.code(0);
    const before = await stateFingerprint(h);
    expectLimited(await r.redeem(r.shopToken, { redeem_code: code, reward_id: r.charger.id }));
    expectLimited(await h.call('POST', '/v1/redeem-codes/check', { token: r.shopToken, body: { code } }));
    expect(await stateFingerprint(h)).toEqual(before);
    // Another merchant is not held back, and the code was not spent.
    const charger2 = await h.call('POST', `/v1/merchants/${r.barber.id}/rewards`, { token: r.barberToken, body: { kind: 'goods', name: '充电', price: '10' } });
    expect((await r.redeem(r.barberToken, { redeem_code: code, reward_id: charger2.body.id })).status).toBe(201);
    // The next window starts afresh.
    h.clock.advance(600_000);
    const next = await r.code(1);
    expect((await r.redeem(r.shopToken, { redeem_code: next.code, reward_id: r.charger.id })).status).toBe(201);
    await expectSoundLedger(h, r.admin);
  });

  it('stops one code after its failures at any merchant', async () => {
    const { code } = await r.code(0);
    expect((await guess(r.shopToken, code)).status).toBe(201);
    // The spent code shown again and again, at two merchants.
    for (let i = 0; i < PER_CODE; i++) {
      const res = i % 2 ? await r.redeem(r.barberToken, { redeem_code: code, reward_id: r.haircut.id }) : await guess(r.shopToken, code);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('code_used');
    }
    expectLimited(await guess(r.shopToken, code));
    expectLimited(await r.redeem(r.barberToken, { redeem_code: code, reward_id: r.haircut.id }));
    // The merchants themselves are under their own limit: a fresh code redeems.
    const fresh = await r.code(1);
    expect((await guess(r.shopToken, fresh.code)).status).toBe(201);
  });

  it('holds under a flood of concurrent guesses: exactly the limit is answered, the rest are refused, and a correct guess past it is refused too', async () => {
    const { code } = await r.code(0);
    const codes = Array.from({ length: 2 * PER_MERCHANT }, () => newRedeemCode());
    codes.push(code);
    const answers = await Promise.all(codes.map((c) => guess(r.shopToken, c)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(PER_MERCHANT);
    expect(statuses.every((s) => s === 404 || s === 429 || s === 201)).toBe(true);
    const succeeded = statuses.filter((s) => s === 201).length;
    const [counted] = await h.sql.all<{ n: number }>("SELECT count(*) AS n FROM redeem_failures WHERE reason <> 'rate_limited'");
    const [limited] = await h.sql.all<{ n: number }>("SELECT count(*) AS n FROM redeem_failures WHERE reason = 'rate_limited'");
    expect(counted!.n).toBe(PER_MERCHANT);
    expect(limited!.n).toBe(codes.length - PER_MERCHANT - succeeded);
    expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe(succeeded ? '90.00' : '100.00');
    await expectSoundLedger(h, r.admin);
    console.log(`redeem-code guessing (${h.backend}): ${codes.length} concurrent attempts → ${PER_MERCHANT} failures answered, ${limited!.n} refused 429, the correct code ${succeeded ? 'redeemed before the limit' : 'refused too'}`);
  });

  it('answers Retry-After from the configured window, not a constant: the seconds until a 45-second window ends', async () => {
    h.deps.programme = { ...h.deps.programme, redeemLimits: { windowSeconds: 45, perMerchant: 3, perCode: 10 } };
    h.clock.advance(7_000); // off any window boundary
    const seconds = Math.floor(h.clock.now().getTime() / 1000);
    const expected = 45 - (seconds % 45);
    for (let i = 0; i < 3; i++) expect((await guess(r.shopToken)).status).toBe(404);
    const before = await stateFingerprint(h);
    // Refused by the count read before the attempt.
    const refused = await guess(r.shopToken);
    expectLimited(refused);
    expect(refused.headers.get('retry-after')).toBe(String(expected));
    expect(await stateFingerprint(h)).toEqual(before);
    // A flood in a fresh window: the attempts that passed the read before the count filled up are refused by the
    // database's gate (redeem_rate_limited), and answer the same Retry-After.
    h.clock.advance(expected * 1000);
    const answers = await Promise.all(Array.from({ length: 12 }, () => guess(r.shopToken)));
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 404)).toHaveLength(3);
    expect(limited).toHaveLength(9);
    for (const a of limited) expect(a.headers.get('retry-after')).toBe('45');
    const [counted] = await h.sql.all<{ n: number }>("SELECT count(*) AS n FROM redeem_failures WHERE reason <> 'rate_limited'");
    expect(counted!.n).toBe(6);
    await expectSoundLedger(h, r.admin);
  });

  it('shows the failures in the anomaly report with the ids behind them', async () => {
    const { code } = await r.code(0);
    await guess(r.shopToken, code);
    await guess(r.shopToken, code); // used
    for (let i = 0; i < PER_MERCHANT + 3; i++) await guess(r.shopToken);
    const auditor = await h.token('auditor');
    const res = await h.call('GET', '/v1/audit/anomalies', { token: auditor });
    const finding = res.body.items.find((a: { kind: string }) => a.kind === 'redeem_code_failures');
    expect(finding).toMatchObject({ subject: r.shop.id });
    expect(finding.detail).toContain(`${PER_MERCHANT} failed redeem-code attempts`);
    expect(finding.detail).toContain('1 already used');
    expect(finding.detail).toContain('4 refused by the rate limit');
    expect(finding.detail).toContain('merchant:shop-till');
    const ids = (await h.sql.all<{ id: string }>('SELECT id FROM redeem_failures')).map((row) => row.id);
    expect([...finding.evidence].sort()).toEqual(ids.sort());
  });
});
