import { beforeEach, describe, expect, it } from 'vitest';
import { base64url, generateKeyPair, exportJWK } from 'jose';
import { parsePoints } from '../src/ledger/amount.js';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { adjust, allocate, member, programme } from './support/fixtures.js';
import { verifyHistory } from '../src/audit/offline-verify.js';
import type { ExportedTransaction } from '../src/audit/export.js';
import { createServiceSigner } from '../src/auth/signing.js';
import { hashTransaction } from '../src/ledger/hash.js';
import { runScheduledJobs } from '../src/jobs/scheduled.js';

let h: Harness;
let p: Awaited<ReturnType<typeof programme>>;
let auditor: string;
beforeEach(async () => {
  h = await createHarness();
  p = await programme(h);
  auditor = await h.token('auditor', { sub: 'auditor-1' });
});

async function exported(query = '') {
  const res = await h.call('GET', `/v1/audit/export?format=ndjson${query}`, { token: auditor });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/x-ndjson');
  return res.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ExportedTransaction);
}
async function* iterate<T>(items: T[]) {
  yield* items;
}
async function published() {
  return {
    jwks: (await h.call('GET', '/.well-known/jwks.json')).body,
    checkpoints: (await h.call('GET', '/v1/audit/checkpoints', { token: auditor })).body.items,
  };
}

describe('statements', () => {
  it('gives the balance at any past instant, and filters entries by kind', async () => {
    const t0 = h.clock.now().toISOString();
    h.clock.advance(60_000);
    await allocate(h, p.admin, p.community.id, '100');
    const t1 = h.clock.now().toISOString();
    h.clock.advance(60_000);
    const m = await member(h, p.admin, p.community.id);
    await adjust(h, p.admin, [[p.community.budget_account_id, '-30'], [m.account_id, '30']]);
    const at = (t: string) => h.call('GET', `/v1/accounts/${p.community.budget_account_id}/balance?at=${encodeURIComponent(t)}`, { token: auditor });
    expect((await at(t0)).body).toMatchObject({ posted: '0.00', as_of_seq: null });
    expect((await at(t1)).body).toMatchObject({ posted: '100.00', as_of_seq: 1 });
    expect((await at(h.clock.now().toISOString())).body).toMatchObject({ posted: '70.00', as_of_seq: 2 });
    const kind = await h.call('GET', `/v1/accounts/${p.community.budget_account_id}/entries?kind=budget_allocation`, { token: auditor });
    expect(kind.body.items.map((e: any) => e.amount)).toEqual(['100.00']);
  });
});

describe('audit search', () => {
  it('finds transactions by kind, actor, org subtree, member and time, page by page', async () => {
    await allocate(h, p.admin, p.community.id, '100');
    await allocate(h, p.admin, p.otherDistrict.id, '50');
    const m = await member(h, p.admin, p.community.id);
    const other = await h.token('admin', { sub: 'admin-2' });
    await adjust(h, other, [[p.community.budget_account_id, '-5'], [m.account_id, '5']]);
    const search = async (q: string) => (await h.call('GET', `/v1/audit/transactions?${q}`, { token: auditor })).body;
    expect((await search('kind=budget_allocation')).items.map((t: any) => t.seq)).toEqual([2, 1]);
    expect((await search('actor=admin:admin-2')).items.map((t: any) => t.seq)).toEqual([3]);
    expect((await search(`org_id=${p.street.id}`)).items.map((t: any) => t.seq)).toEqual([3, 1]);
    expect((await search(`member_id=${m.id}`)).items.map((t: any) => t.seq)).toEqual([3]);
    expect((await search(`to=${encodeURIComponent(h.clock.now().toISOString())}`)).items).toEqual([]);
    const first = await search('limit=2');
    expect(first.items.map((t: any) => t.seq)).toEqual([3, 2]);
    expect((await search(`limit=2&cursor=${first.next_cursor}`)).items.map((t: any) => t.seq)).toEqual([1]);
  });
});

describe('signed checkpoints', () => {
  it('verify offline against the published key, and catch history rewritten after them', async () => {
    await allocate(h, p.admin, p.community.id, '100');
    const m = await member(h, p.admin, p.community.id);
    for (let i = 1; i <= 4; i++) await adjust(h, p.admin, [[p.community.budget_account_id, `-${i}`], [m.account_id, `${i}`]], `credit ${i}`);
    const first = await h.call('POST', '/v1/audit/checkpoints', { token: p.admin });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ seq: 5 });
    h.clock.advance(1_000);
    await adjust(h, p.admin, [[p.community.budget_account_id, '-7'], [m.account_id, '7']], '和平社区 志愿服务');
    h.clock.advance(1_000);
    await h.call('POST', '/v1/audit/checkpoints', { token: p.admin });
    const latest = await h.call('GET', '/v1/audit/checkpoints/latest', { token: auditor });
    expect(latest.body.seq).toBe(6);

    const { jwks, checkpoints } = await published();
    expect(checkpoints.map((c: any) => c.seq)).toEqual([5, 6]);
    const good = await verifyHistory({ transactions: iterate(await exported()), checkpoints, jwks });
    expect(good).toMatchObject({ ok: true, checked: 6, checkpoints_verified: 2, latest_checkpoint_seq: 6 });

    // A forger with database access rewrites seq 3 and recomputes every hash after it, so the chain is
    // self-consistent and /v1/audit/verify passes — but the signed checkpoints no longer match.
    await h.sql.exec('DROP TRIGGER transactions_no_update');
    const txs = await exported();
    let prev = txs[1]!.hash;
    for (const tx of txs.slice(2)) {
      const memo = tx.seq === 3 ? 'rewritten' : tx.memo;
      const hash = hashTransaction(prev, { ...tx, memo, postings: tx.postings.map((x) => ({ account_id: x.account_id, amount: parsePoints(x.amount) })) });
      await h.sql.exec(`UPDATE transactions SET memo = '${memo}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${tx.seq}`);
      prev = hash;
    }
    expect((await h.call('GET', '/v1/audit/verify', { token: auditor })).body.ok).toBe(true);
    const caught = await verifyHistory({ transactions: iterate(await exported()), checkpoints, jwks });
    expect(caught).toMatchObject({ ok: false, first_bad_seq: 5 });
    expect(caught.failure).toMatch(/checkpoint/);
  });

  it('refuses forged or altered checkpoints', async () => {
    await allocate(h, p.admin, p.community.id, '10');
    await h.call('POST', '/v1/audit/checkpoints', { token: p.admin });
    const { jwks, checkpoints } = await published();
    const history = await exported();
    const altered = checkpoints.map((c: any) => ({ ...c, hash: 'f'.repeat(64) }));
    expect((await verifyHistory({ transactions: iterate(history), checkpoints: altered, jwks })).ok).toBe(false);
    const [header, , signature] = checkpoints[0].jws.split('.');
    const payload = base64url.encode(JSON.stringify({ seq: 1, hash: 'f'.repeat(64), issued_at: checkpoints[0].issued_at }));
    const tampered = [{ ...checkpoints[0], hash: 'f'.repeat(64), jws: `${header}.${payload}.${signature}` }];
    expect((await verifyHistory({ transactions: iterate(history), checkpoints: tampered, jwks })).failure).toMatch(/does not verify/);
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const impostor = await createServiceSigner(await exportJWK(privateKey));
    const issued_at = new Date().toISOString();
    const forged = [{ seq: 1, hash: history[0]!.hash, issued_at, jws: impostor.sign({ seq: 1, hash: history[0]!.hash, issued_at }, 'jifen-checkpoint+jwt') }];
    expect((await verifyHistory({ transactions: iterate(history), checkpoints: forged, jwks })).failure).toMatch(/does not verify/);
    await expect(h.sql.exec(`INSERT INTO checkpoints VALUES ('chk_x', 1, '${'f'.repeat(64)}', 'x', 'x', 'x')`)).rejects.toThrow(/checkpoint_mismatch/);
  });

  it('are signed by the scheduler when the head moved', async () => {
    await allocate(h, p.admin, p.community.id, '10');
    await runScheduledJobs(h.deps);
    expect((await h.call('GET', '/v1/audit/checkpoints/latest', { token: auditor })).body.seq).toBe(1);
    await runScheduledJobs(h.deps); // head unchanged: nothing new
    expect((await h.call('GET', '/v1/audit/checkpoints', { token: auditor })).body.items).toHaveLength(1);
  });
});

describe('exports', () => {
  it('stream NDJSON by range, and CSV that spreadsheets open with Chinese intact', async () => {
    await allocate(h, p.admin, p.community.id, '100');
    const m = await member(h, p.admin, p.community.id);
    await adjust(h, p.admin, [[p.community.budget_account_id, '-12.5'], [m.account_id, '12.5']], '志愿服务, "文明交通"');
    expect((await exported()).map((t) => t.seq)).toEqual([1, 2]);
    expect((await exported('&from_seq=2')).map((t) => t.seq)).toEqual([2]);
    const csv = await h.app.request('/v1/audit/export?format=csv', { headers: { authorization: `Bearer ${auditor}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: spreadsheets then read the Chinese right
    const rows = new TextDecoder().decode(bytes).trimEnd().split('\r\n');
    expect(rows[0]).toBe('seq,transaction_id,kind,created_at,actor,memo,ref_type,ref_id,reverses_id,account_id,amount,prev_hash,hash');
    expect(rows).toHaveLength(5);
    expect(rows[3]).toContain('"志愿服务, ""文明交通"""');
    expect(rows.slice(1).some((r) => r.includes(`${m.account_id},12.50,`))).toBe(true);
  });

  it('take a seq range in either format, name the file by it, and refuse a range that ends before it starts', async () => {
    await allocate(h, p.admin, p.community.id, '100');
    const m = await member(h, p.admin, p.community.id);
    for (const amount of ['1', '2.5', '3']) await adjust(h, p.admin, [[p.community.budget_account_id, `-${amount}`], [m.account_id, amount]], `第${amount}笔`);
    const head = (await h.call('GET', '/health')).body.head_seq as number;
    expect(head).toBe(4);
    const get = (query: string) => h.app.request(`/v1/audit/export?${query}`, { headers: { authorization: `Bearer ${auditor}` } });
    const nd = await get('format=ndjson&from_seq=2&to_seq=3');
    expect(nd.headers.get('content-disposition')).toBe('attachment; filename="jifen-ledger-2-3.ndjson"');
    const txs = (await nd.text()).trim().split('\n').map((l) => JSON.parse(l) as ExportedTransaction);
    expect(txs.map((t) => t.seq)).toEqual([2, 3]);
    expect(txs.map((t) => t.postings.find((x) => x.account_id === m.account_id)?.amount)).toEqual(['1.00', '2.50']);
    // The same range as CSV: one row a posting, the same seqs and amounts.
    const csv = await get('format=csv&from_seq=2&to_seq=3');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="jifen-ledger-2-3.csv"');
    const rows = (await csv.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n').slice(1).map((r) => r.split(','));
    expect(rows.map((r) => r[0])).toEqual(['2', '2', '3', '3']);
    expect(rows.filter((r) => r[9] === m.account_id).map((r) => r[10])).toEqual(['1.00', '2.50']);
    // to_seq past the head stops at the head; the defaults are the whole ledger.
    expect((await get('format=ndjson&from_seq=3&to_seq=99')).headers.get('content-disposition')).toContain('jifen-ledger-3-4.ndjson');
    expect((await get('format=csv')).headers.get('content-disposition')).toContain('jifen-ledger-1-4.csv');
    const backwards = await h.call('GET', '/v1/audit/export?format=csv&from_seq=3&to_seq=2', { token: auditor });
    expect(backwards.status).toBe(400);
    expect(backwards.headers.get('content-type')).toContain('application/problem+json');
    expect(backwards.body.errors).toEqual([expect.objectContaining({ path: 'query.from_seq' })]);
    expect((await get('format=ndjson&from_seq=0')).status).toBe(400);
    // Exporting wrote nothing: the ledger still ends at seq 4 and balances.
    expect((await h.call('GET', '/health')).body.head_seq).toBe(4);
    expect((await h.call('GET', '/v1/audit/trial-balance', { token: auditor })).body).toMatchObject({ balanced: true, total: '0.00' });
  });
});
