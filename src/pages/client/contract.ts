// The service's API as types, generated from its own /openapi.json into
// build/ (gitignored) by `npm run gen:api-types`, which `npm run typecheck`
// runs first: a page that uses a field the contract lacks fails the check.
export type { components, paths } from '../../../build/api-types.gen.js';
