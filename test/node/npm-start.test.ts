import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `npm start` as a supervisor (systemd, a container runtime, a shell's kill)
// sees it: the npm process is the one it signals, and the server must go with it.
const root = new URL('../../', import.meta.url).pathname;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let child: ChildProcess | undefined;
let serverPid: number | undefined;
let blocker: Server | undefined;
let dir = '';

afterEach(() => {
  // Only what this test started, by pid.
  for (const pid of [serverPid, child?.pid]) {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  child = undefined;
  serverPid = undefined;
  blocker?.close();
  blocker = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function npmStart(port: number): { exited: Promise<number | null>; output: () => string } {
  dir = mkdtempSync(join(tmpdir(), 'jifen-start-'));
  child = spawn(npm, ['start'], { cwd: root, env: { ...process.env, PORT: String(port), JIFEN_DATA_DIR: dir, JIFEN_LOG: 'off' } });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
  return { exited, output: () => output };
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
  });

describe('npm start', () => {
  it('is one server under npm that stops, and frees its port, when the npm process gets SIGTERM', async () => {
    const run = npmStart(0);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 12 s: ${run.output()}`)), 12_000);
      child!.stdout!.on('data', () => {
        const match = run.output().match(/listening on (http:\/\/localhost:(\d+))/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      void run.exited.then((code) => reject(new Error(`exited ${code}: ${run.output()}`)));
    });
    const port = Number(new URL(url).port);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    // npm runs the server itself (exec), not a shell or a tsx wrapper between them.
    const children = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(child!.pid)]).stdout.toString().trim().split('\n');
    expect(children).toHaveLength(1);
    expect(children[0]).toMatch(/node --import tsx src\/entry\/node\.ts/);
    serverPid = Number(children[0]!.trim().split(/\s+/)[0]);

    child!.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('SIGTERM: finishing in-flight requests, then closing the database');
    for (let i = 0; i < 50 && alive(serverPid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(serverPid)).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  }, 15_000);

  it('explains a port in use in one line, with no stack trace, and exits non-zero', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker!.listen(0, '0.0.0.0', () => resolve((blocker!.address() as { port: number }).port)));
    const run = npmStart(port);
    const code = await Promise.race([run.exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 12_000))]);
    expect(code).toBe(1);
    const ours = run.output().split('\n').filter((line) => line.startsWith('Jifen could not start'));
    expect(ours).toEqual([`Jifen could not start: port ${port} is already in use (0.0.0.0:${port}; another Jifen, or another service?): stop it, or set PORT=<another port>`]);
    expect(run.output()).not.toMatch(/\n\s+at |EADDRINUSE|Error:/);
  }, 15_000);
});
