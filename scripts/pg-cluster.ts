// A private PostgreSQL cluster in a folder of its own, on a local port: what
// the `postgres` test project, the bench and the crash tests run against. It
// uses Debian's server binaries (`apt-get install -y postgresql`); the
// machine's default cluster is neither needed nor touched.
//
//   npx tsx scripts/pg-cluster.ts start [DIR] [PORT]   prints the URL
//   npx tsx scripts/pg-cluster.ts stop DIR
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A running private cluster. */
export interface PgCluster {
  dir: string;
  port: number;
  /** Superuser URL of the `postgres` database. */
  url: string;
  /** Stops the server (fast shutdown) and removes the folder unless `keep`. */
  stop(options?: { keep?: boolean }): void;
  /** `pg_ctl` with these arguments against this cluster (restart, stop -m immediate…). */
  ctl(...args: string[]): void;
  /** Starts the server again after a stop, with its settings (pg_ctl start alone would not know them). */
  start(): void;
  /** The same, without blocking this process's event loop meanwhile (a restart under load). */
  ctlAsync(...args: string[]): Promise<void>;
}

/** A local port no one listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Where Debian keeps the newest installed server's binaries, or null. */
export function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, 'bin') : null;
}

/** The command that runs a server binary: as root, as the `postgres` user (initdb and the server refuse root). */
function asPostgres(bin: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

const failed = (bin: string, args: string[], output: string) => new Error(`${bin.split('/').pop()} ${args.join(' ')} failed: ${output.trim()}`);

/** Runs a server binary and waits for it. */
function runAs(bin: string, args: string[], options: { quiet?: boolean } = {}): void {
  const result = spawnSync(...asPostgres(bin, args), { stdio: options.quiet ? 'pipe' : ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw failed(bin, args, result.stderr || result.stdout || '');
}

/** runAs without blocking the event loop. */
function runAsAsync(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(...asPostgres(bin, args), { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(failed(bin, args, err))));
  });
}

/** Server settings of a test cluster; `durable` keeps fsync (the bench, the crash tests). */
function serverOptions(dir: string, port: number, durable: boolean): string {
  const options = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=400', '-c shared_buffers=128MB'];
  // A test database is thrown away: no flush to disk makes creating one per test cheap.
  if (!durable) options.push('-c fsync=off', '-c full_page_writes=off', '-c synchronous_commit=off');
  return options.join(' ');
}

/**
 * Creates and starts a cluster in `dir` (a new temporary folder by default),
 * trusting local connections, and waits until it accepts them.
 */
export function startCluster(options: { dir?: string; port?: number; durable?: boolean } = {}): PgCluster {
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found: apt-get install -y postgresql');
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'jifen-pg-'));
  const port = options.port ?? 5433;
  const data = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  if (!existsSync(join(data, 'PG_VERSION'))) {
    runAs(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], { quiet: true });
  }
  // A server started (or restarted) by pg_ctl writes to the log file: on a pipe it would hold spawnSync open for its lifetime.
  const ctlArgs = (args: string[]) => ['-D', data, '-s', ...(args.includes('start') || args.includes('restart') ? ['-l', join(dir, 'server.log')] : []), ...args];
  const ctl = (...args: string[]) => runAs(join(bin, 'pg_ctl'), ctlArgs(args), { quiet: true });
  const ctlAsync = (...args: string[]) => runAsAsync(join(bin, 'pg_ctl'), ctlArgs(args));
  const start = () => ctl('-w', '-o', serverOptions(dir, port, options.durable ?? false), 'start');
  start();
  return {
    dir,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    ctl,
    ctlAsync,
    start,
    stop({ keep = false } = {}) {
      try {
        ctl('-m', 'fast', '-w', 'stop');
      } catch {
        // Already stopped.
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command, dir, port] = process.argv.slice(2);
  if (command === 'start') {
    const cluster = startCluster({ ...(dir ? { dir } : {}), ...(port ? { port: Number(port) } : {}), durable: true });
    console.log(cluster.url);
  } else if (command === 'stop' && dir) {
    const bin = pgBinDir();
    if (bin) runAs(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
  } else {
    console.error('usage: pg-cluster.ts start [DIR] [PORT] | stop DIR');
    process.exit(2);
  }
}
