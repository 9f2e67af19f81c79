import { beforeAll, describe, expect, it } from 'vitest';
import { base64url, SignJWT, UnsecuredJWT } from 'jose';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET } from './support/harness-core.js';
import { allocate, member, programme } from './support/fixtures.js';
import { ROLES, type Role } from '../src/auth/caller.js';
import { fillPath, openapiRoutes, publicRoutes } from './support/openapi.js';

let h: Harness;
let routes: Array<{ method: string; path: string; roles: Role[] }>;

const scopeFor: Record<Role, Record<string, string>> = {
  admin: {},
  auditor: {},
  organizer: { org_id: 'org_x' },
  merchant: { merchant_id: 'mer_x' },
  worker: { member_id: 'mem_x' },
};

async function sign(claims: Record<string, unknown>, options: { secret?: string; iss?: string; aud?: string; exp?: number; nbf?: number; alg?: string } = {}) {
  const now = Math.floor(h.clock.now().getTime() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setSubject('someone')
    .setIssuer(options.iss ?? TEST_ISSUER)
    .setAudience(options.aud ?? TEST_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(options.exp ?? now + 3600);
  if (options.nbf) jwt.setNotBefore(options.nbf);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_SECRET));
}

beforeAll(async () => {
  h = await createHarness();
  routes = (await openapiRoutes(h)).map((r) => ({ method: r.method, path: fillPath(r.template, () => 'x'), roles: r.roles }));
});

describe('every /v1 route', () => {
  it('needs a token, but for the one route whose credential is in its body', async () => {
    // A route published as public (security: []) is left out of every walk below: the list is closed.
    expect(await publicRoutes(h)).toEqual(['GET /v1/public/certificates/{number}', 'POST /v1/sign-in']);
  });

  it('declares its roles in /openapi.json', () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const route of routes) expect(route.roles, `${route.method} ${route.path}`).toEqual(expect.any(Array));
  });

  it('refuses missing, malformed, expired, not-yet-valid, forged and misaddressed tokens with 401', async () => {
    const now = Math.floor(h.clock.now().getTime() / 1000);
    const claims = { role: 'admin' };
    const hostile: Record<string, string | undefined> = {
      missing: undefined,
      garbage: 'not.a.token',
      expired: await sign(claims, { exp: now - 10 }),
      notYetValid: await sign(claims, { nbf: now + 600 }),
      wrongSecret: await sign(claims, { secret: 'another-secret-another-secret-another-secret' }),
      wrongIssuer: await sign(claims, { iss: 'someone-else' }),
      wrongAudience: await sign(claims, { aud: 'another-api' }),
      algNone: new UnsecuredJWT(claims).setSubject('x').setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setExpirationTime(now + 60).encode(),
      hs512: await sign(claims, { alg: 'HS512' }),
      noRole: await sign({}),
      unknownRole: await sign({ role: 'superuser' }),
      organizerWithoutOrg: await sign({ role: 'organizer' }),
    };
    // An RS256 header over an HMAC signature: the HS/RS confusion attack.
    const good = await sign(claims);
    const [, payload, signature] = good.split('.');
    hostile.rsConfusion = `${base64url.encode(JSON.stringify({ alg: 'RS256' }))}.${payload}.${signature}`;

    for (const route of routes) {
      for (const [name, token] of Object.entries(hostile)) {
        const res = await h.call(route.method, route.path, { ...(token ? { token } : {}), ...(route.method === 'GET' ? {} : { body: {} }) });
        expect(res.status, `${name} → ${route.method} ${route.path}`).toBe(401);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(res.body.code).toBe('unauthorized');
      }
    }
    expect(await h.sql.all('SELECT count(*) AS n FROM orgs')).toEqual([{ n: 0 }]);
  });

  it('refuses every role it does not admit with 403', async () => {
    let checked = 0;
    for (const route of routes) {
      for (const role of ROLES.filter((r) => !route.roles.includes(r))) {
        const token = await h.token(role, scopeFor[role]);
        const res = await h.call(route.method, route.path, { token, ...(route.method === 'GET' ? {} : { body: {} }) });
        expect(res.status, `${role} → ${route.method} ${route.path}`).toBe(403);
        expect(res.body.code).toBe('forbidden');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe('scopes', () => {
  it('keeps workers, organizers and merchants to their own accounts', async () => {
    const p = await programme(h);
    const mine = await member(h, p.admin, p.community.id);
    const theirs = await member(h, p.admin, p.otherDistrict.id);
    const tx = await allocate(h, p.admin, p.community.id, '10');
    const worker = await h.token('worker', { member_id: mine.id });
    expect((await h.call('GET', `/v1/accounts/${mine.account_id}`, { token: worker })).status).toBe(200);
    expect((await h.call('GET', `/v1/accounts/${theirs.account_id}`, { token: worker })).status).toBe(403);
    expect((await h.call('GET', `/v1/accounts/${theirs.account_id}/entries`, { token: worker })).status).toBe(403);
    expect((await h.call('GET', `/v1/accounts/${p.community.budget_account_id}`, { token: worker })).status).toBe(403);
    expect((await h.call('GET', `/v1/transactions/${tx.transaction.id}`, { token: worker })).status).toBe(403);
    expect((await h.call('GET', '/v1/accounts/program:issuance', { token: worker })).status).toBe(403);

    const organizer = await h.token('organizer', { org_id: p.street.id });
    expect((await h.call('GET', `/v1/accounts/${p.community.budget_account_id}`, { token: organizer })).status).toBe(200);
    expect((await h.call('GET', `/v1/accounts/${mine.account_id}`, { token: organizer })).status).toBe(200);
    expect((await h.call('GET', `/v1/transactions/${tx.transaction.id}`, { token: organizer })).status).toBe(200);
    expect((await h.call('GET', `/v1/accounts/${theirs.account_id}`, { token: organizer })).status).toBe(403);
    expect((await h.call('GET', `/v1/accounts/${p.district.budget_account_id}`, { token: organizer })).status).toBe(403);

    const merchant = await h.token('merchant', { merchant_id: 'mer_1' });
    expect((await h.call('GET', `/v1/accounts/${mine.account_id}`, { token: merchant })).status).toBe(403);
    expect((await h.call('GET', '/v1/accounts/nope', { token: p.admin })).status).toBe(404);
  });
});
