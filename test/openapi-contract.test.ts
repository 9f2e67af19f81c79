import { beforeAll, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';

let h: Harness;
let doc: any;

/** Operations that need no token (the document says so with `security: []`). */
const PUBLIC = new Set(['GET /health', 'GET /.well-known/jwks.json', 'POST /v1/sign-in', 'GET /v1/public/certificates/{number}']);
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

beforeAll(async () => {
  h = await createHarness();
  doc = (await h.call('GET', '/openapi.json')).body;
});

/** Every operation of the document as [`METHOD /path`, operation]. */
function operations(): Array<[string, any]> {
  return Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]): [string, any] => [`${method.toUpperCase()} ${path}`, op]),
  );
}

describe('the OpenAPI document is the contract of the app', () => {
  it('lists every /v1 route the app registers, and nothing it does not', () => {
    // Hono keeps `:name` (or `:name{regex}`); OpenAPI writes `{name}`. Middleware is registered as ALL.
    const registered = new Set(
      h.app.routes
        .filter((r) => r.method !== 'ALL' && r.path.startsWith('/v1/'))
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, '{$1}')}`),
    );
    const documented = new Set(operations().map(([key]) => key).filter((key) => key.split(' ')[1]!.startsWith('/v1/')));
    expect([...registered].filter((key) => !documented.has(key)), 'registered but not documented').toEqual([]);
    expect([...documented].filter((key) => !registered.has(key)), 'documented but not registered').toEqual([]);
    expect(registered.size).toBeGreaterThan(40);
  });

  it('gives every operation a unique camelCase operationId, a declared tag, security and a 4xx answer', () => {
    const declaredTags = new Set((doc.tags ?? []).map((t: any) => t.name));
    for (const tag of doc.tags ?? []) expect(tag.description, `tag ${tag.name}`).toBeTruthy();
    const ids = new Map<string, string>();
    for (const [key, op] of operations()) {
      expect(op.operationId, key).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(ids.get(op.operationId), `operationId ${op.operationId} of ${key}`).toBeUndefined();
      ids.set(op.operationId, key);
      expect(op.tags?.length, `tags of ${key}`).toBeGreaterThan(0);
      for (const tag of op.tags) expect(declaredTags.has(tag), `tag ${tag} of ${key} declared`).toBe(true);
      if (PUBLIC.has(key)) expect(op.security, `security of ${key}`).toEqual([]);
      else expect(op.security, `security of ${key}`).toEqual([{ bearer: [] }]);
      expect(Object.keys(op.responses).some((status) => /^4\d\d$/.test(status)), `4xx of ${key}`).toBe(true);
    }
    expect(ids.get('submitClaims')).toBe('POST /v1/claims');
    expect(ids.get('approveClaim')).toBe('POST /v1/claims/{id}/approve');
  });

  it('names a server and a licence', () => {
    expect(doc.servers).toEqual([{ url: '/', description: 'This server' }]);
    expect(doc.info.license.name).toBeTruthy();
  });
});

describe('/docs needs no internet', () => {
  it('links only this origin, with a CSP that allows no inline script', async () => {
    const docs = await h.call('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('/openapi.json');
    expect(docs.text).not.toMatch(/https?:\/\//);
    expect(docs.text).not.toMatch(/<script>(?!<\/script>)/);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    const init = await h.call('GET', '/docs/assets/init.js');
    expect(init.text).toContain("url: '/openapi.json'");
  });

  it('on Node, serves Swagger UI from node_modules', async () => {
    if (h.backend !== 'sqlite') return; // Workers read no disk; their page links /openapi.json.
    const { createApp } = await import('../src/app.js');
    // A Node-only module: named through a variable so the Workers typecheck does not follow it.
    const nodeOnly = '../src/entry/docs-assets-node.js';
    const { nodeDocsAssets } = await import(/* @vite-ignore */ nodeOnly);
    const app = createApp(h.deps, { docsAssets: nodeDocsAssets() });
    const css = await app.request('/docs/assets/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('.swagger-ui');
    const js = await app.request('/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('SwaggerUIBundle');
  });
});
