// Bundles the browser scripts (src/pages/client/<name>.ts, each with the
// modules it imports) with esbuild, on Node only: in memory when the service
// starts from source and in the tests, to files for `npm run build` and the
// Worker's build (scripts/build-pages.ts). esbuild is loaded only when called,
// so a built service, which reads the files, runs without it.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { PAGE_SCRIPT_NAMES, type PageScriptName } from './page-scripts.js';

const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));

function options(outdir: string): BuildOptions {
  return {
    entryPoints: Object.fromEntries(PAGE_SCRIPT_NAMES.map((name) => [name, `${CLIENT_DIR}${name}.ts`])),
    outdir,
    bundle: true,
    // Classic deferred scripts, each its own scope, as the pages load them (CSP: script-src 'self').
    format: 'iife',
    platform: 'browser',
    target: 'es2017',
    minify: true,
    charset: 'ascii',
    legalComments: 'none',
    logLevel: 'silent',
  };
}

let inMemory: Promise<Record<PageScriptName, string>> | undefined;

/** The bundled scripts by name, built once per process. */
export function bundlePageScripts(): Promise<Record<PageScriptName, string>> {
  return (inMemory ??= (async () => {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({ ...options('/pages'), write: false });
    const byName: Partial<Record<PageScriptName, string>> = {};
    for (const file of result.outputFiles) byName[file.path.replace(/^.*\//, '').replace(/\.js$/, '') as PageScriptName] = file.text;
    for (const name of PAGE_SCRIPT_NAMES) if (byName[name] === undefined) throw new Error(`esbuild wrote no ${name}.js`);
    return byName as Record<PageScriptName, string>;
  })());
}

/** Writes the bundled scripts to `<dir>/<name>.js`, synchronously (for the build scripts); returns their sizes in bytes. */
export function writePageScripts(dir: string): Record<string, number> {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const result = esbuild.buildSync({ ...options(dir), write: true, metafile: true });
  return Object.fromEntries(Object.entries(result.metafile.outputs).map(([file, out]) => [file, out.bytes]));
}
