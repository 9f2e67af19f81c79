import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { ChainConflict, StaleRead, translateDbError } from '../../src/db/errors.js';
import { en } from '../../src/pages/strings-en.js';
import { zh } from '../../src/pages/strings-zh.js';
import {
  BUG_WORDS, CHAIN_WORDS, PAGE_FALLBACKS, REFUSALS, SCHEMA_WORDS, STALE_WORDS, isRefusalCode, refusalTitle, type RefusalCode,
} from '../../src/refusals/index.js';

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
    const pages = filesUnder('src/pages').filter((f) => !/strings-(zh|en)\.ts$/.test(f)).map(read).join('\n');
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
});
