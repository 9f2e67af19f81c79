import { ROLES, type Role } from '../../src/auth/caller.js';
import type { Harness } from './harness-core.js';

/** One operation of `/openapi.json`, as the hostile suites walk them. */
export interface OpenApiRoute {
  method: string;
  /** The path template, e.g. `/v1/claims/{id}/approve`. */
  template: string;
  roles: Role[];
  params: Array<{ name: string; in: 'path' | 'query' | 'header'; schema: Record<string, unknown> }>;
  /** The JSON body schema, when the route takes one (components resolved). */
  body: Record<string, unknown> | undefined;
  bodyRequired: boolean;
  /** The media type of its body (application/json but for the members import's text/csv). */
  mediaType: string | undefined;
}

/**
 * Every `/v1` operation published in `/openapi.json` that needs a token, with its `x-roles`.
 * Public operations (`security: []`, e.g. POST /v1/sign-in: the code is the credential) are
 * left out, since the token walks expect every route to refuse a caller without one (see
 * publicRoutes), unless `includePublic` asks for them (the fuzzer): then with every role,
 * as any caller may send them and a token changes nothing.
 */
export async function openapiRoutes(h: Harness, { includePublic = false } = {}): Promise<OpenApiRoute[]> {
  const doc = (await h.call('GET', '/openapi.json')).body;
  // Every $ref replaced by its schema, all the way down (the API's schemas are not recursive).
  const resolve = (schema: any, depth = 0): any => {
    if (!schema || typeof schema !== 'object' || depth > 12) return schema;
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()], depth + 1);
    if (Array.isArray(schema)) return schema.map((s) => resolve(s, depth + 1));
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(v, depth + 1)]));
  };
  const routes: OpenApiRoute[] = [];
  for (const [template, operations] of Object.entries<any>(doc.paths)) {
    if (!template.startsWith('/v1/')) continue;
    for (const [method, op] of Object.entries<any>(operations)) {
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      if (isPublic && !includePublic) continue;
      const json = op.requestBody?.content?.['application/json']?.schema;
      routes.push({
        method: method.toUpperCase(),
        template,
        roles: isPublic ? [...ROLES] : op['x-roles'],
        params: (op.parameters ?? []).map((p: any) => ({ name: p.name, in: p.in, schema: resolve(p.schema) ?? {} })),
        body: json ? resolve(json) : undefined,
        bodyRequired: op.requestBody?.required === true,
        mediaType: Object.keys(op.requestBody?.content ?? {})[0],
      });
    }
  }
  return routes;
}

/** The template with every path parameter filled in. */
export function fillPath(template: string, values: Record<string, string> | ((name: string) => string)): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(typeof values === 'function' ? values(name) : (values[name] ?? 'x')));
}

/**
 * Percent-encodes any text for a URL, a lone surrogate included (sent as
 * the bytes of invalid UTF-8, as a hostile client could).
 */
export function encodeSegment(text: string): string {
  return Array.from(text, (ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%BF%BF' : encodeURIComponent(ch))).join('');
}

/** The `/v1` operations that need no token (`security: []`), as `METHOD /path`. */
export async function publicRoutes(h: Harness): Promise<string[]> {
  const doc = (await h.call('GET', '/openapi.json')).body;
  return Object.entries<any>(doc.paths)
    .filter(([template]) => template.startsWith('/v1/'))
    .flatMap(([template, operations]) =>
      Object.entries<any>(operations)
        .filter(([, op]) => Array.isArray(op.security) && op.security.length === 0)
        .map(([method]) => `${method.toUpperCase()} ${template}`),
    );
}
