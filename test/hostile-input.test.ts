import { EVIDENCE_MAX_BYTES } from '../src/evidence/limits.js';
import { IMPORT_BODY_LIMIT } from '../src/members/import.js';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHarness } from '#harness';
import type { Answer, Harness } from './support/harness-core.js';
import { stateFingerprint, expectSoundLedger } from './support/fixtures.js';
import { redemptionProgramme } from './support/redemption.js';
import { encodeSegment, fillPath, openapiRoutes, type OpenApiRoute } from './support/openapi.js';
import type { Role } from '../src/auth/caller.js';

// A fuzzer that walks /openapi.json and sends every route, with a token of a
// role it admits, malformed, boundary and random bodies, path parameters,
// query strings and headers. Whatever comes in: never a 5xx, every refusal is
// problem+json without internals, and a refused request leaves the ledger
// exactly as it was. Seeded, so a failure names a replayable case.

// FUZZ_SEED / FUZZ_RUNS run it longer (read through globalThis: workerd may have no process).
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
const SEED = Number(env.FUZZ_SEED ?? 20_260_301);
const RUNS_PER_ROUTE = Number(env.FUZZ_RUNS ?? 8);

let h: Harness;
let routes: OpenApiRoute[];
let tokens: Record<Role, string>;
let ids: string[];
let pools: Record<'org' | 'member' | 'account' | 'merchant' | 'reward' | 'code' | 'activity' | 'transaction' | 'other', string[]>;

/** Real ids of the kind a field names (all of them for a bare `id`). */
function idsFor(name: string): string[] {
  if (/org_id$/.test(name) || name === 'parent_id') return pools.org;
  if (name === 'member_id') return pools.member;
  if (name === 'account_id') return pools.account;
  if (name === 'merchant_id') return pools.merchant;
  if (name === 'reward_id') return pools.reward;
  if (name === 'code' || name === 'redeem_code') return pools.code;
  if (name.startsWith('activity_code')) return pools.activity;
  if (name.endsWith('transaction_id')) return pools.transaction;
  return ids;
}
const isIdField = (name: string) => name.endsWith('_id') || name === 'redeem_code' || name === 'code' || name.startsWith('activity_code');
const tally = { requests: 0, refused: 0, accepted: 0, tooLarge: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  h = await createHarness();
  const r = await redemptionProgramme(h);
  routes = await openapiRoutes(h, { includePublic: true });
  tokens = {
    admin: r.admin,
    auditor: await h.token('auditor'),
    organizer: r.organizer,
    merchant: r.shopToken,
    worker: await r.workerToken(0),
  };
  // Real ids, so some fields get past validation and reach the deeper code.
  const held = await h.call('POST', '/v1/holds', { token: tokens.worker, body: { reward_id: r.charger.id } });
  const claim = await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: r.riders[0]!.id, activity_code: 'hazard_resolved', units: '2', occurred_at: '2026-02-28T08:00:00Z' } });
  const codes = [];
  for (const i of [0, 1, 2, 0, 1, 2]) codes.push((await r.code(i)).code);
  const txs = (await h.sql.all<{ id: string }>('SELECT id FROM transactions ORDER BY seq DESC LIMIT 3')).map((t) => t.id);
  pools = {
    org: [r.community.id, r.street.id, r.otherDistrict.id],
    member: r.riders.map((m) => m.id),
    account: [...r.riders.map((m) => m.account_id), r.shop.account_id, r.community.budget_account_id, 'program:issuance'],
    merchant: [r.shop.id, r.barber.id],
    reward: [r.water.id, r.charger.id, r.haircut.id, r.repair.id],
    code: codes,
    activity: ['volunteer_hour', 'hazard_resolved', 'grid_report'],
    transaction: txs,
    other: [held.body.id, claim.body.id],
  };
  ids = Object.values(pools).flat();
});

/** Every row of every table but those that record refusals: everything a refused request must leave as it was. */
async function fingerprint(): Promise<string> {
  return JSON.stringify(await stateFingerprint(h));
}

/** After each route's runs: the trial balance is zero and the chain and balances verify. */
async function expectLedgerVerifies(label: string) {
  const tb = await h.call('GET', '/v1/audit/trial-balance', { token: tokens.admin });
  expect(tb.body.total, `${label}: trial balance`).toBe('0.00');
  const v = await h.call('GET', '/v1/audit/verify', { token: tokens.admin });
  expect(v.body, `${label}: verify ${v.text.slice(0, 300)}`).toMatchObject({ ok: true, balance_mismatches: [] });
}

const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).concat(['\u007f', '\u2028', '\u2029', '\u202e', '\ufeff', '\ud800', '\udfff']);
const hostileString = fc.oneof(
  fc.constantFrom(
    '', ' ', '0', '-1', '-0.01', '1.001', '12.345', '0.005', '1e3', '1e309', '-1e309', 'NaN', 'Infinity', '-Infinity', '0x10', '１２', '١٢', '1,5',
    '99999999999999999999', '9007199254740993', '-99999999999.99', '00012.50', ' 5', '5 ', '+5', '.5', '5.', 'null', 'true', '[]', '{}',
    '../../etc/passwd', '%00', '%2e%2e%2f', "'; DROP TABLE accounts; --", '" OR 1=1 --', '<script>alert(1)</script>', '=cmd|"/c calc"!A1',
    '2026-02-30T25:61:00Z', '0000-00-00T00:00:00Z', '2026-03-01', '9999-12-31T23:59:59Z', '-271821-04-20T00:00:00Z',
    '😀'.repeat(60), '长'.repeat(300), 'a'.repeat(5_000), 'K7QM-2XWD-9HPA', 'C-AAAA-BBBB-CCCC-DDDD',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(...CONTROL), minLength: 1, maxLength: 8 }),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 1.5, 0.001, 12.345, 1e21, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 4_294_967_296, 1001, 100_000_000),
  fc.integer(),
  fc.double({ noNaN: true }),
);
const { value: hostileValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 3 }),
  ),
}));

/** Property names a schema (or any variant of a union) accepts. */
function propertiesOf(schema: any): string[] {
  if (!schema) return [];
  const own = Object.keys(schema.properties ?? {});
  const variants = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])].flatMap(propertiesOf);
  const items = schema.properties?.claims?.items ? propertiesOf(schema.properties.claims.items).map((p) => `claims[].${p}`) : [];
  return [...new Set([...own, ...variants, ...items])];
}

const field = (name: string) => (isIdField(name) ? fc.oneof(fc.constantFrom(...idsFor(name)), hostileValue) : hostileValue);

const AMOUNT_FIELDS = /^(amount|price|units|points_per_unit|multiplier|daily_cap|monthly_cap|maker_checker_threshold|bill_cny|percent_off|amount_off_cny)$/;
// Near and past every documented bound too: one amount ≤ 10^9 points (MAX_AMOUNT), a balance ≤ 10^11.
const plausibleAmount = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('1', '5', '12.5', '0.01', '30', '250', '1000000', '-5', '0') },
  { weight: 1, arbitrary: fc.constantFrom('1000000000', '999999999.99', '1000000000.01', '9999999999.99', '-1000000000', '100000000000', '9007199254740993') },
);
// Text that must be refused wherever a string goes: broken, control, over-long (src/ledger/text.ts).
const hostileText = fc.constantFrom('\ud800', 'a\udfffb', 'nul\u0000', 'bell\u0007', 'del\u007f', 'c1\u0085', 'x'.repeat(4001), '长'.repeat(4001));
const plausibleTime = fc.constantFrom('2026-02-28T08:00:00Z', '2026-03-01T07:59:00+08:00', '2026-03-01T07:00:00.000Z', '2026-03-05T00:00:00Z');

/**
 * A value the schema would accept, or nearly: real ids, amounts and times,
 * enum members, sizes within bounds — so that the request gets past
 * validation to the rules and guards behind it, where one field in eight is
 * still hostile.
 */
function plausible(schema: any, name: string, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return hostileValue;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((v: unknown) => plausible(v, name, depth + 1)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      if (isIdField(name)) return fc.constantFrom(...idsFor(name));
      if (AMOUNT_FIELDS.test(name)) return plausibleAmount;
      if (schema.format === 'date-time' || name.endsWith('_at')) return plausibleTime;
      return fc.oneof({ weight: 6, arbitrary: fc.constantFrom('骑手小李', 'fuzz', '志愿服务', 'a reason given', 'line\nbreak\ttab') }, { weight: 1, arbitrary: hostileText });
    case 'integer':
    case 'number':
      return fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: Math.max(schema.minimum ?? -5, -5), max: Math.min(schema.maximum ?? 50, 50) }) },
        // The schema's own bounds and one past each.
        { weight: 1, arbitrary: fc.constantFrom(...[schema.minimum, schema.maximum].filter((b) => typeof b === 'number').flatMap((b: number) => [b - 1, b, b + 1]), 2 ** 53) },
      );
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(plausible(schema.items, name.replace(/s$/, ''), depth + 1), { minLength: Math.min(schema.minItems ?? 0, 3), maxLength: 3 });
    case 'object': {
      const props = Object.entries<any>(schema.properties ?? {});
      if (!props.length) return fc.dictionary(fc.constantFrom('zh', 'en', 'x'), plausible({ type: 'string' }, name, depth + 1), { maxKeys: 2 });
      const fields = props.map(([key, sub]) => [key, fc.oneof({ weight: 7, arbitrary: plausible(sub, key, depth + 1) }, { weight: 1, arbitrary: hostileValue })] as const);
      return fc.record(Object.fromEntries(fields), { requiredKeys: (schema.required ?? []).filter((k: string) => props.some(([p]) => p === k)) });
    }
    default:
      return hostileValue;
  }
}

/** A body: nearly valid, or every field hostile, sometimes with strangers; or not an object at all. */
function bodyArb(route: OpenApiRoute): fc.Arbitrary<unknown> {
  const props = propertiesOf(route.body).filter((p) => !p.startsWith('claims[].'));
  const nested = propertiesOf(route.body).filter((p) => p.startsWith('claims[].')).map((p) => p.slice(9));
  const record = fc.record(Object.fromEntries(props.map((p) => [p, field(p)])), { requiredKeys: [] });
  const withNested = nested.length
    ? fc.tuple(record, fc.array(fc.record(Object.fromEntries(nested.map((p) => [p, field(p)])), { requiredKeys: [] }), { maxLength: 4 })).map(([b, claims]) => ({ ...b, claims }))
    : record;
  return fc.oneof(
    { weight: 8, arbitrary: plausible(route.body, '') },
    { weight: 4, arbitrary: withNested },
    { weight: 2, arbitrary: fc.tuple(withNested, fc.dictionary(fc.string({ maxLength: 12 }), hostileValue, { minKeys: 1, maxKeys: 3 })).map(([a, b]) => ({ ...b, ...(a as object) })) },
    { weight: 1, arbitrary: hostileValue },
  );
}

/** The text sent: usually the JSON of the body, sometimes broken or pathological JSON. */
const rawText = (body: unknown) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(JSON.stringify(body) ?? 'null') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '{"amount": ',
        '{"a":1}{"b":2}',
        '\ufeff{}',
        '{"org_id":"x","org_id":"y"}',
        "{'single':'quotes'}",
        '{"n": NaN}',
        '{"n": Infinity}',
        '{"n": 1e999999}',
        `{"deep": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
        `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
        `{"wide": [${Array.from({ length: 20_000 }, () => '0').join(',')}]}`,
        '\u0000',
        '',
      ),
    },
  );

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constantFrom('application/json; charset=utf-16', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-patch+json', 'application/jsonx', '', 'application/json\r\nX-Injected: 1'.replace(/\r\n/, ' ')) },
);
const idempotencyKey = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('k-1', 'a'.repeat(255), 'a'.repeat(256), 'has space', 'caf\u00e9', '\t', 'k\u007f') },
);

/** A query string: the route's parameters and strangers, hostile values, sometimes repeated. */
function queryArb(route: OpenApiRoute) {
  const names = route.params.filter((p) => p.in === 'query').map((p) => p.name).concat(['limit', 'cursor', 'format', 'x']);
  return fc.array(fc.tuple(fc.constantFrom(...names), fc.oneof(hostileString, hostileNumber.map(String), fc.constantFrom(...ids))), { maxLength: 4 });
}

function expectHandled(res: Answer, label: string) {
  tally.requests++;
  tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
  expect(res.status, `${label} → ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.text).not.toMatch(/SqliteError|D1_ERROR|SQLITE_|at [\w.<>]+ \(|\.ts:\d+/);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), label).toBe('application/problem+json');
    expect(res.body, label).toMatchObject({ status: res.status, code: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  }
}

describe('hostile input on every route of /openapi.json', () => {
  it('never answers 5xx, refuses with problem+json, and a refusal changes nothing', async () => {
    for (const [index, route] of routes.entries()) {
      const pathParams = route.params.filter((p) => p.in === 'path').map((p) => p.name);
      const requestArb = fc.record({
        method: fc.oneof({ weight: 9, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') }),
        role: fc.constantFrom(...route.roles),
        path: fc.tuple(...pathParams.map(() => fc.oneof(fc.constantFrom(...ids), hostileString.filter((s) => s.length > 0)))),
        query: queryArb(route),
        text: bodyArb(route).chain(rawText),
        contentType,
        key: idempotencyKey,
      });
      await fc.assert(
        fc.asyncProperty(requestArb, async (q) => {
          const before = await fingerprint();
          const path = fillPath(route.template, Object.fromEntries(pathParams.map((name, i) => [name, String(q.path[i])])));
          const query = q.query.length ? `?${q.query.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join('&')}` : '';
          const headers: Record<string, string> = { 'content-type': q.contentType };
          if (q.key !== undefined) headers['idempotency-key'] = q.key;
          const res = await h.call(q.method, path + query, { token: tokens[q.role], headers, ...(q.method === 'GET' ? {} : { raw: q.text }) });
          expectHandled(res, `${q.method} ${path}${query.slice(0, 200)}`);
          if (res.status >= 400) {
            tally.refused++;
            expect(await fingerprint(), `${q.method} ${path}: refused with ${res.status} yet the ledger changed`).toBe(before);
          } else tally.accepted++;
        }),
        { seed: SEED + index, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      await expectLedgerVerifies(`${route.method} ${route.template}`);
    }
    await expectSoundLedger(h, tokens.admin);
    // Every route of the document, in one test: on D1 under a busy machine it
    // took longer than the default minute (Node 26 run beside other suites),
    // and 434 s with 83 routes on two loaded cores. A guard, not a timing.
  }, 900_000);

  it('refuses a body over the configured limit with 413 on every write route, and writes nothing', async () => {
    const limit = h.deps.bodyLimit;
    const huge = JSON.stringify({ reason: 'x'.repeat(limit), name: 'n', amount: '1' });
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      const before = await fingerprint();
      const path = fillPath(route.template, () => ids[0]!);
      // A spreadsheet and an evidence image have limits of their own, far above the JSON bodies'.
      const sheet = route.mediaType === 'text/csv';
      const photo = route.mediaType?.startsWith('image/') === true;
      const raw = sheet ? 'x'.repeat(IMPORT_BODY_LIMIT + 1) : photo ? new Uint8Array(EVIDENCE_MAX_BYTES + 1) : huge;
      const type = sheet || photo ? route.mediaType! : 'application/json';
      const res = await h.call(route.method, path, { token: tokens[route.roles[0]!], raw, headers: { 'content-type': type } });
      expectHandled(res, `oversize ${route.method} ${path}`);
      expect(res.status, `${route.method} ${route.template}`).toBe(413);
      expect(res.body.code).toBe(photo ? 'evidence_too_large' : 'payload_too_large');
      expect(await fingerprint()).toBe(before);
      tally.tooLarge++;
    }
    const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    console.log(
      `hostile input (${h.backend}): ${routes.length} routes, ${tally.requests} requests (${tally.refused} refused with the ledger unchanged, ${tally.accepted} accepted, ${tally.tooLarge} oversize → 413); statuses ${statuses}; no 5xx`,
    );
  });
});
