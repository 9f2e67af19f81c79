// `npm run build`: the Node service as one ES module, for running without a
// TypeScript loader (`node build/node/entry.mjs`). esbuild is what tsx runs on
// every file at start; bundling once saves the loader thread's memory and the
// start-up compile. better-sqlite3 stays external (a native addon). The
// writer thread is a second entry, build/node/writer-thread.mjs, which the
// bundled executor starts by URL beside itself. `../../schema/` still
// resolves from build/node/. The pages' browser scripts are bundled into
// build/node/pages/, which the built entry reads, so it needs no esbuild.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writePageScripts } from '../src/pages/bundle-pages.js';

const root = new URL('../', import.meta.url).pathname;

/**
 * Bundles src/entry/node.ts into `<outDir>/entry.mjs` and the writer thread
 * into `<outDir>/writer-thread.mjs` (outDir two levels below the root), and
 * the pages' scripts into `<outDir>/pages/`; returns the entry's path.
 */
export function buildNodeBundle(outDir = join(root, 'build', 'node')): string {
  const out = join(outDir, 'entry.mjs');
  mkdirSync(outDir, { recursive: true });
  const built = spawnSync(
    join(root, 'node_modules', '.bin', 'esbuild'),
    ['entry=src/entry/node.ts', 'writer-thread=src/db/writer-thread.ts', '--bundle', '--platform=node', '--format=esm', '--target=node20', '--external:better-sqlite3', '--external:esbuild',
      `--outdir=${outDir}`, '--out-extension:.js=.mjs', '--log-level=error',
      "--banner:js=import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"],
    { cwd: root, encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`esbuild could not bundle the entry and the writer thread: ${built.stderr || built.error}`);
  writePageScripts(join(outDir, 'pages'));
  return out;
}

/**
 * How the entry is run. `tsx`: exactly `npm start`'s command (node with the
 * tsx loader). `bundle`: `npm run build`'s single file, built into `outDir`.
 */
export type Runner = 'tsx' | 'bundle';

/** The node arguments that start the entry with `runner`. */
export function entryArgs(runner: Runner, outDir?: string): string[] {
  if (runner === 'tsx') return ['--import', 'tsx', 'src/entry/node.ts'];
  return [buildNodeBundle(outDir)];
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const out = buildNodeBundle();
  process.stdout.write(`built ${out.slice(root.length)}; run it with: node ${out.slice(root.length)}\n`);
}
