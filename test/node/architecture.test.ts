import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The layering of src/: HTTP (Hono) lives in src/http/, the route files and the pages;
// the domain (reads, writes, the write runner) takes (deps, caller, input) and never a Context.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every src file, by its path from the repository root (posix separators). */
const files = new Map(sourceFiles(src).map((path) => [relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8')]));

/** The files that may speak Hono, and why. */
const HONO_ALLOWED: Array<{ test: (path: string) => boolean; why: string }> = [
  { test: (p) => p.startsWith('src/http/'), why: 'the HTTP layer: router, middleware, problem answers' },
  { test: (p) => p.startsWith('src/pages/'), why: 'the server-rendered pages (hono/jsx)' },
  { test: (p) => p === 'src/app.ts', why: 'builds the app from the routers and Hono middleware' },
  { test: (p) => p.startsWith('src/entry/'), why: 'the Node and Workers entries serve the app' },
];

/** A route file declares routes: named *routes.ts(x), or building a router itself. */
function isRouteFile(path: string, text: string): boolean {
  if (path.startsWith('src/http/') || path === 'src/app.ts') return false;
  return /routes\.tsx?$/.test(path) || /\bnewRouter\(/.test(text);
}

interface Import {
  specifier: string;
  names: string;
}

/** The static and dynamic imports (and re-exports) of a module's text. */
function importsOf(text: string): Import[] {
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?:type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm)) found.push({ specifier: m[2]!, names: m[1]! });
  for (const m of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) found.push({ specifier: m[1]!, names: '' });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: m[1]!, names: '*' });
  return found;
}

/** What an import of `specifier` from `path` resolves to in src/, or undefined for a package. */
function resolved(path: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return posix.normalize(posix.join(posix.dirname(path), specifier)).replace(/\.js$/, '.ts').replace(/\.jsx$/, '.tsx');
}

const isHono = (specifier: string) => specifier === 'hono' || specifier.startsWith('hono/');
// @hono/zod-openapi's `z` is zod with OpenAPI metadata: schemas, no HTTP. Anything else from it is a router.
const isHonoHttp = (i: Import) => isHono(i.specifier) || (i.specifier.startsWith('@hono/') && !(i.specifier === '@hono/zod-openapi' && /^\{\s*z\s*\}$/.test(i.names)));

/** What a query looks like in a module's text (the tag with or without its row type: sql<T>`…`). */
const QUERIES: Array<[string, RegExp]> = [
  ['selectFrom(', /\bselectFrom\(/],
  ['insertInto(', /\binsertInto\(/],
  ['updateTable(', /\bupdateTable\(/],
  ['deleteFrom(', /\bdeleteFrom\(/],
  ['sql`', /\bsql(?:<[^`;]*?>)?`/],
];

/** The write runner: only domain operations run writes (a route file calls them). */
const WRITE_RUNNER = 'src/db/write-runner.ts';

/** The rule breaks in a set of files (path → text), each said in words. */
export function violations(sources: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [path, text] of sources) {
    const route = isRouteFile(path, text);
    const allowed = route || HONO_ALLOWED.some((a) => a.test(path));
    for (const i of importsOf(text)) {
      if (!allowed && isHonoHttp(i)) found.push(`${path} imports '${i.specifier}' outside the HTTP layer`);
      const target = resolved(path, i.specifier);
      if (route && target && target !== path && sources.has(target) && isRouteFile(target, sources.get(target)!)) {
        found.push(`${path} (a route file) imports the route file ${target}`);
      }
      if (route && target === WRITE_RUNNER) found.push(`${path} (a route file) imports ${WRITE_RUNNER}: writes run in the feature's domain operations`);
    }
    if (route) {
      for (const [query, pattern] of QUERIES) {
        if (pattern.test(text)) found.push(`${path} (a route file) contains ${query}: queries belong in the feature's read or write module`);
      }
    }
  }
  return found;
}

describe('the layering of src/', () => {
  it('finds the source files', () => {
    expect(files.has('src/app.ts')).toBe(true);
    expect([...files.keys()].filter((p) => isRouteFile(p, files.get(p)!))).toContain('src/rewards/redemption-routes.ts');
  });

  it('keeps Hono in src/http/, the route files, the pages and the entries; route files declare and call, never query, run a write or import each other', () => {
    expect(violations(files)).toEqual([]);
  });

  it('sees each kind of break', () => {
    const broken = new Map(files);
    broken.set('src/claims/decide.ts', `import type { Context } from 'hono';\n${files.get('src/claims/decide.ts')}`);
    broken.set('src/ledger/read.ts', `import { HTTPException } from 'hono/http-exception';\n${files.get('src/ledger/read.ts')}`);
    broken.set('src/rewards/catalog.ts', `import { OpenAPIHono } from '@hono/zod-openapi';\n${files.get('src/rewards/catalog.ts')}`);
    broken.set('src/claims/routes.ts', `import { redemptionRoutes } from '../rewards/redemption-routes.js';\nimport { commitWrite } from '../db/write-runner.js';\n${files.get('src/claims/routes.ts')}\nconst q = (db: any) => db.selectFrom('claims');\nconst r = sql<number>\`SELECT 1\`;\n`);
    expect(violations(broken).sort()).toEqual([
      "src/claims/decide.ts imports 'hono' outside the HTTP layer",
      "src/ledger/read.ts imports 'hono/http-exception' outside the HTTP layer",
      "src/rewards/catalog.ts imports '@hono/zod-openapi' outside the HTTP layer",
      'src/claims/routes.ts (a route file) imports the route file src/rewards/redemption-routes.ts',
      "src/claims/routes.ts (a route file) imports src/db/write-runner.ts: writes run in the feature's domain operations",
      "src/claims/routes.ts (a route file) contains selectFrom(: queries belong in the feature's read or write module",
      "src/claims/routes.ts (a route file) contains sql`: queries belong in the feature's read or write module",
    ].sort());
  });
});
