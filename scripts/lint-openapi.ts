/**
 * Lints the contract the app actually serves: builds the app in-process over
 * an in-memory database, fetches /openapi.json, and runs `redocly lint` (its
 * recommended rules) on it. Exits non-zero when redocly reports errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from '../test/support/harness-sqlite.js';

const h = await createHarness();
const answer = await h.call('GET', '/openapi.json');
if (answer.status !== 200) {
  console.error(`GET /openapi.json answered ${answer.status}`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'jifen-openapi-'));
const file = join(dir, 'openapi.json');
writeFileSync(file, JSON.stringify(answer.body, null, 2));
const lint = spawnSync('node_modules/.bin/redocly', ['lint', '--extends=recommended', file], { stdio: 'inherit' });
rmSync(dir, { recursive: true, force: true });
process.exit(lint.status ?? 1);
