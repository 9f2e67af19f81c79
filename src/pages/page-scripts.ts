/** The browser scripts (entries in src/pages/client/), served as /app/assets/<name>.js. */
export const PAGE_SCRIPT_NAMES = ['common', 'sign-in', 'worker', 'merchant', 'organizer', 'auditor', 'admin'] as const;

/** The name of one browser script. */
export type PageScriptName = (typeof PAGE_SCRIPT_NAMES)[number];

/**
 * The bundled browser scripts, read however the runtime can: bundled in
 * memory by esbuild when Node starts from source, read from build/ when it
 * runs built, imported as text modules on Workers.
 */
export type PageScripts = Record<PageScriptName, () => string | Promise<string>>;

/** Whether `name` is one of the browser scripts. */
export function isPageScript(name: string): name is PageScriptName {
  return (PAGE_SCRIPT_NAMES as readonly string[]).includes(name);
}

/** Page scripts already in memory, as PageScripts. */
export function pageScriptsFrom(sources: Record<PageScriptName, string>): PageScripts {
  const read = (name: PageScriptName) => () => sources[name];
  return Object.fromEntries(PAGE_SCRIPT_NAMES.map((name) => [name, read(name)])) as PageScripts;
}
