import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

// `npm run test:crash` in CI's configuration: 20 kills, with the entry
// bundled once so restarts are quick (npm run test:crash runs it with tsx,
// exactly as npm start does): the Node entry on a file database, SIGKILLed at random moments under
// concurrent keyed writes, restarted, and checked after every restart and
// in the file at the end (scripts/crash-test.ts says what).
const root = new URL('../../', import.meta.url).pathname;
const KILLS = '20';

describe('crash test', () => {
  it(`survives ${KILLS} SIGKILLs under load: every acknowledged write there once, every retry answered as first, the ledger sound`, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/crash-test.ts', '--kills', KILLS, '--clients', '4', '--min-ms', '100', '--max-ms', '400', '--seed', '8', '--runner', 'bundle'], { cwd: root });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), 220_000); // the script then kills its service too
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(timer);
    console.log(output.trim());
    expect(code, output).toBe(0);
    expect(output).toMatch(new RegExp(`crash test \\(seed 8, bundle\\): ${KILLS} SIGKILLs`));
    expect(output).toContain('crash test passed');
  }, 240_000);
});
