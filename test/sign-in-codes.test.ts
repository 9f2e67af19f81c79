import { beforeEach, describe, expect, it } from 'vitest';
import { base64url } from 'jose';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { member, programme, stateFingerprint } from './support/fixtures.js';
import { hashSignInCode, canonicalSignInCode } from '../src/enrolment/sign-in-code.js';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config/schema.js';
import { TEST_SECRET } from './support/harness-core.js';

// Enrolment without a server shell: an admin or an organizer in scope makes a
// one-time sign-in code; a phone exchanges it once for a session token.

let h: Harness;
let p: Awaited<ReturnType<typeof programme>>;
let rider: { id: string; account_id: string };
let organizer: string;
let outsider: string;

beforeEach(async () => {
  h = await createHarness();
  p = await programme(h);
  rider = await member(h, p.admin, p.community.id, { display_name: '张师傅' });
  organizer = await h.token('organizer', { sub: 'organizer-wang', org_id: p.street.id });
  outsider = await h.token('organizer', { sub: 'organizer-zhao', org_id: p.otherDistrict.id });
});

const DAY = 86_400_000;
const issue = (token: string, memberId = rider.id, headers: Record<string, string> = {}) =>
  h.call('POST', `/v1/members/${memberId}/sign-in-codes`, { token, headers });
const signIn = (code: string, headers: Record<string, string> = {}) => h.call('POST', '/v1/sign-in', { body: { code }, headers });
const codeRows = () => h.sql.all<Record<string, unknown>>('SELECT * FROM sign_in_codes ORDER BY id');
const uses = () => h.sql.all<Record<string, unknown>>('SELECT * FROM sign_in_code_uses');

describe('making a sign-in code', () => {
  it('gives an admin the code once, its link and QR code, its expiry and the member’s name; only a hash is kept', async () => {
    const res = await issue(p.admin);
    expect(res.status, res.text).toBe(201);
    const body = res.body;
    expect(body).toMatchObject({ member_id: rider.id, display_name: '张师傅', status: 'active', used_at: null, revoked_at: null, created_by: 'admin:admin-1' });
    expect(body.code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(body.url).toBe(`http://localhost/app/sign-in#code=${body.code.replace(/-/g, '')}`);
    expect(body.qr_svg).toMatch(/^<svg/);
    expect(Date.parse(body.expires_at) - h.clock.now().getTime()).toBe(14 * DAY);

    const rows = await codeRows();
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0]);
    const canonical = body.code.replace(/-/g, '');
    expect(stored).not.toContain(canonical);
    expect(stored).not.toContain(body.code);
    expect(rows[0]).toMatchObject({ id: body.id, member_id: rider.id, code_hash: hashSignInCode(canonical) });
    // Nowhere else either: not in any table.
    const everything = JSON.stringify(await stateFingerprint(h, { withRefusalRecords: true }));
    expect(everything).not.toContain(canonical);
  });

  it('keeps no plaintext under an Idempotency-Key: a replay names the code but does not show it again', async () => {
    const first = await issue(p.admin, rider.id, { 'Idempotency-Key': 'card-1' });
    expect(first.status).toBe(201);
    const again = await issue(p.admin, rider.id, { 'Idempotency-Key': 'card-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toMatchObject({ id: first.body.id, code: null, url: null, qr_svg: null });
    expect(await codeRows()).toHaveLength(1);
    const keys = JSON.stringify(await h.sql.all('SELECT * FROM idempotency_keys'));
    expect(keys).toContain(first.body.id);
    expect(keys).not.toContain(first.body.code.replace(/-/g, ''));
  });

  it('lets an organizer make one for a member in its subtree, and refuses one outside it, a worker and an unknown member', async () => {
    expect((await issue(organizer)).status).toBe(201);
    const outside = await issue(outsider);
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe('forbidden');
    const worker = await issue(await h.token('worker', { member_id: rider.id }));
    expect(worker.status).toBe(403);
    const unknown = await issue(p.admin, 'mem_nobody');
    expect(unknown.status).toBe(404);
    expect((await codeRows()).map((r) => r.actor)).toEqual(['organizer:organizer-wang']);
  });
});

describe('exchanging a code', () => {
  it('gives a session once: it works on GET /v1/me for that member; a second exchange is refused', async () => {
    const { code } = (await issue(p.admin)).body;
    const res = await signIn(code);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', member: { id: rider.id, display_name: '张师傅' } });
    expect(Date.parse(res.body.expires_at) - h.clock.now().getTime()).toBe(30 * DAY);
    const me = await h.call('GET', '/v1/me', { token: res.body.token });
    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({ id: rider.id, display_name: '张师傅' });
    // A worker, and only this one: another member's account is refused.
    const other = await member(h, p.admin, p.community.id);
    expect((await h.call('GET', `/v1/accounts/${other.account_id}`, { token: res.body.token })).status).toBe(403);
    expect((await h.call('GET', '/v1/audit/trial-balance', { token: res.body.token })).status).toBe(403);

    const before = await stateFingerprint(h);
    const second = await signIn(code);
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toBe('application/problem+json');
    expect(second.body.code).toBe('sign_in_code_used');
    expect(await stateFingerprint(h)).toEqual(before);
    expect(await uses()).toHaveLength(1);

    const list = await h.call('GET', `/v1/members/${rider.id}/sign-in-codes`, { token: organizer });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ status: 'used', used_at: h.clock.now().toISOString() })]);
    expect(JSON.stringify(list.body)).not.toContain(code.replace(/-/g, ''));
  });

  it('accepts the code as typed: lower case, spaces, O for 0 and I or L for 1', async () => {
    const { code } = (await issue(p.admin)).body;
    const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect((await signIn(typed)).status).toBe(200);
  });

  it('answers a retry with the same Idempotency-Key with the same token, and nobody else', async () => {
    const { code } = (await issue(p.admin)).body;
    const first = await signIn(code, { 'Idempotency-Key': 'phone-1' });
    expect(first.status).toBe(200);
    h.clock.advance(5_000);
    const retry = await signIn(code, { 'Idempotency-Key': 'phone-1' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await signIn(code, { 'Idempotency-Key': 'phone-2' })).body.code).toBe('sign_in_code_used');
    expect((await signIn(code)).body.code).toBe('sign_in_code_used');
    // The token is not stored anywhere: it is signed again from the use row.
    expect(JSON.stringify(await stateFingerprint(h, { withRefusalRecords: true }))).not.toContain(first.body.token);
  });

  it('refuses an expired code (the test clock) and a revoked one, in plain words', async () => {
    const expiring = (await issue(p.admin)).body;
    const revoked = (await issue(organizer)).body;
    const rev = await h.call('POST', `/v1/members/${rider.id}/sign-in-codes/${revoked.id}/revoke`, { token: organizer, body: { reason: '卡丢了' } });
    expect(rev.status, rev.text).toBe(201);
    expect(rev.body).toMatchObject({ id: revoked.id, status: 'revoked', reason: '卡丢了' });
    const twice = await h.call('POST', `/v1/members/${rider.id}/sign-in-codes/${revoked.id}/revoke`, { token: organizer });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('sign_in_code_already_revoked');

    const gone = await signIn(revoked.code);
    expect(gone.status).toBe(410);
    expect(gone.body.code).toBe('sign_in_code_revoked');

    h.clock.advance(14 * DAY - 1000);
    const list = await h.call('GET', `/v1/members/${rider.id}/sign-in-codes`, { token: p.admin });
    expect(list.body.items.map((c: any) => [c.id, c.status])).toEqual([[revoked.id, 'revoked'], [expiring.id, 'active']]);
    h.clock.advance(1000);
    const late = await signIn(expiring.code);
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('sign_in_code_expired');
    expect(late.body.detail).toMatch(/expired/);
    const after = await h.call('GET', `/v1/members/${rider.id}/sign-in-codes?limit=1`, { token: p.admin });
    expect(after.body.items.map((c: any) => c.status)).toEqual(['revoked']);
    const next = await h.call('GET', `/v1/members/${rider.id}/sign-in-codes?limit=1&cursor=${after.body.next_cursor}`, { token: p.admin });
    expect(next.body).toMatchObject({ items: [{ id: expiring.id, status: 'expired' }], next_cursor: null });
    expect(await uses()).toEqual([]);
  });

  it('refuses unknown and malformed codes with 404 or 400, writing nothing', async () => {
    await issue(p.admin);
    const before = await stateFingerprint(h, { withRefusalRecords: true });
    const unknown = await signIn('ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('sign_in_code_unknown');
    expect((await signIn('not a code')).body.code).toBe('sign_in_code_unknown');
    for (const body of [{}, { code: 42 }, { code: 'x'.repeat(101) }, { code: 'A', extra: 1 }]) {
      const res = await h.call('POST', '/v1/sign-in', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await h.call('POST', '/v1/sign-in', { raw: '{"code":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await h.call('POST', '/v1/sign-in', { raw: 'code=1', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await h.call('POST', '/v1/sign-in', { body: { code: 'A' }, headers: { 'Idempotency-Key': 'two words' } })).body.code).toBe('invalid_idempotency_key');
    expect(await stateFingerprint(h, { withRefusalRecords: true })).toEqual(before);
  });

  it('gives exactly one session for 10 concurrent exchanges of one code', async () => {
    const { code } = (await issue(p.admin)).body;
    const answers = await Promise.all(Array.from({ length: 10 }, () => signIn(code)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'sign_in_code_used')).toBe(true);
    expect(await uses()).toHaveLength(1);
  });

  it('gives exactly one session for 10 exchanges from separate writers at once', async () => {
    // Another executor over the same database, as a second process or isolate would be: the guard is the schema's.
    const { code } = (await issue(p.admin)).body;
    const id = (await codeRows())[0]!.id as string;
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        h.newExecutor().write(() => ({
          statements: [
            h.deps.db
              .insertInto('sign_in_code_uses')
              .values({ code_id: id, member_id: rider.id, retry_key_hash: null, session_expires_at: '2026-04-01T00:00:00.000Z', created_at: `2026-03-01T08:00:0${i}.000Z` })
              .compile(),
          ],
          result: i,
        })),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await uses()).toHaveLength(1);
    expect((await signIn(code)).body.code).toBe('sign_in_code_used');
  });
});

describe('the session', () => {
  it('is refused after its lifetime', async () => {
    const { token } = (await signIn((await issue(p.admin)).body.code)).body;
    h.clock.advance(30 * DAY - 1000);
    expect((await h.call('GET', '/v1/me', { token })).status).toBe(200);
    h.clock.advance(1000);
    const late = await h.call('GET', '/v1/me', { token });
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('unauthorized');
  });

  it('ends at once when its code is revoked after use', async () => {
    const issued = (await issue(organizer)).body;
    const { token } = (await signIn(issued.code)).body;
    expect((await h.call('GET', '/v1/me', { token })).status).toBe(200);
    const rev = await h.call('POST', `/v1/members/${rider.id}/sign-in-codes/${issued.id}/revoke`, { token: organizer });
    expect(rev.status).toBe(201);
    expect(rev.body).toMatchObject({ status: 'revoked', used_at: expect.any(String) });
    const after = await h.call('GET', '/v1/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('session_ended');
  });

  it('is the service’s own: a forged or altered one is refused', async () => {
    const { token } = (await signIn((await issue(p.admin)).body.code)).body;
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!)));
    const forged = `${header}.${base64url.encode(JSON.stringify({ ...claims, role: 'admin' }))}.${signature}`;
    expect((await h.call('GET', '/v1/audit/trial-balance', { token: forged })).status).toBe(401);
    const other = await member(h, p.admin, p.community.id);
    const someoneElse = `${header}.${base64url.encode(JSON.stringify({ ...claims, member_id: other.id, sub: other.id }))}.${signature}`;
    expect((await h.call('GET', '/v1/me', { token: someoneElse })).status).toBe(401);
    // Signed with the deployment's shared secret instead of the session key: not a session.
    const { mintToken } = await import('../src/auth/mint.js');
    const { TEST_SECRET } = await import('./support/harness-core.js');
    const wrongKey = await mintToken(TEST_SECRET, { role: 'worker', member_id: rider.id, issuer: 'jifen/sign-in', audience: 'jifen' }, h.clock.now());
    const withSessionKid = `${base64url.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'jifen-session-1' }))}.${wrongKey.split('.')[1]}.${wrongKey.split('.')[2]}`;
    expect((await h.call('GET', '/v1/me', { token: withSessionKid })).status).toBe(401);
    expect(canonicalSignInCode('short')).toBeNull();
  });
});

describe('settings', () => {
  it('reads the code and session lifetimes and the public origin from the environment', () => {
    const base = { JIFEN_JWT_SECRET: TEST_SECRET };
    expect(parseConfig(base).programme).toMatchObject({ signInCodeTtlDays: 14, sessionTtlHours: 720 });
    expect(parseConfig(base).publicUrl).toBeUndefined();
    const set = parseConfig({ ...base, JIFEN_SIGN_IN_CODE_TTL_DAYS: '3', JIFEN_SESSION_TTL_HOURS: '12', JIFEN_PUBLIC_URL: 'https://jifen.example.org/' });
    expect(set.programme).toMatchObject({ signInCodeTtlDays: 3, sessionTtlHours: 12 });
    expect(set.publicUrl).toBe('https://jifen.example.org');
    expect(() => parseConfig({ ...base, JIFEN_PUBLIC_URL: 'ftp://x' })).toThrow(/JIFEN_PUBLIC_URL/);
    expect(() => parseConfig({ ...base, JIFEN_SIGN_IN_CODE_TTL_DAYS: '0' })).toThrow(/JIFEN_SIGN_IN_CODE_TTL_DAYS/);
  });

  it('makes codes and sessions of the configured lifetimes, with links to the public origin', async () => {
    const deps = { ...h.deps, publicUrl: 'https://jifen.example.org', programme: { ...h.deps.programme, signInCodeTtlDays: 2, sessionTtlHours: 1 } };
    const app = createApp(deps);
    const res = await app.request(`/v1/members/${rider.id}/sign-in-codes`, { method: 'POST', headers: { authorization: `Bearer ${p.admin}` } });
    const issued = (await res.json()) as { code: string; url: string; expires_at: string };
    expect(issued.url.startsWith('https://jifen.example.org/app/sign-in#code=')).toBe(true);
    expect(Date.parse(issued.expires_at) - h.clock.now().getTime()).toBe(2 * DAY);
    const session = await app.request('/v1/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: issued.code }) });
    const { token, expires_at } = (await session.json()) as { token: string; expires_at: string };
    expect(Date.parse(expires_at) - h.clock.now().getTime()).toBe(3_600_000);
    h.clock.advance(3_600_000);
    expect((await h.call('GET', '/v1/me', { token })).status).toBe(401);
  });
});
