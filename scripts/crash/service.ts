// The real Node entry as a child process on a data folder, started, killed
// and restarted by the crash test.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

/**
 * How the entry is run. `tsx`: exactly `npm start`'s command (node with the
 * tsx loader), about 3 s to start on this machine. `bundle`: the same
 * src/entry/node.ts compiled once by esbuild (which tsx uses per file) into
 * one file under scratch/ (so `../../schema/` still resolves), about 0.6 s
 * to start — what lets CI afford twenty restarts.
 */
export type Runner = 'tsx' | 'bundle';

/** The node arguments that start the entry with `runner`. */
export function entryArgs(runner: Runner): string[] {
  if (runner === 'tsx') return ['--import', 'tsx', 'src/entry/node.ts'];
  const out = join(root, 'scratch', 'crash-build', 'entry.mjs');
  const built = spawnSync(
    join(root, 'node_modules', '.bin', 'esbuild'),
    ['src/entry/node.ts', '--bundle', '--platform=node', '--format=esm', '--external:better-sqlite3', `--outfile=${out}`, '--log-level=error',
      "--banner:js=import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"],
    { cwd: root, encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`esbuild could not bundle the entry: ${built.stderr || built.error}`);
  // The writer thread is loaded by URL next to the code that starts it: ship it beside the bundle.
  for (const file of ['writer-thread.js', 'commit-group.js']) copyFileSync(join(root, 'src', 'db', file), join(dirname(out), file));
  return [out];
}

/** A running service. */
export interface Service {
  url: string;
  child: ChildProcess;
  /** Sends the signal and waits for the process to be gone. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/** Starts the entry (`entryArgs`) on `env` and waits until it listens. */
export function startService(args: string[], env: Record<string, string>): Promise<Service> {
  // node itself runs the entry, not the tsx wrapper: the signal must reach
  // the process that holds the database (the wrapper would die alone).
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start within 30 s: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/localhost:\d+)/);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({
        url: match[1]!.replace('localhost', '127.0.0.1'),
        child,
        stop: async (signal) => {
          child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk) => (output += chunk));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code}) before listening: ${output}`));
    });
  });
}
