import { createRoute, OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { ZodError } from 'zod';
import { badRequest, forbidden, unauthorized } from '../errors.js';
import type { Role } from '../auth/caller.js';
import { requireStandingWorker } from '../auth/sessions.js';
import type { AppEnv } from './context.js';
import { idempotency } from './idempotency.js';

/** A router whose validation failures become 400 problem+json listing the fields. */
export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}

function validationError(error: ZodError, target: string) {
  const errors = error.issues.map((issue) => ({
    path: [target === 'json' ? 'body' : target, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return badRequest('validation_failed', `The request ${target === 'json' ? 'body' : target} is not valid`, errors);
}

/** Authenticates the bearer token and admits only `roles`. */
export function authorize(roles: readonly Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header?.match(/^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/);
    if (!match) throw unauthorized();
    const caller = await c.get('deps').tokens.verify(match[1]!);
    if (!roles.includes(caller.role)) {
      throw forbidden(`This operation is for ${roles.join(', ')}; the token's role is ${caller.role}`);
    }
    // A deactivated member, a revoked sign-in code: the worker's requests stop at once.
    await requireStandingWorker(c.get('deps').db, caller);
    c.set('caller', caller);
    await next();
  };
}

/**
 * Declares a `/v1` route with its access rule. Every protected route is made
 * through here, so none is reachable without a verified token and an allowed
 * role; the roles are published in `/openapi.json` as `x-roles` (and the
 * authorization tests read them from there). `operationId` is required: it
 * names the operation in generated clients, so it must be stable and unique.
 */
export function defineRoute<const R extends Omit<RouteConfig, 'middleware' | 'security'>>(
  route: R & { roles: readonly Role[]; operationId: string },
) {
  const { roles, ...rest } = route;
  return createRoute({
    ...rest,
    security: [{ bearer: [] }],
    'x-roles': roles,
    middleware: [authorize(roles), idempotency()] as const,
  });
}

/** JSON request body schema, required (a missing or non-JSON body is refused). */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

/** A JSON response with a description. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    request_id: z.string().optional(),
  })
  .openapi('Problem');

/** The error answers every route may give. */
export const problemResponses = {
  400: { description: 'Invalid request', content: { 'application/problem+json': { schema: Problem } } },
  401: { description: 'Missing or invalid token', content: { 'application/problem+json': { schema: Problem } } },
  403: { description: 'Not allowed for this caller', content: { 'application/problem+json': { schema: Problem } } },
  404: { description: 'Not found', content: { 'application/problem+json': { schema: Problem } } },
  405: { description: 'Method not allowed for this path; see Allow', content: { 'application/problem+json': { schema: Problem } } },
  409: { description: 'Conflict with current state', content: { 'application/problem+json': { schema: Problem } } },
  422: { description: 'Refused by the ledger rules', content: { 'application/problem+json': { schema: Problem } } },
  429: { description: 'Too many failed attempts; see Retry-After', content: { 'application/problem+json': { schema: Problem } } },
  503: { description: 'Storage busy or full; nothing was written; see Retry-After', content: { 'application/problem+json': { schema: Problem } } },
} as const;

/** Path parameter `id`. */
export const IdParam = z.object({
  id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' } }),
});

/** Cursor pagination query. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: 'Page size, 1 to 500' }),
  cursor: z.string().max(200).optional().openapi({ description: 'next_cursor from the previous page' }),
};
