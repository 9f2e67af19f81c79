import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { stateFingerprint, member, programme } from './support/fixtures.js';

let h: Harness;
let p: Awaited<ReturnType<typeof programme>>;
let worker: { id: string; account_id: string };
beforeEach(async () => {
  h = await createHarness();
  p = await programme(h);
  worker = await member(h, p.admin, p.community.id);
  const res = await h.call('POST', '/v1/budget-allocations', { token: p.admin, body: { org_id: p.community.id, amount: '100' } });
  expect(res.status).toBe(201);
});

async function expectRefusedUnchanged(
  request: () => Promise<{ status: number; body: any; headers: Headers }>,
  status: number,
  code: string,
) {
  const before = await stateFingerprint(h);
  const res = await request();
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
  expect(res.body.code).toBe(code);
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|SqliteError|stack/);
  expect(await stateFingerprint(h)).toEqual(before);
  return res.body;
}

const allocate = (body: unknown) => () => h.call('POST', '/v1/budget-allocations', { token: p.admin, body });

describe('bad input is a 4xx problem and changes nothing', () => {
  it.each([
    ['a number instead of a string', 12],
    ['a negative amount', '-5'],
    ['zero', '0'],
    ['more than two decimals', '1.001'],
    ['exponent notation', '1e3'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['an empty string', ''],
    ['a huge amount', '99999999999'],
    ['spaces', ' 5'],
    ['a comma', '1,5'],
  ])('refuses an amount that is %s', async (_name, amount) => {
    const body = await expectRefusedUnchanged(allocate({ org_id: p.community.id, amount }), 400, 'validation_failed');
    expect(body.errors).toEqual([expect.objectContaining({ path: 'body.amount' })]);
  });

  it('lists every bad field', async () => {
    const body = await expectRefusedUnchanged(allocate({ org_id: 7, amount: '1.234', extra: true }), 400, 'validation_failed');
    const paths = body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.org_id', 'body.amount']));
  });

  it('refuses malformed JSON, a non-JSON content type, a missing body and an oversized body', async () => {
    await expectRefusedUnchanged(
      () => h.call('POST', '/v1/budget-allocations', { token: p.admin, raw: '{"org_id": ', headers: { 'content-type': 'application/json' } }),
      400,
      'malformed_json',
    );
    await expectRefusedUnchanged(
      () => h.call('POST', '/v1/budget-allocations', { token: p.admin, raw: 'org_id=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'unsupported_media_type',
    );
    await expectRefusedUnchanged(
      () => h.call('POST', '/v1/budget-allocations', { token: p.admin, headers: { 'content-type': 'application/json' } }),
      400,
      'malformed_json',
    );
    const huge = JSON.stringify({ org_id: p.community.id, amount: '1', memo: 'x'.repeat(300 * 1024) });
    await expectRefusedUnchanged(
      () => h.call('POST', '/v1/budget-allocations', { token: p.admin, raw: huge, headers: { 'content-type': 'application/json' } }),
      413,
      'payload_too_large',
    );
    // With its length declared up front, as an HTTP client sends it: refused before the body is read.
    await expectRefusedUnchanged(
      () =>
        h.call('POST', '/v1/budget-allocations', {
          token: p.admin,
          raw: huge,
          headers: { 'content-type': 'application/json', 'content-length': String(new TextEncoder().encode(huge).length) },
        }),
      413,
      'payload_too_large',
    );
  });

  it('refuses unknown orgs and accounts', async () => {
    await expectRefusedUnchanged(allocate({ org_id: 'org_missing', amount: '1' }), 404, 'not_found');
    await expectRefusedUnchanged(
      () =>
        h.call('POST', '/v1/adjustments', {
          token: p.admin,
          body: { reason: 'fix', postings: [{ account_id: 'nope', amount: '1' }, { account_id: worker.account_id, amount: '-1' }] },
        }),
      404,
      'not_found',
    );
    await expectRefusedUnchanged(
      () => h.call('POST', '/v1/adjustments', { token: p.admin, body: { reason: 'undo', reverses_transaction_id: 'tx_missing' } }),
      404,
      'not_found',
    );
    await expectRefusedUnchanged(() => h.call('POST', '/v1/members', { token: p.admin, body: { home_org_id: 'org_missing' } }), 404, 'not_found');
    await expectRefusedUnchanged(() => h.call('POST', '/v1/orgs', { token: p.admin, body: { name: 'x', kind: 'street', parent_id: 'org_missing' } }), 404, 'not_found');
  });

  it('refuses adjustments that are unclear', async () => {
    const adjust = (body: unknown) => () => h.call('POST', '/v1/adjustments', { token: p.admin, body });
    await expectRefusedUnchanged(adjust({ reason: 'no postings' }), 400, 'validation_failed');
    await expectRefusedUnchanged(
      adjust({ postings: [{ account_id: worker.account_id, amount: '1' }, { account_id: p.community.budget_account_id, amount: '-1' }] }),
      400,
      'validation_failed',
    );
    await expectRefusedUnchanged(adjust({ reason: 'one leg', postings: [{ account_id: worker.account_id, amount: '1' }] }), 400, 'validation_failed');
    await expectRefusedUnchanged(
      adjust({ reason: 'zero leg', postings: [{ account_id: worker.account_id, amount: '0' }, { account_id: p.community.budget_account_id, amount: '0.00' }] }),
      400,
      'validation_failed',
    );
  });

  it('refuses bad query strings', async () => {
    for (const query of ['limit=0', 'limit=501', 'limit=abc', 'from=yesterday']) {
      await expectRefusedUnchanged(() => h.call('GET', `/v1/accounts/${worker.account_id}/entries?${query}`, { token: p.admin }), 400, 'validation_failed');
    }
    await expectRefusedUnchanged(() => h.call('GET', `/v1/accounts/${worker.account_id}/entries?cursor=-1`, { token: p.admin }), 400, 'invalid_cursor');
    await expectRefusedUnchanged(() => h.call('GET', '/v1/audit/verify?from_seq=0', { token: p.admin }), 400, 'validation_failed');
    await expectRefusedUnchanged(() => h.call('GET', '/v1/audit/verify?to_seq=1.5', { token: p.admin }), 400, 'validation_failed');
  });
});
