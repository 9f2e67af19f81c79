import { expect } from 'vitest';
import type { Harness } from './harness-core.js';

/** A small programme: a city, a district, a street and a community, with an admin token. */
export async function programme(h: Harness) {
  const admin = await h.token('admin', { sub: 'admin-1' });
  const org = async (name: string, kind: string, parent_id?: string) => {
    const res = await h.call('POST', '/v1/orgs', { token: admin, body: { name, kind, ...(parent_id ? { parent_id } : {}) } });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; budget_account_id: string; path: string };
  };
  const city = await org('湘潭市', 'city');
  const district = await org('岳塘区', 'district', city.id);
  const street = await org('建设路街道', 'street', district.id);
  const community = await org('和平社区', 'community', street.id);
  const otherDistrict = await org('雨湖区', 'district', city.id);
  return { admin, city, district, street, community, otherDistrict, org };
}

/** Registers a member under `home_org_id` and returns it. */
export async function member(h: Harness, token: string, home_org_id: string, extra: Record<string, unknown> = {}) {
  const res = await h.call('POST', '/v1/members', {
    token,
    body: { home_org_id, display_name: '骑手', platform: 'delivery', ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; account_id: string; member_no: string };
}

/** Allocates budget to an org. */
export async function allocate(h: Harness, token: string, org_id: string, amount: string) {
  const res = await h.call('POST', '/v1/budget-allocations', { token, body: { org_id, amount } });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** Posts an admin adjustment. */
export function adjust(h: Harness, token: string, postings: Array<[string, string]>, reason = 'test correction') {
  return h.call('POST', '/v1/adjustments', {
    token,
    body: { reason, postings: postings.map(([account_id, amount]) => ({ account_id, amount })) },
  });
}

/** Asserts the ledger is sound through the API: trial balance zero and the chain and balances verify. */
export async function expectSoundLedger(h: Harness, token: string) {
  const tb = await h.call('GET', '/v1/audit/trial-balance', { token });
  expect(tb.status).toBe(200);
  expect(tb.body.total).toBe('0.00');
  expect(tb.body.balanced).toBe(true);
  const v = await h.call('GET', '/v1/audit/verify', { token });
  expect(v.status).toBe(200);
  expect(v.body, JSON.stringify(v.body)).toMatchObject({ ok: true, balance_mismatches: [] });
  const negatives = await h.sql.all('SELECT id FROM accounts WHERE no_overdraft = 1 AND posted - held < 0');
  expect(negatives).toEqual([]);
  return v.body as { checked: number };
}

/**
 * Tables that record a refusal by design, so a refused request legitimately writes them:
 * - idempotency_keys: a refused request sent with an Idempotency-Key stores its answer, to replay it;
 * - redeem_failures, redeem_failure_counts: a wrong redeem code is counted, to lock out guessing;
 * - control_refusals: a refused control (audit, scheduled job) is logged for the auditor.
 */
const RECORDS_REFUSALS = new Set(['idempotency_keys', 'redeem_failures', 'redeem_failure_counts', 'control_refusals']);

/**
 * Every row of every table of the schema (but the migrations' own), so "nothing changed"
 * cannot pass while a table nobody thought of changed; a new table is covered without a line here.
 * The tables that record refusals are left out unless `withRefusalRecords` asks for them.
 */
export async function stateFingerprint(h: Harness, { withRefusalRecords = false } = {}): Promise<Record<string, string[]>> {
  const tables = await h.sql.all<{ name: string }>(
    h.backend === 'postgres'
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'jifen_migrations' ORDER BY table_name"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
  );
  // Guards the query itself: an empty list would make every comparison pass.
  expect(tables.length).toBeGreaterThan(10);
  const fingerprint: Record<string, string[]> = {};
  for (const { name } of tables) {
    if (!withRefusalRecords && RECORDS_REFUSALS.has(name)) continue;
    const rows = await h.sql.all(`SELECT * FROM "${name}"`);
    fingerprint[name] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return fingerprint;
}
