import { refusalEntry, refusalTitle, type CodeWithStatus, type RefusalCode } from './refusals/index.js';

/** A refusal the caller can act on: answered as problem+json with a stable `code`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: ReadonlyArray<{ path: string; message: string }>,
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = 'AppError';
  }
}

type FieldErrors = ReadonlyArray<{ path: string; message: string }>;

/** A refusal by its code: status and title from the catalogue (src/refusals/), the detail the thrower's or the catalogue's. */
export function refuse(code: RefusalCode, detail?: string, more: { errors?: FieldErrors; headers?: Record<string, string> } = {}): AppError {
  return new AppError(refusalEntry(code).status, code, refusalTitle(code), detail ?? refusalEntry(code).detail, more.errors, more.headers);
}

// The helpers below are refuse() for one status: the compiler lets each take only the codes the catalogue gives that status.

/** 400: the request cannot be understood (fields listed in `errors`). */
export const badRequest = (code: CodeWithStatus<400>, detail?: string, errors?: FieldErrors) => refuse(code, detail, { errors });

/** 401: no usable credentials. */
export const unauthorized = (detail?: string) => refuse('unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="jifen"' } });

/** 403: authenticated, but not allowed to do this. */
export const forbidden = (detail: string) => refuse('forbidden', detail);

/** 404: no such resource (or not visible to this caller). */
export const notFound = (what: string) => refuse('not_found', `${what} was not found`);

/** 409: conflicts with the current state. */
export const conflict = (code: CodeWithStatus<409>, detail?: string) => refuse(code, detail);

/** 422: well-formed but refused by the rules. */
export const refused = (code: CodeWithStatus<422>, detail?: string) => refuse(code, detail);

/** 503: temporarily unable; the caller may retry after the given seconds. */
export const unavailable = (code: CodeWithStatus<503>, detail?: string, retryAfterSeconds = 1) =>
  refuse(code, detail, { headers: { 'Retry-After': String(retryAfterSeconds) } });

/** 429: too many failed attempts; the caller may try again after the given seconds (the end of its window). */
export const tooManyAttempts = (retryAfterSeconds: number) =>
  refuse('too_many_attempts', undefined, { headers: { 'Retry-After': String(retryAfterSeconds) } });
