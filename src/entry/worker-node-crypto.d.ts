// Workers provide node:crypto under the nodejs_compat flag (wrangler.toml),
// but @cloudflare/workers-types does not declare it. This declares the one
// part the shared code uses, for the Workers typecheck only.
declare module 'node:crypto' {
  interface Hash {
    update(data: string, encoding: 'utf8'): Hash;
    update(data: Uint8Array): Hash;
    digest(encoding: 'hex'): string;
  }
  export function createHash(algorithm: 'sha256'): Hash;
  /** Not in every runtime: looked up before use. */
  export const hash: ((algorithm: 'sha256', data: string, outputEncoding: 'hex') => string) | undefined;
}
