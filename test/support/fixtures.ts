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
  return res.body as { id: string; account_id: string };
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

/** Everything that should not change when a request is refused. */
export async function ledgerSnapshot(h: Harness) {
  const [accounts, txs, holds, resolutions, members, orgs] = await Promise.all([
    h.sql.all('SELECT id, posted, held FROM accounts ORDER BY id'),
    h.sql.all('SELECT count(*) AS n, max(seq) AS head FROM transactions'),
    h.sql.all('SELECT count(*) AS n FROM holds'),
    h.sql.all('SELECT count(*) AS n FROM hold_resolutions'),
    h.sql.all('SELECT count(*) AS n FROM members'),
    h.sql.all('SELECT count(*) AS n FROM orgs'),
  ]);
  return { accounts, txs, holds, resolutions, members, orgs };
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
 * Every row of every table (but the migrations' own), so "nothing changed"
 * cannot pass while a table nobody thought of changed.
 */
export async function everyTable(h: Harness): Promise<Record<string, string[]>> {
  const tables = await h.sql.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
  );
  const snapshot: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await h.sql.all(`SELECT * FROM "${name}"`);
    snapshot[name] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}
