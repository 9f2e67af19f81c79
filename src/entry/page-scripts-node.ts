import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PAGE_SCRIPT_NAMES, pageScriptsFrom, type PageScriptName, type PageScripts } from '../pages/page-scripts.js';
import { bundlePageScripts } from '../pages/bundle-pages.js';

// Beside a built entry (build/node/entry.mjs): build/node/pages/, written by `npm run build`.
const BUILT = new URL('./pages/', import.meta.url);

/**
 * The browser scripts for a Node service: the files `npm run build` wrote
 * beside the built entry, so a built service needs no esbuild; from source,
 * bundled in memory by esbuild before the service listens.
 */
export async function nodePageScripts(): Promise<PageScripts> {
  if (existsSync(new URL('common.js', BUILT))) {
    const read = (name: PageScriptName) => readFileSync(fileURLToPath(new URL(`${name}.js`, BUILT)), 'utf8');
    return pageScriptsFrom(Object.fromEntries(PAGE_SCRIPT_NAMES.map((name) => [name, read(name)])) as Record<PageScriptName, string>);
  }
  return pageScriptsFrom(await bundlePageScripts());
}
