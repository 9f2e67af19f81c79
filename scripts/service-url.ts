import type { Config } from '../src/config/schema.js';

/**
 * Where the scripts' printed links (and `seed:demo --http`'s requests) point:
 * `--url` when given, else JIFEN_PUBLIC_URL, else this machine at PORT (as
 * `npm start` listens). Exits with a one-line explanation on a URL that is not http(s).
 * @example serviceUrl({ port: 3000, publicUrl: undefined }) // "http://localhost:3000"
 */
export function serviceUrl(config: Pick<Config, 'port' | 'publicUrl'>, given?: string): string {
  const url = given ?? config.publicUrl ?? `http://localhost:${config.port}`;
  if (!/^https?:\/\/[^/\s]+/.test(url)) {
    process.stderr.write(`--url must be the service's address, like http://localhost:${config.port} (got ${url})\n`);
    process.exit(2);
  }
  return url.replace(/\/+$/, '');
}
