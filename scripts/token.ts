// Prints a signed development token (only the JWT), using the keys of JIFEN_DATA_DIR.
// npm run --silent token -- --role organizer --org <id> [--sub <subject>] [--ttl 8h]
// With --link, prints a sign-in link for the web pages instead, under --url <base>
// (default: JIFEN_PUBLIC_URL, else http://localhost:$PORT, where npm start listens).
import { parseArgs } from 'node:util';
import { loadNodeConfig } from '../src/config/node.js';
import { ROLES, type Role } from '../src/auth/caller.js';
import { mintToken } from '../src/auth/mint.js';
import { signInLink } from '../src/pages/sign-in-link.js';
import { serviceUrl } from './service-url.js';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    sub: { type: 'string' },
    org: { type: 'string' },
    merchant: { type: 'string' },
    member: { type: 'string' },
    ttl: { type: 'string', default: '8h' },
    link: { type: 'boolean', default: false },
    url: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
if (role === 'organizer' && !values.org) fail('an organizer token needs --org <org id>');
if (role === 'merchant' && !values.merchant) fail('a merchant token needs --merchant <merchant id>');
if (role === 'worker' && !values.member) fail('a worker token needs --member <member id>');

try {
  const config = await loadNodeConfig();
  if (!config.jwt.secret) fail('JIFEN_JWT_SECRET is not set and JWKS verification is configured: mint tokens with your identity provider');
  const token = await mintToken(config.jwt.secret, {
    role,
    ...(values.sub ? { sub: values.sub } : {}),
    ...(values.org ? { org_id: values.org } : {}),
    ...(values.merchant ? { merchant_id: values.merchant } : {}),
    ...(values.member ? { member_id: values.member } : {}),
    ttl: values.ttl!,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
  });
  const base = serviceUrl(config, values.url);
  process.stdout.write(`${values.link ? signInLink(base, token) : token}\n`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
