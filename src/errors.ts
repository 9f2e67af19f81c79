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

/** 400: the request cannot be understood (fields listed in `errors`). */
export const badRequest = (
  code: string,
  detail: string,
  errors?: ReadonlyArray<{ path: string; message: string }>,
) => new AppError(400, code, 'Bad request', detail, errors);

/** 401: no usable credentials. */
export const unauthorized = (detail: string) =>
  new AppError(401, 'unauthorized', 'Unauthorized', detail, undefined, {
    'WWW-Authenticate': 'Bearer realm="jifen"',
  });

/** 403: authenticated, but not allowed to do this. */
export const forbidden = (detail: string) => new AppError(403, 'forbidden', 'Forbidden', detail);

/** 404: no such resource (or not visible to this caller). */
export const notFound = (what: string) => new AppError(404, 'not_found', 'Not found', `${what} was not found`);

/** 409: conflicts with the current state. */
export const conflict = (code: string, detail: string) => new AppError(409, code, 'Conflict', detail);

/** 422: well-formed but refused by the rules. */
export const refused = (code: string, detail: string) =>
  new AppError(422, code, 'Unprocessable request', detail);

/** 503: temporarily unable; the caller may retry after the given seconds. */
export const unavailable = (code: string, detail: string, retryAfterSeconds = 1) =>
  new AppError(503, code, 'Service unavailable', detail, undefined, {
    'Retry-After': String(retryAfterSeconds),
  });

/** 429: too many failed attempts; the caller may try again after the given seconds. */
export const tooManyAttempts = (retryAfterSeconds: number) =>
  new AppError(429, 'too_many_attempts', 'Too many requests', 'Too many failed redeem-code attempts; try again later', undefined, {
    'Retry-After': String(retryAfterSeconds),
  });
