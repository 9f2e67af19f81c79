import type { MiddlewareHandler } from 'hono';
import { badRequest } from '../errors.js';
import { MAX_TEXT_LENGTH, textFault, textFaultsIn, type TextFaultAt } from '../ledger/text.js';
import type { AppEnv } from './context.js';
import { WRITE_METHODS } from './idempotency.js';

// A JSON text shorter than the longest accepted string, with no escape and no
// DEL or C1 character, cannot hold an unacceptable string (raw C0 controls are
// not valid JSON, and UTF-8 decoding never yields a lone surrogate): most
// writes are answered by this test alone, without parsing the body twice.
const NEEDS_WALK = /[\\\u007f-\u009f]/;

/**
 * The one place text is checked on its way in (src/ledger/text.ts says what is
 * accepted): every string of a JSON body, keys included, every query value and
 * the path, on every `/v1` route, before any route reads them. So a field added
 * later cannot forget the rule.
 */
export function textGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const faults: TextFaultAt[] = [];
    if (c.req.url.includes('%')) {
      const pathFault = textFault(c.req.path);
      if (pathFault) faults.push({ path: 'path', message: pathFault });
      for (const [name, values] of Object.entries(c.req.queries())) {
        for (const value of [name, ...values]) {
          const fault = textFault(value);
          if (fault) faults.push({ path: `query.${name}`, message: fault });
        }
      }
    }
    if (WRITE_METHODS.has(c.req.method) && /json/i.test(c.req.header('content-type') ?? '')) {
      const text = await c.req.text();
      if (text.length > MAX_TEXT_LENGTH || NEEDS_WALK.test(text)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined; // Not JSON: the route's validation says so.
        }
        faults.push(...textFaultsIn(parsed, 'body'));
      }
    }
    if (faults.length > 0) {
      throw badRequest('invalid_text', `Text must be plain Unicode characters: no broken characters, no control characters but tab and line breaks, at most ${MAX_TEXT_LENGTH} characters`, faults);
    }
    await next();
  };
}
