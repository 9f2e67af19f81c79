import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { PAGE_PATHS } from '../src/pages/routes.js';
import { SCRIPTS } from '#harness';
import { zh } from '../src/pages/strings-zh.js';
import { en } from '../src/pages/strings-en.js';

// The pages come from createApp itself, so they are the same on Node and in the Worker.
let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});

describe('web pages', () => {
  it('serves every page as Chinese HTML under a strict CSP, with its scripts and stylesheet', async () => {
    for (const path of PAGE_PATHS) {
      const res = await h.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
      const html = await res.text();
      expect(html).toMatch(/^<!doctype html><html lang="zh-CN">/);
      expect(html).not.toMatch(/<script>|style="|on(click|load)=/);
      for (const src of html.match(/\/app\/assets\/[a-z-]+\.(js|css)/g)!) {
        const asset = await h.app.request(src);
        expect(asset.status, src).toBe(200);
        expect(asset.headers.get('content-type')).toMatch(src.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      }
    }
    expect((await h.app.request('/app/assets/nope.js')).status).toBe(404);
    expect((await h.app.request('/app')).headers.get('location')).toBe('/app/sign-in');
    // The service's bare address is the pages' front door.
    const front = await h.app.request('/');
    expect(front.status).toBe(302);
    expect(front.headers.get('location')).toBe('/app');
    expect((await h.app.request('/', { method: 'HEAD' })).status).toBe(302);
  });

  it('switches to English with ?lang=en and remembers it in a cookie', async () => {
    const res = await h.app.request('/app/worker?lang=en');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^jifen_lang=en;.*Path=\/app/);
    expect(await res.text()).toContain(`<h1>${en.title_worker_home}</h1>`);
    const again = await (await h.app.request('/app/worker/cards', { headers: { cookie: 'jifen_lang=en' } })).text();
    expect(again).toContain('<html lang="en">');
    expect(again).toContain(`"title_worker_cards":"${en.title_worker_cards}"`);
    expect(await (await h.app.request('/app/worker?lang=xx')).text()).toContain(`<h1>${zh.title_worker_home}</h1>`);
  });

  it('ships browser scripts that parse, with an English text for every Chinese one', () => {
    for (const [name, source] of Object.entries(SCRIPTS)) expect(() => new Function(source), name).not.toThrow();
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });
});
