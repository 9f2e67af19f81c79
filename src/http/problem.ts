import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, refuse } from '../errors.js';
import { httpExceptionCode } from '../refusals/index.js';
import { ReplayedAnswer } from '../db/write-runner.js';
import { replayResponse } from './idempotency.js';
import { storageFault } from '../db/errors.js';

/** Media type of every error answer (RFC 9457). */
export const PROBLEM_JSON = 'application/problem+json';

/** Renders an AppError as an RFC 9457 problem document. */
export function problemResponse(error: AppError, requestId?: string): Response {
  const body: Record<string, unknown> = {
    type: `https://jifen.dev/problems/${error.code.replaceAll('_', '-')}`,
    title: error.title,
    status: error.status,
    detail: error.detail ?? error.title,
    code: error.code,
  };
  if (error.errors?.length) body.errors = error.errors;
  if (requestId) body.request_id = requestId;
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { 'content-type': PROBLEM_JSON, ...error.headers },
  });
}

/**
 * The one place an error becomes a response: AppErrors as problem+json,
 * idempotent replays as their stored answer, anything else as a
 * 500 that says nothing about the cause (which is logged with the request id).
 */
export function handleError(error: Error, c: Context, logUnexpected: (error: Error) => void): Response {
  const requestId = c.get('requestId') as string | undefined;
  if (error instanceof AppError) return problemResponse(error, requestId);
  if (error instanceof ReplayedAnswer) return replayResponse(error);
  if (error instanceof HTTPException) {
    if (error.res) return error.res;
    // Hono's own refusals (malformed JSON, a body of another media type) by the catalogue's code for them, in Hono's words.
    const code = httpExceptionCode(error.status, error.message);
    if (code) return problemResponse(refuse(code, error.message || undefined), requestId);
  }
  const fault = storageFault(error);
  if (fault) return problemResponse(fault, requestId);
  logUnexpected(error);
  return problemResponse(refuse('internal_error'), requestId);
}
