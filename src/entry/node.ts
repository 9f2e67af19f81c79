import { serve } from '@hono/node-server';
import { createApp } from '../app.js';
import { ConfigError } from '../config/schema.js';
import { loadNodeConfig } from '../config/node.js';
import { openNodeBackend } from './node-deps.js';
import { nodeDocsAssets } from './docs-assets-node.js';
import { nodePageScripts } from './page-scripts-node.js';
import { startJobTimer } from '../jobs/job-timer.js';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = await loadNodeConfig();
  const backend = await openNodeBackend(config);
  const { deps } = backend;
  // The browser scripts are bundled (or read from build/) before the service listens.
  const app = createApp(deps, { docsAssets: nodeDocsAssets(), pageScripts: await nodePageScripts() });
  // One sweep at a time: a tick while the last sweep still runs is skipped.
  const jobs =
    config.jobsIntervalSeconds > 0
      ? startJobTimer(
          () => backend.runJobs(),
          config.jobsIntervalSeconds * 1000,
          () => deps.log.info({ msg: 'scheduled jobs still running; tick skipped' }),
        )
      : undefined;

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const url = `http://localhost:${info.port}`;
    process.stdout.write(
      [
        `Jifen is listening on ${url} (${backend.where})`,
        `  Web pages: ${url}/app   (sign-in links: npm run --silent token -- --role <role> ... --link, or npm run seed:demo)`,
        `  API docs:  ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
        `  A token:   npm run --silent token -- --role admin`,
        `  Try:       curl -H "Authorization: Bearer $(npm run --silent token -- --role admin)" ${url}/v1/audit/trial-balance`,
        '',
      ].join('\n'),
    );
  });

  // A port someone else holds (or one this user may not bind) is one line of explanation, not a stack trace.
  server.once('error', (error: NodeJS.ErrnoException) => {
    const where = `${config.host}:${config.port}`;
    const why =
      error.code === 'EADDRINUSE'
        ? `port ${config.port} is already in use (${where}; another Jifen, or another service?): stop it, or set PORT=<another port>`
        : error.code === 'EACCES'
          ? `not allowed to listen on ${where}: set PORT=<a port above 1023>`
          : `cannot listen on ${where}: ${error.message}`;
    process.stderr.write(`Jifen could not start: ${why}\n`);
    // Set first: with nothing left to listen, the loop may empty before the writer thread has closed.
    process.exitCode = 1;
    void (jobs?.stop() ?? Promise.resolve())
      .then(() => backend.close())
      .finally(() => process.exit(1));
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const jobsStopped = jobs?.stop() ?? Promise.resolve();
    process.stdout.write(`${signal}: finishing in-flight requests, then closing the database\n`);
    const force = setTimeout(() => {
      process.stderr.write('shutdown took too long; exiting\n');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // Stops accepting connections and waits for in-flight requests to finish.
    server.close(() => {
      // The sweep in flight finishes its writes before the database closes.
      void jobsStopped.then(() => backend.close()).finally(() => process.exit(0));
    });
    // Idle keep-alive connections would otherwise hold close() open.
    (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Jifen could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
