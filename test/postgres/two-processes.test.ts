import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { mintToken } from '../../src/auth/mint.js';
import type { Role } from '../../src/auth/caller.js';
import { openPool } from '../../src/db/postgres.js';
import { ADVISORY_LOCKS } from '../../src/db/migrate-postgres.js';
import { withAdvisoryLock } from '../../src/entry/node-deps.js';
import { databaseUrl, freshDatabase } from '../support/harness-postgres.js';
import { startNodeService } from '../node/support/node-service.js';

// Two service processes (`npm start`'s command) on one PostgreSQL database,
// written through at once: races keep one winner across processes, a key is
// answered once whichever process gets it, the chain stays contiguous, and a
// scheduled sweep runs in one process at a time.
const secret = 'two-processes-secret-two-processes-secret-01';
let url = '';
let dir = '';
const services: ChildProcess[] = [];
const bases: string[] = [];
const token = (role: Role, scope: Record<string, string> = {}) => mintToken(secret, { role, sub: `${role}-two`, ...scope, issuer: 'jifen', audience: 'jifen', ttl: '1h' });

beforeAll(async () => {
  url = databaseUrl(await freshDatabase());
  dir = mkdtempSync(join(tmpdir(), 'jifen-two-'));
  const key = JSON.stringify(await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey));
  const env = { JIFEN_DATABASE_URL: url, JIFEN_JWT_SECRET: secret, JIFEN_SIGNING_KEY: key, JIFEN_JOBS_INTERVAL_SECONDS: '0' };
  // One after the other: the second finds the schema migrated by the first (or waits on its lock).
  for (const name of ['a', 'b']) {
    const started = startNodeService(join(dir, name), env);
    services.push(started.child);
    bases.push((await started.url).replace('localhost', '127.0.0.1'));
  }
}, 60_000);
afterAll(() => {
  services.forEach((s) => s.kill('SIGKILL'));
  rmSync(dir, { recursive: true, force: true });
});

async function call(i: number, method: string, path: string, bearer: string, body?: unknown, key?: string) {
  const res = await fetch(`${bases[i % 2]}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}), ...(key ? { 'idempotency-key': key } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, text: await res.text(), replayed: res.headers.get('idempotent-replayed') === 'true' };
}
const json = (answer: { text: string }) => JSON.parse(answer.text);

describe('two service processes on one PostgreSQL database', () => {
  it('keep one winner per race, answer a key once, and keep the chain contiguous', async () => {
    const admin = await token('admin');
    const auditor = await token('auditor');
    const city = json(await call(0, 'POST', '/v1/orgs', admin, { name: '湘潭市', kind: 'city' }));
    const district = json(await call(1, 'POST', '/v1/orgs', admin, { name: '岳塘区', kind: 'district', parent_id: city.id }));
    const street = json(await call(0, 'POST', '/v1/orgs', admin, { name: '建设路街道', kind: 'street', parent_id: district.id }));
    const community = json(await call(1, 'POST', '/v1/orgs', admin, { name: '和平社区', kind: 'community', parent_id: street.id }));
    const allocation = await call(0, 'POST', '/v1/budget-allocations', admin, { org_id: community.id, amount: '100000' });
    expect(allocation.status, allocation.text).toBe(201);
    const member = json(await call(1, 'POST', '/v1/members', admin, { home_org_id: community.id, display_name: '骑手甲' }));
    const worker = await token('worker', { member_id: member.id });
    const shop = json(await call(0, 'POST', '/v1/merchants', admin, { name: '便利店', org_id: community.id }));
    const till = await token('merchant', { merchant_id: shop.id });
    const reward = json(await call(1, 'POST', `/v1/merchants/${shop.id}/rewards`, till, { kind: 'goods', name: '矿泉水', price: '2' }));

    // 200 credits at once, half through each process.
    const credits = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        call(i, 'POST', '/v1/adjustments', admin, { reason: 'two processes', postings: [{ account_id: community.budget_account_id, amount: '-1.00' }, { account_id: member.account_id, amount: '1.00' }] }, `credit-${i}`),
      ),
    );
    expect(credits.map((c) => c.status)).toEqual(Array(200).fill(201));

    // One key sent to both processes at once, ten times: one transaction, the same bytes every time.
    const same = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(i, 'POST', '/v1/adjustments', admin, { reason: 'one key', postings: [{ account_id: community.budget_account_id, amount: '-5.00' }, { account_id: member.account_id, amount: '5.00' }] }, 'one-key'),
      ),
    );
    expect(new Set(same.map((a) => `${a.status} ${a.text}`)).size).toBe(1);
    expect(same.filter((a) => !a.replayed)).toHaveLength(1);

    // One redeem code presented at both tills at once: one redemption.
    const code = json(await call(0, 'POST', '/v1/me/redeem-codes', worker)).code;
    const tries = await Promise.all(Array.from({ length: 10 }, (_, i) => call(i, 'POST', '/v1/redemptions', till, { redeem_code: code, reward_id: reward.id, quantity: 1 })));
    expect(tries.filter((t) => t.status === 201)).toHaveLength(1);
    expect(tries.filter((t) => t.status !== 201).every((t) => t.status === 409 || t.status === 422)).toBe(true);

    // The ledger through either process: 200 + 1 + 1 transfers and the setup allocation, contiguous and verified.
    const me = json(await call(1, 'GET', '/v1/me', worker));
    expect(me.balance.available).toBe('203.00');
    for (const i of [0, 1]) {
      const verified = json(await call(i, 'GET', '/v1/audit/verify', auditor));
      expect(verified).toMatchObject({ ok: true, from_seq: 1, to_seq: 203, checked: 203, balance_mismatches: [] });
      expect(json(await call(i, 'GET', '/v1/audit/trial-balance', auditor)).total).toBe('0.00');
    }
  }, 120_000);

  it('runs a scheduled sweep in one process at a time (an advisory lock)', async () => {
    const [one, two] = [openPool(url, { max: 2 }), openPool(url, { max: 2 })];
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let ran = 0;
      const first = withAdvisoryLock(one, ADVISORY_LOCKS.jobs, async () => {
        ran++;
        await held;
        return 'first';
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The other process's tick while the first sweep runs is skipped, not queued.
      expect(await withAdvisoryLock(two, ADVISORY_LOCKS.jobs, async () => ++ran)).toBeUndefined();
      release();
      expect(await first).toBe('first');
      expect(await withAdvisoryLock(two, ADVISORY_LOCKS.jobs, async () => 'second')).toBe('second');
      expect(ran).toBe(1);
    } finally {
      await Promise.all([one.end(), two.end()]);
    }
  });
});
