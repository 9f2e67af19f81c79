import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createHarness } from '../../support/harness-sqlite.js';
import type { Harness } from '../../support/harness-core.js';
import { launchChromium, PHONE } from '../../../scripts/chromium.js';
import { signInLink } from '../../../src/pages/sign-in-link.js';

/** The real app served over HTTP on a free local port, on a fresh in-memory database and the real time. */
export async function startService(): Promise<{ h: Harness; base: string; close: () => Promise<void> }> {
  const h = await createHarness({ liveClock: true });
  const server = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    h,
    base: `http://127.0.0.1:${port}`,
    // Drops the connections a browser keeps open (keep-alive, preconnects), which would hold close() open.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as Server).closeAllConnections();
      }),
  };
}

/**
 * Registers the hooks of a browser test file: one Chromium for the file, and
 * for every test a fresh service (and database) and an empty complaints list.
 */
export function liveBrowser(chromiumArgs: readonly string[] = []) {
  const live = {} as { browser: Browser; service: Awaited<ReturnType<typeof startService>> };
  beforeAll(async () => {
    live.browser = await launchChromium(chromiumArgs);
  });
  afterAll(async () => {
    await live.browser?.close();
  });
  beforeEach(async () => {
    complaints.length = 0;
    live.service = await startService();
    // Every page and context a test opened is closed before its service stops.
    return async () => {
      await Promise.all(live.browser.contexts().map((context) => context.close()));
      await live.service.close();
    };
  });
  return live;
}

/** What the browser complained about: script errors, failed loads, CSP violations. */
export const complaints: string[] = [];

/** A phone signed in with a token through its sign-in link; lands on the role's page. */
export async function signedIn(browser: Browser, base: string, token: string, home: string): Promise<BrowserContext> {
  const context = await browser.newContext({ ...PHONE, timezoneId: 'Asia/Shanghai' });
  context.on('page', watch);
  const page = await context.newPage();
  await page.goto(signInLink(base, token));
  await page.waitForURL(`${base}${home}`);
  // The fragment is gone from the address bar, and the token is kept.
  expect(page.url()).not.toContain('token=');
  await page.close();
  return context;
}

/** Records a page's errors in `complaints`. */
export function watch(page: Page): void {
  page.on('pageerror', (error) => complaints.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    // An API refusal (4xx) is logged by the browser as a failed load; the page shows it in words.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) complaints.push(`${page.url()}: ${message.text()}`);
  });
}

/** Opens a page of the app and waits until its requests are done. */
export async function open(context: BrowserContext, base: string, path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}${path}`);
  await page.waitForLoadState('networkidle');
  return page;
}

/** The text of the page's error region (role=alert). */
export const alertText = async (page: Page) => ((await page.getByRole('alert').textContent()) ?? '').trim();
