import { spawn, type ChildProcess } from 'node:child_process';

const root = new URL('../../../', import.meta.url).pathname;

/**
 * The service as `npm start` runs it (node --import tsx src/entry/node.ts) on
 * `dataDir` and a free port: the child, and its URL once it says it listens.
 */
export function startNodeService(dataDir: string, env: Record<string, string> = {}): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', JIFEN_LOG: 'off', JIFEN_DATA_DIR: dataDir, ...env },
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 20 s: ${output}`)), 20_000);
    child.stdout!.on('data', (d) => {
      output += d;
      const match = output.match(/listening on (http:\/\/localhost:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  return { child, url };
}
