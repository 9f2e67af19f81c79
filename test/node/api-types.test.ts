import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypesSource } from '../../scripts/gen-api-types.js';

// The pages' API client is typed by src/pages/client/api-types.gen.ts, and
// tsc checks the pages against it (tsconfig.client.json). That only holds
// the pages to the contract while the file is the contract: regenerate it
// from the document the app serves and fail when the committed one differs.
describe('the pages’ API types', () => {
  it('are the types of the OpenAPI document the app serves (npm run gen:api-types)', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    const fresh = await apiTypesSource();
    expect(fresh).toContain('"/v1/me/redeem-codes"');
    expect(committed === fresh, 'src/pages/client/api-types.gen.ts is stale: run npm run gen:api-types and commit it').toBe(true);
  });
});
