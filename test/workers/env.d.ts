import type { D1Migration } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      EVIDENCE: R2Bucket;
      TEST_MIGRATIONS: D1Migration[];
      TEST_PAGE_SCRIPTS: Record<import('../../src/pages/page-scripts.js').PageScriptName, string>;
    }
  }
}
export {};
