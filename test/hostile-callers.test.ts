import { beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET } from './support/harness-core.js';
import { expectSoundLedger, stateFingerprint, member } from './support/fixtures.js';
import { redemptionProgramme } from './support/redemption.js';
import { fillPath, openapiRoutes, type OpenApiRoute } from './support/openapi.js';
import { jpegWithGps } from './support/evidence-images.js';
import { createApp } from '../src/app.js';
import { createTokenVerifier } from '../src/auth/tokens.js';
import { ROLES } from '../src/auth/caller.js';

// Hostile callers, route by route from /openapi.json (authorization.test.ts
// covers the HS256 deployment's bad tokens and every role not admitted):
// a deployment that trusts an identity provider's RSA keys (JWKS) facing
// HS/RS confusion, foreign and embedded keys; tokens that claim more than
// their role; and ids of another org, merchant or member on every route that
// takes one.

let h: Harness;
let routes: OpenApiRoute[];
const counts = { jwks: 0, elevated: 0, idor: 0 };
beforeAll(async () => {
  h = await createHarness();
  routes = await openapiRoutes(h);
});

const bodyFor = (route: OpenApiRoute) => (route.method === 'GET' ? {} : { body: {} });
const now = () => Math.floor(h.clock.now().getTime() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ role: 'admin', sub: 'mallory', iss: TEST_ISSUER, aud: TEST_AUDIENCE, iat: now(), exp: now() + 600, ...extra });

describe('a deployment that trusts an identity provider (JWKS, RS256)', () => {
  it('accepts its tokens and refuses HS/RS confusion, foreign keys, embedded keys and alg none on every route', async () => {
    const idp = await generateKeyPair('RS256', { extractable: true });
    const published: JWK = { ...(await exportJWK(idp.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    const tokens = createTokenVerifier({ jwks: { keys: [published] }, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, clock: h.clock.now });
    const app = createApp({ ...h.deps, tokens });
    const call = (method: string, path: string, token: string, body?: unknown) =>
      app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

    const genuine = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).sign(idp.privateKey);
    expect((await call('GET', '/v1/audit/trial-balance', genuine)).status).toBe(200);

    const attacker = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(idp.publicKey);
    const hmac = (secret: string, kid = 'idp-1') => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid }).sign(new TextEncoder().encode(secret));
    const hostile: Record<string, string> = {
      hsWithPublicPem: await hmac(pem),
      hsWithPublicJwk: await hmac(JSON.stringify(published)),
      hsWithModulus: await hmac(published.n!),
      hsWithDevSecret: await hmac(TEST_SECRET),
      foreignKeySameKid: await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).sign(attacker.privateKey),
      embeddedJwk: await new SignJWT(claims())
        .setProtectedHeader({ alg: 'RS256', kid: 'mallory', jwk: await exportJWK(attacker.publicKey) })
        .sign(attacker.privateKey),
      unknownKid: await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'idp-2' }).sign(attacker.privateKey),
      psWithForeignKey: await new SignJWT(claims()).setProtectedHeader({ alg: 'PS256', kid: 'idp-1' }).sign((await generateKeyPair('PS256')).privateKey),
      algNone: new UnsecuredJWT(claims()).encode(),
      expired: await new SignJWT(claims({ exp: now() - 1 })).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).sign(idp.privateKey),
      notYetValid: await new SignJWT(claims({ nbf: now() + 300 })).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).sign(idp.privateKey),
      wrongIssuer: await new SignJWT(claims({ iss: 'https://evil.example' })).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).sign(idp.privateKey),
      wrongAudience: await new SignJWT(claims({ aud: 'another-api' })).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).sign(idp.privateKey),
    };
    const before = await stateFingerprint(h);
    for (const route of routes) {
      for (const [name, token] of Object.entries(hostile)) {
        const res = await call(route.method, fillPath(route.template, () => 'x'), token, route.method === 'GET' ? undefined : {});
        expect(res.status, `${name} → ${route.method} ${route.template}`).toBe(401);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        counts.jwks++;
      }
    }
    expect(await stateFingerprint(h)).toEqual(before);
  });
});

describe('tokens that claim more than their role', () => {
  it('are refused on every route their role is not admitted to, however they dress it up', async () => {
    const sign = (payload: Record<string, unknown>) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_SECRET));
    const elevated = { roles: ['admin'], admin: true, is_admin: true, scope: 'admin', groups: ['admin'], 'https://jifen.dev/role': 'admin' };
    const scoped = { organizer: { org_id: 'org_x' }, merchant: { merchant_id: 'mer_x' }, worker: { member_id: 'mem_x' }, auditor: {}, admin: {} };
    // Role claims that are not exactly a role: refused as unusable (401).
    const malformed = [['Admin'], 'ADMIN', 'admin ', 'root', ''];
    for (const route of routes) {
      for (const role of ROLES.filter((r) => !route.roles.includes(r))) {
        const token = await sign(claims({ role, ...scoped[role], ...elevated }));
        const res = await h.call(route.method, fillPath(route.template, () => 'x'), { token, ...bodyFor(route) });
        expect(res.status, `${role}+elevated → ${route.method} ${route.template}`).toBe(403);
        counts.elevated++;
      }
      for (const role of malformed) {
        const res = await h.call(route.method, fillPath(route.template, () => 'x'), { token: await sign(claims({ role })), ...bodyFor(route) });
        expect(res.status, `role ${JSON.stringify(role)} → ${route.method} ${route.template}`).toBe(401);
        counts.elevated++;
      }
    }
  });
});

describe('ids of another org, merchant or member (IDOR)', () => {
  it('are refused on every route that takes an id, and the ledger does not move', async () => {
    const r = await redemptionProgramme(h);
    const far = await member(h, r.admin, r.otherDistrict.id);
    const [rider0, rider1] = [r.riders[0]!, r.riders[1]!];
    const [w0, w1] = [await r.workerToken(0), await r.workerToken(1)];
    const ago = (ms: number) => new Date(h.clock.now().getTime() - ms).toISOString();
    const claim = async (units: string) =>
      (await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: rider0.id, activity_code: 'hazard_resolved', units, occurred_at: ago(60_000) } })).body;
    const pending = await claim('2');
    const approved = await claim('1');
    expect(approved.status).toBe('approved');
    const event = (await h.call('POST', '/v1/events', { token: r.organizer, body: { org_id: r.community.id, activity_code: 'volunteer_hour', title: '劝导', starts_at: ago(3_600_000) } })).body.event;
    const attendance = await h.call('POST', `/v1/events/${event.id}/attendance`, { token: r.organizer, body: { closes_at: ago(-3_600_000) } });
    expect(attendance.status, attendance.text).toBe(201);
    const sale = (await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.charger.id })).body;
    const card = (await r.redeem(r.barberToken, { redeem_code: (await r.code(0)).code, reward_id: r.haircut.id })).body.card;
    const hold = (await h.call('POST', '/v1/holds', { token: w0, body: { reward_id: r.water.id, quantity: 1 } })).body;
    const settled = (await h.call('POST', '/v1/settlements', { token: r.admin, body: { merchant_id: r.barber.id } })).body.settlement;
    const signInCode = (await h.call('POST', `/v1/members/${rider0.id}/sign-in-codes`, { token: r.organizer })).body;
    const farCode = (await h.call('POST', `/v1/members/${far.id}/sign-in-codes`, { token: r.admin })).body;
    expect(signInCode.id && farCode.id, JSON.stringify({ signInCode, farCode })).toBeTruthy();
    const photo = (await h.call('POST', '/v1/evidence', { token: w0, raw: jpegWithGps(), headers: { 'content-type': 'image/jpeg' } })).body;
    expect(photo.id, JSON.stringify(photo)).toBeTruthy();
    const served = await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: rider0.id, activity_code: 'volunteer_hour', units: '1', occurred_at: ago(60_000) } });
    expect(served.status, served.text).toBe(201);
    const certificate = (await h.call('POST', '/v1/me/certificates', { token: w0, body: { from: ago(86_400_000), to: ago(-60_000) } })).body.certificates?.[0];
    expect(certificate?.number, JSON.stringify(certificate)).toBeTruthy();
    expect([pending.id, event.id, sale.redemption?.id, card?.code, hold.id, settled?.id].every(Boolean), JSON.stringify({ pending, event, sale, card, hold, settled })).toBe(true);

    // [who, method, path template, the path's ids, body]: each id belongs to someone else.
    type Case = [string, string, string, string, Record<string, string>, unknown?];
    const reason = { reason: 'not mine to decide' };
    const cases: Case[] = [
      ['outsider organizer', r.outsider, 'GET /v1/orgs/{id}', '', { id: r.street.id }],
      ['outsider organizer', r.outsider, 'GET /v1/orgs/{id}/budget', '', { id: r.community.id }],
      ['outsider organizer', r.outsider, 'GET /v1/events/{id}', '', { id: event.id }],
      ['outsider organizer', r.outsider, 'GET /v1/members/{id}', '', { id: rider0.id }],
      ['outsider organizer', r.outsider, 'PATCH /v1/members/{id}', '', { id: rider0.id }, { display_name: '外人改名' }],
      ['organizer, a member outside its subtree', r.organizer, 'PATCH /v1/members/{id}', '', { id: far.id }, { status: 'deactivated' }],
      ['outsider organizer', r.outsider, 'GET /v1/members/{id}/hours', '', { id: rider0.id }],
      ['another worker', w1, 'GET /v1/members/{id}/hours', '', { id: rider0.id }],
      ['outsider organizer', r.outsider, 'POST /v1/events/{id}/attendance', '', { id: event.id }, {}],
      ['outsider organizer', r.outsider, 'GET /v1/events/{id}/attendance', '', { id: event.id }],
      ['outsider organizer', r.outsider, 'GET /v1/events/{id}/attendance/code', '', { id: event.id }],
      ['outsider organizer', r.outsider, 'PATCH /v1/events/{id}/attendance/{member_id}', '', { id: event.id, member_id: rider0.id }, { hours: '1', reason: '外人补录' }],
      ['organizer, a member outside its subtree', r.organizer, 'PATCH /v1/events/{id}/attendance/{member_id}', '', { id: event.id, member_id: far.id }, { hours: '1', reason: '补录' }],
      ['outsider organizer', r.outsider, 'POST /v1/events/{id}/attendance/confirm', '', { id: event.id }],
      ['outsider organizer', r.outsider, 'POST /v1/certificates/{number}/revoke', '', { number: certificate.number }, reason],
      ['another worker', w1, 'GET /v1/claims/{id}', '', { id: pending.id }],
      ['another worker', w1, 'GET /v1/evidence/{id}', '', { id: photo.id }],
      ['outsider organizer', r.outsider, 'GET /v1/evidence/{id}', '', { id: photo.id }],
      ['outsider organizer', r.outsider, 'GET /v1/claims/{id}', '', { id: pending.id }],
      ['outsider organizer', r.outsider, 'POST /v1/claims/{id}/approve', '', { id: pending.id }, {}],
      ['outsider organizer', r.outsider, 'POST /v1/claims/{id}/reject', '', { id: pending.id }, reason],
      ['outsider organizer', r.outsider, 'POST /v1/claims/{id}/revoke', '', { id: approved.id }, reason],
      ['another merchant', r.barberToken, 'POST /v1/merchants/{id}/rewards', '', { id: r.shop.id }, { kind: 'goods', name: '偷偷上架', price: '1' }],
      ['another merchant', r.barberToken, 'PATCH /v1/merchants/{id}/rewards/{reward_id}', '', { id: r.shop.id, reward_id: r.water.id }, { price: '1' }],
      ['another merchant, own path', r.barberToken, 'PATCH /v1/merchants/{id}/rewards/{reward_id}', '', { id: r.barber.id, reward_id: r.water.id }, { price: '1' }],
      ['another merchant', r.barberToken, 'GET /v1/merchants/{id}/settlement', '', { id: r.shop.id }],
      ['another merchant', r.barberToken, 'GET /v1/merchants/{id}/redemptions', '', { id: r.shop.id }],
      ['another merchant', r.barberToken, 'GET /v1/merchants/{id}/holds', '', { id: r.shop.id }],
      ['another merchant', r.barberToken, 'GET /v1/redemptions/{id}', '', { id: sale.redemption.id }],
      ['another worker', w1, 'GET /v1/redemptions/{id}', '', { id: sale.redemption.id }],
      ['another merchant', r.barberToken, 'GET /v1/redemptions/{id}/receipt', '', { id: sale.redemption.id }],
      ['another worker', w1, 'GET /v1/redemptions/{id}/receipt', '', { id: sale.redemption.id }],
      ['another merchant', r.barberToken, 'POST /v1/redemptions/{id}/refund', '', { id: sale.redemption.id }, reason],
      ['another merchant', r.shopToken, 'POST /v1/cards/{code}/uses', '', { code: card.code }, {}],
      ['another merchant', r.barberToken, 'POST /v1/holds/{id}/capture', '', { id: hold.id }],
      ['another merchant', r.barberToken, 'POST /v1/holds/{id}/void', '', { id: hold.id }],
      ['another worker', w1, 'POST /v1/holds/{id}/void', '', { id: hold.id }],
      ['the settled merchant', r.barberToken, 'POST /v1/settlements/{id}/reverse', '', { id: settled.id }, reason],
      ...(['', '/entries', '/balance', '/expiring'] as const).flatMap((tail): Case[] => {
        const q = tail === '/balance' ? `?at=${ago(0)}` : '';
        return [
          ['another worker', w1, `GET /v1/accounts/{id}${tail}`, q, { id: rider0.account_id }],
          ['another merchant', r.barberToken, `GET /v1/accounts/{id}${tail}`, q, { id: r.shop.account_id }],
          ['outsider organizer', r.outsider, `GET /v1/accounts/{id}${tail}`, q, { id: rider0.account_id }],
          ['organizer, a budget above its org', r.organizer, `GET /v1/accounts/{id}${tail}`, q, { id: r.district.budget_account_id }],
        ];
      }),
      ['another worker', w1, 'GET /v1/transactions/{id}', '', { id: sale.transaction.id }],
      ['another merchant', r.barberToken, 'GET /v1/transactions/{id}', '', { id: sale.transaction.id }],
      ['outsider organizer', r.outsider, 'GET /v1/transactions/{id}', '', { id: sale.transaction.id }],
      ['outsider organizer', r.outsider, 'POST /v1/members/{id}/sign-in-codes', '', { id: rider0.id }],
      ['another worker', w1, 'POST /v1/members/{id}/sign-in-codes', '', { id: rider0.id }],
      ['outsider organizer', r.outsider, 'GET /v1/members/{id}/sign-in-codes', '', { id: rider0.id }],
      ['outsider organizer', r.outsider, 'POST /v1/members/{id}/sign-in-codes/{code_id}/revoke', '', { id: rider0.id, code_id: signInCode.id }, {}],
      ['organizer, a code of a member elsewhere under its own member', r.organizer, 'POST /v1/members/{id}/sign-in-codes/{code_id}/revoke', '', { id: rider0.id, code_id: farCode.id }, {}],
      ['organizer, a member elsewhere', r.organizer, 'POST /v1/members/{id}/sign-in-codes/{code_id}/revoke', '', { id: far.id, code_id: farCode.id }, {}],
      // Ids in bodies and query strings.
      ['outsider organizer', r.outsider, 'POST /v1/members', '', {}, { home_org_id: r.community.id }],
      ['outsider organizer', r.outsider, 'POST /v1/events', '', {}, { org_id: r.community.id, activity_code: 'volunteer_hour', title: 'x', starts_at: ago(1000) }],
      ['outsider organizer', r.outsider, 'POST /v1/claims', '', {}, { member_id: rider0.id, activity_code: 'hazard_resolved', occurred_at: ago(1000) }],
      ['another worker', w1, 'POST /v1/claims', '', {}, { member_id: rider0.id, activity_code: 'hazard_resolved', occurred_at: ago(1000) }],
      ['another merchant', r.barberToken, 'POST /v1/redemptions', '', {}, { redeem_code: (await r.code(1)).code, reward_id: r.water.id }],
      ['outsider organizer', r.outsider, 'GET /v1/claims', '?org_id=' + r.street.id, {}],
      ['outsider organizer', r.outsider, 'GET /v1/claims', '?member_id=' + rider0.id, {}],
      ['another worker', w1, 'GET /v1/claims', '?member_id=' + rider0.id, {}],
      ['outsider organizer', r.outsider, 'GET /v1/orgs', '?org_id=' + r.street.id, {}],
      ['outsider organizer', r.outsider, 'GET /v1/events', '?org_id=' + r.community.id, {}],
      ['outsider organizer', r.outsider, 'GET /v1/budget-allocations', '?org_id=' + r.street.id, {}],
      ['organizer, an org above its own', r.organizer, 'GET /v1/budget-allocations', '?org_id=' + r.district.id, {}],
      ['another merchant', r.barberToken, 'GET /v1/merchants', '?org_id=' + r.community.id, {}],
      ['organizer, a member elsewhere', r.organizer, 'GET /v1/accounts/{id}', '', { id: far.account_id }],
    ];

    const before = await stateFingerprint(h);
    for (const [who, token, route, query, ids, body] of cases) {
      const [method, template] = route.split(' ') as [string, string];
      const res = await h.call(method, fillPath(template, ids) + query, { token, ...(body !== undefined ? { body } : {}) });
      const label = `${who} → ${method} ${fillPath(template, ids)}${query}`;
      if (res.status === 200 && method === 'GET' && template === '/v1/claims') {
        // A list may answer, but with none of the other member's or org's claims.
        expect(res.body.items, label).toEqual([]);
      } else {
        // A filter naming someone else's id may be refused as a bad filter (400).
        expect(query.startsWith('?member_id') || query.startsWith('?org_id') ? [400, 403, 404] : [403, 404], `${label}: ${res.status} ${res.text}`).toContain(res.status);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
      }
      counts.idor++;
    }
    expect(await stateFingerprint(h)).toEqual(before);

    // Every route with an id in its path is covered, except those whose ids name public data.
    const publicIds = new Set(['GET /v1/public/certificates/{number}', 'GET /v1/merchants/{id}/rewards', 'GET /v1/activity-types/{code}', 'PUT /v1/activity-types/{code}']);
    const withIds = routes.filter((rt) => rt.template.includes('{')).map((rt) => `${rt.method} ${rt.template}`).filter((k) => !publicIds.has(k));
    const covered = new Set(cases.map((c) => c[2]));
    expect(withIds.filter((k) => !covered.has(k))).toEqual([]);
    await expectSoundLedger(h, r.admin);
    console.log(`hostile callers: ${counts.jwks} JWKS-deployment tokens, ${counts.elevated} elevated or malformed roles, ${counts.idor} IDOR attempts — all refused (${h.backend})`);
  });
});
