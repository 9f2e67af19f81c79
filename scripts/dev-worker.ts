// Serves the Worker locally with wrangler dev and a local D1: npm run dev:worker
// Secrets come from .dev.vars, written from this data folder's development
// keys, so `npm run token` mints tokens the local Worker accepts.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadNodeConfig } from '../src/config/node.js';

const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
const port = process.env.PORT ?? '8787';

if (!existsSync('.dev.vars')) {
  const config = await loadNodeConfig();
  // Single quotes: dotenv keeps the JSON inside them as it is.
  const lines = [`JIFEN_SIGNING_KEY='${JSON.stringify(config.signingKey)}'`];
  if (config.jwt.secret) lines.push(`JIFEN_JWT_SECRET='${config.jwt.secret}'`);
  writeFileSync('.dev.vars', `${lines.join('\n')}\n`, { mode: 0o600 });
  process.stdout.write('wrote .dev.vars from the development keys in the data folder\n');
}

const run = (args: string[]) => {
  const result = spawnSync('npx', ['wrangler', ...args], { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run(['d1', 'migrations', 'apply', 'DB', '--local']);
process.stdout.write(
  `Jifen Worker on http://127.0.0.1:${port}  (docs: http://127.0.0.1:${port}/docs; token: npm run --silent token -- --role admin;` +
    ` demo data into the local D1: npm run seed:demo -- --http --url http://127.0.0.1:${port})\n`,
);
run(['dev', '--ip', '127.0.0.1', '--port', port]);
