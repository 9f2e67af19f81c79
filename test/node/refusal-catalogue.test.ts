import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { refusalError } from '../../src/claims/submit.js';
import { AppError } from '../../src/errors.js';
import { handleError } from '../../src/http/problem.js';
import { ChainConflict, StaleRead, translateDbError } from '../../src/db/errors.js';
import { en } from '../../src/pages/strings-en.js';
import { zh } from '../../src/pages/strings-zh.js';
import {
  BUG_WORDS, CHAIN_WORDS, PAGE_FALLBACKS, REFUSALS, SCHEMA_WORDS, STALE_WORDS, isRefusalCode, refusalTitle, type RefusalCode,
} from '../../src/refusals/index.js';
import { HTTP_EXCEPTION_CODES } from '../../src/refusals/request.js';
import { statusTextKey } from '../../src/refusals/status-text.js';

// The catalogue (src/refusals/) is the one place a refusal is stated: every word the schema raises, every code
// the service throws and every sentence the pages look up must be in it.

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const filesUnder = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
const matches = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]!);
const codes = Object.keys(REFUSALS) as RefusalCode[];

/** The arguments of the call whose '(' ends just before `start`, each as its source text (strings and brackets kept whole). */
function callArguments(text: string, start: number): string[] {
  const args: string[] = [];
  let current = '';
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      current += ch;
      if (ch === '\\') current += text[++i];
      else if (ch === quote) quote = null;
      continue;
    }
    if (depth === 0 && (ch === ',' || ch === ')')) {
      if (current.trim()) args.push(current.trim());
      if (ch === ')') return args;
      current = '';
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    current += ch;
  }
  return args;
}

/** The value of a string literal's source text (a template without placeholders counts); undefined for anything else. */
function literalValue(source: string | undefined): string | undefined {
  const m = source?.match(/^(['"`])((?:(?!\1)[^\\]|\\.)*)\1$/s);
  if (!m || (m[1] === '`' && m[2]!.includes('${'))) return undefined;
  return m[2]!.replace(/\\(.)/g, '$1');
}

/** src/ outside the catalogue and the AppError class, each file with its text. */
const throwers = () => filesUnder('src').filter((f) => !f.startsWith('src/refusals/') && f !== 'src/errors.ts').map((f) => [f, read(f)] as const);

describe('the refusal catalogue', () => {
  const schema = readdirSync(join(root, 'schema')).filter((f) => f.endsWith('.sql')).map((f) => read(join('schema', f))).join('\n');
  const known = new Set<string>([...SCHEMA_WORDS.keys(), ...CHAIN_WORDS, ...STALE_WORDS, ...BUG_WORDS]);

  it("knows every word the schema raises and every constraint it names", () => {
    const raised = matches(schema, /RAISE\s*\(\s*ABORT\s*,\s*'([^']+)'\s*\)/g);
    const constraints = matches(schema, /CONSTRAINT\s+(\w+)\s+CHECK/gi);
    expect(raised.length).toBeGreaterThan(40);
    expect(constraints.length).toBeGreaterThan(0);
    expect([...new Set([...raised, ...constraints])].filter((word) => !known.has(word))).toEqual([]);
  });

  it('translates each schema word to its code, bare (better-sqlite3) or wrapped (D1)', () => {
    for (const [word, { code }] of SCHEMA_WORDS) {
      for (const message of [word, `D1_ERROR: ${word}: SQLITE_CONSTRAINT`]) {
        const meaning = translateDbError(new Error(message));
        expect(meaning, message).toBeInstanceOf(AppError);
        expect((meaning as AppError).code, message).toBe(code);
        expect((meaning as AppError).status, message).toBe(REFUSALS[code].status);
      }
    }
    for (const word of CHAIN_WORDS) expect(translateDbError(new Error(word))).toBeInstanceOf(ChainConflict);
    for (const word of STALE_WORDS) expect(translateDbError(new Error(`CHECK constraint failed: ${word}`))).toBeInstanceOf(StaleRead);
    for (const word of BUG_WORDS) expect(translateDbError(new Error(word))).not.toBeInstanceOf(AppError);
  });

  it('has every code thrown in src/', () => {
    const source = filesUnder('src').map(read).join('\n');
    const thrown = [
      ...matches(source, /\b(?:refuse|badRequest|conflict|refused|unavailable)\(\s*'([a-z_]+)'/g),
      ...matches(source, /new AppError\(\s*\d+\s*,\s*'([a-z_]+)'/g),
      // The codes the error handler names for Hono's own errors (src/http/problem.ts).
      ...matches(read('src/http/problem.ts'), /'([a-z]+_[a-z_]+)'/g),
    ];
    const words = matches(source, /\bguardRefusal\(\s*'([a-z_]+)'/g);
    expect(thrown.length).toBeGreaterThan(30);
    expect([...new Set(thrown)].filter((code) => !isRefusalCode(code))).toEqual([]);
    expect([...new Set(words)].filter((word) => !SCHEMA_WORDS.has(word))).toEqual([]);
  });

  it('gives every code a status and a title', () => {
    for (const code of codes) {
      expect(REFUSALS[code].status, code).toBeGreaterThanOrEqual(400);
      expect(refusalTitle(code), code).not.toBe('Error');
    }
  });

  it("has every sentence the pages look up, and (since they look up 'err_' + code) one for every code in both languages", () => {
    // The pages, and the rule they explain a status by.
    const pages = [...filesUnder('src/pages').filter((f) => !/strings-(zh|en)\.ts$/.test(f)), 'src/refusals/status-text.ts'].map(read).join('\n');
    const looked = new Set(matches(pages, /\b(err_[a-z_]+)/g));
    expect(looked.size).toBeGreaterThan(5);
    const catalogued = new Set([...codes.map((c) => `err_${c}`), ...Object.keys(PAGE_FALLBACKS).map((k) => `err_${k}`)]);
    expect([...looked].filter((key) => !catalogued.has(key))).toEqual([]);
    expect(pages).toMatch(/'err_'\s*\+/);
    for (const code of codes) {
      const key = `err_${code}` as keyof typeof zh;
      expect(zh[key], `zh ${key}`).toMatch(/\S/);
      expect(en[key], `en ${key}`).toMatch(/\S/);
    }
  });

  it('writes the Chinese sentences without Latin words (placeholders and digits aside)', () => {
    const sentences: Array<[string, string]> = [
      ...codes.flatMap((code) => {
        const page = (REFUSALS[code] as { page?: { zh: string } }).page;
        return page ? [[code, page.zh] as [string, string]] : [];
      }),
      ...Object.entries(PAGE_FALLBACKS).map(([name, s]) => [name, s.zh] as [string, string]),
    ];
    expect(sentences.length).toBeGreaterThan(30);
    const latin = sentences.filter(([, text]) => /[A-Za-z]/.test(text.replace(/\{\w+\}/g, '')));
    expect(latin).toEqual([]);
  });

  it('gives every title: no AppError is built with a title of its own outside src/errors.ts and src/refusals/', () => {
    const found = throwers().flatMap(([file, text]) =>
      [...text.matchAll(/\bnew AppError\(/g)].flatMap((m) => {
        const title = callArguments(text, m.index + m[0].length)[2] ?? '';
        return /['"`]/.test(title) ? [`${file}: new AppError(..., ${title}, ...)`] : [];
      }),
    );
    expect(found).toEqual([]);
  });

  it("is the only place a default detail is stated: no thrower restates its code's", () => {
    const restated = throwers().flatMap(([file, text]) =>
      [...text.matchAll(/\b(refuse|badRequest|conflict|refused|unavailable|unauthorized|forbidden|notFound)\(/g)].flatMap((m) => {
        const args = callArguments(text, m.index + m[0].length);
        const helper = m[1]!;
        const byCode = !['unauthorized', 'forbidden', 'notFound'].includes(helper);
        const code = byCode ? literalValue(args[0]) : helper === 'notFound' ? 'not_found' : helper;
        const given = literalValue(byCode ? args[1] : args[0]);
        const detail = helper === 'notFound' && given !== undefined ? `${given} was not found` : given;
        return code && isRefusalCode(code) && detail === REFUSALS[code].detail ? [`${file}: ${helper}(${args.join(', ')})`] : [];
      }),
    );
    expect(restated).toEqual([]);
    // Nor a schema word of its entry's: null says "the entry's".
    const words = codes.flatMap((code) =>
      Object.entries((REFUSALS[code] as { schema?: Record<string, string | null> }).schema ?? {}).filter(([, d]) => d === REFUSALS[code].detail).map(([w]) => w),
    );
    expect(words).toEqual([]);
  });

  it("answers Hono's own errors with the catalogue's codes and titles, a 4xx without one as bad_request, a 5xx as a logged internal_error", async () => {
    const c = { get: () => 'req-1' } as unknown as Context;
    const logged: Error[] = [];
    const answer = async (error: Error) => {
      const res = handleError(error, c, (e) => logged.push(e));
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await answer(new HTTPException(400, { message: 'Malformed JSON in request body' }))).toMatchObject({
      status: 400, body: { code: 'malformed_json', title: 'Bad request', detail: 'Malformed JSON in request body', request_id: 'req-1' },
    });
    expect(await answer(new HTTPException(400, { message: 'Invalid mounted path' }))).toMatchObject({
      status: 400, body: { code: 'bad_request', title: 'Bad request', detail: 'Invalid mounted path' },
    });
    for (const [status, code] of Object.entries(HTTP_EXCEPTION_CODES)) {
      expect(REFUSALS[code].status, code).toBe(Number(status));
      expect(await answer(new HTTPException(REFUSALS[code].status))).toMatchObject({
        status: REFUSALS[code].status, body: { code, title: refusalTitle(code), detail: REFUSALS[code].detail },
      });
    }
    // @hono/zod-openapi's media-type gate (a body sent without a content type); a 4xx no entry is for stays a 4xx refusal.
    expect(await answer(new HTTPException(415, { message: 'Unsupported Media Type' }))).toMatchObject({
      status: 415, body: { code: 'unsupported_media_type', title: 'Unsupported media type', detail: 'Unsupported Media Type' },
    });
    expect(await answer(new HTTPException(418, { message: 'Teapot' }))).toMatchObject({ status: 400, body: { code: 'bad_request', detail: 'Teapot' } });
    expect(logged).toEqual([]);
    const fault = new HTTPException(500, { message: 'Cannot clone request' });
    expect(await answer(fault)).toMatchObject({ status: 500, body: { code: 'internal_error', detail: REFUSALS.internal_error.detail } });
    expect(logged).toEqual([fault]);
  });

  it('titles a claim refused alone by its status (not found, else a refused claim), and a refused batch as such', () => {
    const one = (status: number, code: string) => refusalError([{ index: 0, member_id: 'm1', status, code, detail: 'why' }], true);
    expect(one(409, 'duplicate_claim')).toMatchObject({ status: 409, code: 'duplicate_claim', title: 'Claim refused', detail: 'why' });
    expect(one(404, 'unknown_member')).toMatchObject({ status: 404, code: 'unknown_member', title: 'Not found', detail: 'why' });
    const batch = refusalError([{ index: 1, member_id: 'm1', status: 404, code: 'unknown_member', detail: 'why' }], false);
    expect(batch).toMatchObject({ status: 422, code: 'claims_refused', title: 'Claims refused', errors: [{ path: 'claims.1', message: 'unknown_member: why' }] });
  });

  it('has, in both languages, every text the pages explain a status by', () => {
    const keys = new Set(Array.from({ length: 200 }, (_, i) => statusTextKey(400 + i)));
    expect(keys.size).toBe(8);
    for (const key of keys) {
      expect(zh[key], `zh ${key}`).toMatch(/\S/);
      expect(en[key], `en ${key}`).toMatch(/\S/);
    }
    expect(en[statusTextKey(418)]).toContain('{status}');
  });
});
