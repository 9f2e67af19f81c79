import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { bundlePageScripts } from './src/pages/bundle-pages.js';

// Nothing here may reach the network (CI and this machine are offline).
process.env.WRANGLER_SEND_METRICS ??= 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

export default defineConfig(async () => {
  const migrations = await readD1Migrations(fileURLToPath(new URL('./schema', import.meta.url)));
  // workerd has no esbuild: the pages' scripts are bundled here, once, and bound for the harness.
  const pageScripts = await bundlePageScripts();
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        // TEST_MIGRATIONS lets each harness rebuild a fresh database from schema/.
        miniflare: { bindings: { TEST_MIGRATIONS: migrations, TEST_PAGE_SCRIPTS: pageScripts } },
      }),
    ],
    resolve: {
      alias: { '#harness': fileURLToPath(new URL('./test/support/harness-d1.ts', import.meta.url)) },
    },
    test: {
      name: 'd1',
      include: ['test/*.test.ts', 'test/workers/**/*.test.ts'],
      testTimeout: 60_000,
    },
  };
});
