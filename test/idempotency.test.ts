import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { expectSoundLedger, programme } from './support/fixtures.js';

let h: Harness;
let p: Awaited<ReturnType<typeof programme>>;
beforeEach(async () => {
  h = await createHarness();
  p = await programme(h);
});

const allocation = (amount: string, key: string, token = p.admin) =>
  h.call('POST', '/v1/budget-allocations', {
    token,
    body: { org_id: p.community.id, amount },
    headers: { 'Idempotency-Key': key },
  });
const txCount = async () => (await h.sql.all<{ n: number }>('SELECT count(*) AS n FROM transactions'))[0]!.n;

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key and body, marked as a replay', async () => {
    const first = await allocation('25', 'alloc-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await allocation('25', 'alloc-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await txCount()).toBe(1);
  });

  it('answers 409 for the same key with another body, writing nothing', async () => {
    await allocation('25', 'alloc-1');
    const other = await allocation('26', 'alloc-1');
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(await txCount()).toBe(1);
  });

  it('scopes keys per caller', async () => {
    const otherAdmin = await h.token('admin', { sub: 'admin-2' });
    expect((await allocation('25', 'shared-key')).status).toBe(201);
    const second = await allocation('25', 'shared-key', otherAdmin);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(await txCount()).toBe(2);
  });

  it('keeps a refused request refused for its key, even once it could succeed', async () => {
    const member = await h.call('POST', '/v1/members', { token: p.admin, body: { home_org_id: p.community.id } });
    const credit = () =>
      h.call('POST', '/v1/adjustments', {
        token: p.admin,
        headers: { 'Idempotency-Key': 'credit-1' },
        body: {
          reason: 'credit',
          postings: [
            { account_id: p.community.budget_account_id, amount: '-5' },
            { account_id: member.body.account_id, amount: '5' },
          ],
        },
      });
    const refused = await credit();
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('insufficient_funds');
    await h.call('POST', '/v1/budget-allocations', { token: p.admin, body: { org_id: p.community.id, amount: '100' } });
    const retried = await credit();
    expect(retried.status).toBe(422);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(refused.body);
    expect(await txCount()).toBe(1);
  });

  it('makes concurrent duplicates write exactly one transaction', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => allocation('7', 'burst')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.body.transaction.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await txCount()).toBe(1);
    const budget = await h.call('GET', `/v1/accounts/${p.community.budget_account_id}`, { token: p.admin });
    expect(budget.body.balance.posted).toBe('7.00');
    await expectSoundLedger(h, p.admin);
  });

  it('refuses a malformed key', async () => {
    const res = await allocation('1', 'has space');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_idempotency_key');
    expect(await txCount()).toBe(0);
  });
});
