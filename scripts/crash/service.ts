// The real Node entry as a child process on a data folder, started, killed
// and restarted by the crash test.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { entryArgs, type Runner } from '../build-node.js';

const root = new URL('../../', import.meta.url).pathname;

/**
 * How the crash test runs the entry. `tsx`: exactly `npm start`'s command,
 * about 3 s to start on this machine. `bundle`: `npm run build`'s bundle,
 * built under scratch/crash-build, about 0.6 s to start — what lets CI
 * afford twenty restarts.
 */
export type { Runner } from '../build-node.js';

/** The node arguments that start the entry with `runner` (a bundle under scratch/`build`: two crash tests at once build apart). */
export function crashEntryArgs(runner: Runner, build = 'crash-build'): string[] {
  return entryArgs(runner, join(root, 'scratch', build));
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
