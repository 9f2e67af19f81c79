import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { adjust, allocate, expectSoundLedger, member, programme } from './support/fixtures.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});

describe('service', () => {
  it('answers /health, /openapi.json, /docs and the JWKS without a token', async () => {
    const health = await h.call('GET', '/health');
    expect(health.body).toMatchObject({ status: 'ok', backend: h.backend, head_seq: 0 });
    expect(health.headers.get('x-request-id')).toMatch(/.+/);
    const doc = await h.call('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/orgs', '/v1/members', '/v1/budget-allocations', '/v1/adjustments', '/v1/me',
        '/v1/accounts/{id}', '/v1/accounts/{id}/entries', '/v1/transactions/{id}', '/v1/audit/trial-balance', '/v1/audit/verify']),
    );
    const docs = await h.call('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('openapi.json');
    const jwks = await h.call('GET', '/.well-known/jwks.json');
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(jwks.body.keys[0].d).toBeUndefined();
  });

  it('answers unknown paths with 404 and wrong methods with 405, as problem+json', async () => {
    const missing = await h.call('GET', '/v1/nowhere', { token: await h.token('admin') });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.body).toMatchObject({ status: 404, code: 'not_found' });
    const wrong = await h.call('DELETE', '/v1/orgs', { token: await h.token('admin') });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('POST');
    expect(wrong.body).toMatchObject({ status: 405, code: 'method_not_allowed' });
  });
});

describe('org tree and members', () => {
  it('builds the tree with subtree paths and a budget account per org', async () => {
    const p = await programme(h);
    expect(p.community.path).toBe(`/${p.city.id}/${p.district.id}/${p.street.id}/${p.community.id}/`);
    const account = await h.call('GET', `/v1/accounts/${encodeURIComponent(p.community.budget_account_id)}`, { token: p.admin });
    expect(account.body).toMatchObject({ kind: 'budget', owner_id: p.community.id, balance: { posted: '0.00' } });
  });

  it('refuses an org under the wrong kind of parent and changes nothing', async () => {
    const p = await programme(h);
    const res = await h.call('POST', '/v1/orgs', { token: p.admin, body: { name: 'x', kind: 'community', parent_id: p.city.id } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_org_parent');
    expect(await h.sql.all('SELECT count(*) AS n FROM orgs')).toEqual([{ n: 5 }]);
  });

  it('lets an organizer register members only in its subtree', async () => {
    const p = await programme(h);
    const organizer = await h.token('organizer', { sub: 'org-a', org_id: p.street.id });
    const m = await member(h, organizer, p.community.id, { external_ref: 'meituan:778' });
    expect(m.account_id).toBe(`worker:${m.id}`);
    const outside = await h.call('POST', '/v1/members', { token: organizer, body: { home_org_id: p.otherDistrict.id } });
    expect(outside.status).toBe(403);
    const duplicate = await h.call('POST', '/v1/members', {
      token: organizer,
      body: { home_org_id: p.community.id, external_ref: 'meituan:778' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('duplicate_external_ref');
    expect(await h.sql.all('SELECT count(*) AS n FROM members')).toEqual([{ n: 1 }]);
  });
});

describe('budget, adjustments and reversals', () => {
  it('moves points issuance → budget → worker with balanced, chained transactions', async () => {
    const p = await programme(h);
    const m = await member(h, p.admin, p.community.id);
    const allocation = await allocate(h, p.admin, p.community.id, '1000.5');
    expect(allocation.amount).toBe('1000.50');
    expect(allocation.transaction).toMatchObject({ seq: 1, kind: 'budget_allocation', prev_hash: '0'.repeat(64) });
    expect(allocation.transaction.postings).toEqual(
      expect.arrayContaining([
        { account_id: 'program:issuance', amount: '-1000.50' },
        { account_id: p.community.budget_account_id, amount: '1000.50' },
      ]),
    );
    const credit = await adjust(h, p.admin, [[p.community.budget_account_id, '-12.25'], [m.account_id, '12.25']]);
    expect(credit.status, credit.text).toBe(201);
    expect(credit.body.prev_hash).toBe(allocation.transaction.hash);
    expect(credit.body.seq).toBe(2);

    const worker = await h.token('worker', { sub: 'rider-1', member_id: m.id });
    const me = await h.call('GET', '/v1/me', { token: worker });
    expect(me.body).toMatchObject({ id: m.id, balance: { available: '12.25', held: '0.00', posted: '12.25' } });
    const budget = await h.call('GET', `/v1/accounts/${p.community.budget_account_id}`, { token: p.admin });
    expect(budget.body.balance.posted).toBe('988.25');
    const tx = await h.call('GET', `/v1/transactions/${credit.body.id}`, { token: worker });
    expect(tx.body).toMatchObject({ id: credit.body.id, hash: credit.body.hash, memo: 'test correction' });
    await expectSoundLedger(h, p.admin);
  });

  it('reverses a transaction once, referencing the original', async () => {
    const p = await programme(h);
    const allocation = await allocate(h, p.admin, p.community.id, '50');
    const reverse = () =>
      h.call('POST', '/v1/adjustments', {
        token: p.admin,
        body: { reason: 'allocated to the wrong org', reverses_transaction_id: allocation.transaction.id },
      });
    const first = await reverse();
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ kind: 'reversal', reverses_id: allocation.transaction.id });
    expect(first.body.postings).toEqual(
      expect.arrayContaining([{ account_id: p.community.budget_account_id, amount: '-50.00' }]),
    );
    const second = await reverse();
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('already_reversed');
    const budget = await h.call('GET', `/v1/accounts/${p.community.budget_account_id}`, { token: p.admin });
    expect(budget.body.balance.posted).toBe('0.00');
    await expectSoundLedger(h, p.admin);
  });

  it('refuses an overdraft, an unbalanced or unknown-account adjustment, writing nothing', async () => {
    const p = await programme(h);
    const m = await member(h, p.admin, p.community.id);
    await allocate(h, p.admin, p.community.id, '10');
    const before = await h.sql.all('SELECT id, posted FROM accounts ORDER BY id');
    const overdraft = await adjust(h, p.admin, [[p.community.budget_account_id, '-10.01'], [m.account_id, '10.01']]);
    expect(overdraft.status).toBe(422);
    expect(overdraft.body.code).toBe('insufficient_funds');
    const unbalanced = await adjust(h, p.admin, [[p.community.budget_account_id, '-1'], [m.account_id, '2']]);
    expect(unbalanced.status).toBe(422);
    expect(unbalanced.body.code).toBe('unbalanced_transaction');
    const unknown = await adjust(h, p.admin, [[p.community.budget_account_id, '-1'], ['worker:mem_nobody', '1']]);
    expect(unknown.status).toBe(404);
    const twice = await adjust(h, p.admin, [[m.account_id, '-1'], [m.account_id, '1']]);
    expect(twice.status).toBe(422);
    expect(await h.sql.all('SELECT id, posted FROM accounts ORDER BY id')).toEqual(before);
    expect(await h.sql.all('SELECT count(*) AS n FROM transactions')).toEqual([{ n: 1 }]);
  });
});

describe('statements', () => {
  it('pages entries newest first with a running balance and a cursor', async () => {
    const p = await programme(h);
    const m = await member(h, p.admin, p.community.id);
    await allocate(h, p.admin, p.community.id, '100');
    for (let i = 1; i <= 7; i++) {
      const res = await adjust(h, p.admin, [[p.community.budget_account_id, `-${i}`], [m.account_id, `${i}`]], `credit ${i}`);
      expect(res.status).toBe(201);
    }
    const worker = await h.token('worker', { member_id: m.id });
    const seen: Array<{ amount: string; balance_after: string; memo: string }> = [];
    let cursor: string | null = null;
    do {
      const res: any = await h.call('GET', `/v1/accounts/${m.account_id}/entries?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: worker });
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen.map((e) => e.amount)).toEqual(['7.00', '6.00', '5.00', '4.00', '3.00', '2.00', '1.00']);
    expect(seen.map((e) => e.balance_after)).toEqual(['28.00', '21.00', '15.00', '10.00', '6.00', '3.00', '1.00']);
    expect(seen[0]!.memo).toBe('credit 7');
    const bad = await h.call('GET', `/v1/accounts/${m.account_id}/entries?cursor=abc`, { token: worker });
    expect(bad.status).toBe(400);
  });

  it('filters entries by time', async () => {
    const p = await programme(h);
    await allocate(h, p.admin, p.community.id, '1');
    const cut = h.clock.now().toISOString();
    h.clock.advance(60_000);
    await allocate(h, p.admin, p.community.id, '2');
    const after = await h.call('GET', `/v1/accounts/${p.community.budget_account_id}/entries?from=${encodeURIComponent(h.clock.now().toISOString())}`, { token: p.admin });
    expect(after.body.items.map((e: any) => e.amount)).toEqual(['2.00']);
    const before = await h.call('GET', `/v1/accounts/${p.community.budget_account_id}/entries?to=${encodeURIComponent(cut)}&limit=10`, { token: p.admin });
    expect(before.body.items).toEqual([]);
  });
});
