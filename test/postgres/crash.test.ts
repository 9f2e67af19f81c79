import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';

// `npm run test:crash -- --engine postgres`: two service processes on one
// PostgreSQL database under concurrent keyed writes; one or the other
// SIGKILLed at random moments and restarted, and PostgreSQL itself stopped at
// once and restarted under load three times (clients get 503 with
// Retry-After, never a 500, and the services recover alone). After every
// restart each write is retried and answered as first; at the end the
// database holds exactly the acknowledged writes (scripts/crash-test.ts).
const root = new URL('../../', import.meta.url).pathname;

describe('crash test on PostgreSQL', () => {
  it('survives SIGKILLs of either of two services and restarts of PostgreSQL under load: nothing acknowledged lost or doubled', async () => {
    const args = ['--import', 'tsx', 'scripts/crash-test.ts', '--engine', 'postgres', '--kills', '10', '--pg-restarts', '3', '--clients', '4', '--min-ms', '150', '--max-ms', '400', '--seed', '11', '--runner', 'bundle'];
    const child = spawn(process.execPath, args, { cwd: root });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), 220_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(timer);
    console.log(output.trim());
    expect(code, output).toBe(0);
    expect(output).toMatch(/PostgreSQL, two services, 3 server restarts under load \((\d+) answers 503 with Retry-After/);
    expect(Number(/\((\d+) answers 503/.exec(output)![1])).toBeGreaterThan(0);
    expect(output).toContain('crash test passed');
  }, 240_000);
});
