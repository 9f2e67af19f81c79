// Debian's Chromium driven by playwright-core, offline: no browser download,
// no background networking, a fresh profile every launch. Used by the
// browser tests (test/e2e) and `npm run screenshots`.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser (`.ci/run` installs it). */
export const CHROMIUM = process.env.JIFEN_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium. Playwright gives every launch a new temporary
 * user-data-dir, and every `newContext()` its own storage, so two roles can
 * be signed in side by side.
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set JIFEN_CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  });
}

/** A phone: 360 CSS pixels wide, touch, Chinese unless told otherwise. */
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;
