import createClient from 'openapi-fetch';
import type { components, paths } from './contract.js';
import { statusTextKey } from '../../refusals/status-text.js';
import { hasText, t, text } from './page-text.js';
import { token } from './session.js';

type Problem = components['schemas']['Problem'];

/** A refused or failed API call, its message in plain words (never the raw body). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly errors: ReadonlyArray<{ path?: string; message?: string }> = [],
  ) {
    super(message);
  }
}

/** A new Idempotency-Key from the CSPRNG (crypto.randomUUID needs a secure context; this does not). */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += ('0' + bytes[i]!.toString(16)).slice(-2);
  return 'web-' + hex;
}

// A problem+json answer in plain words: by its code, else by its status (the catalogue's rule, src/refusals/status-text.ts).
function explain(status: number, problem: Partial<Problem> | null): string {
  const code = problem && typeof problem.code === 'string' ? problem.code : '';
  const byCode = 'err_' + code;
  if (code && hasText(byCode)) return text[byCode];
  return t(statusTextKey(status), { status });
}

/**
 * The API, typed by the service's own OpenAPI document (contract.ts):
 * with the kept bearer token, and an idempotency key on every write unless
 * the call names its own (`headers: { 'idempotency-key': ... }`).
 */
export const api = createClient<paths>({ baseUrl: '', headers: { accept: 'application/json' }, credentials: 'omit', cache: 'no-store' });
api.use({
  onRequest({ request }) {
    const value = token();
    if (value) request.headers.set('authorization', 'Bearer ' + value);
    if (request.method !== 'GET' && !request.headers.has('idempotency-key')) request.headers.set('idempotency-key', newKey());
    return request;
  },
});

interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** The body and response of a call that succeeded; otherwise rejects with an ApiError in plain words. */
export async function answered<D>(call: Promise<Answer<D>>): Promise<{ data: D; response: Response }> {
  let result: Answer<D>;
  try {
    result = await call;
  } catch {
    throw new ApiError(text.err_network, 0);
  }
  const { response } = result;
  if (response.ok) return { data: result.data as D, response };
  const problem = result.error && typeof result.error === 'object' ? (result.error as Partial<Problem>) : null;
  const errors = problem && Array.isArray(problem.errors) ? problem.errors : [];
  throw new ApiError(explain(response.status, problem), response.status, problem?.code, errors);
}

/** The body of a call that succeeded; otherwise rejects with an ApiError in plain words. */
export async function ok<D>(call: Promise<Answer<D>>): Promise<D> {
  return (await answered(call)).data;
}
