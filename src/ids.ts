/**
 * A new opaque id with a readable prefix, e.g. `org_3f9c…`. 122 random bits
 * from the platform's CSPRNG (Node and Workers both provide randomUUID).
 * @example newId('mem') // "mem_0b5e3f0c9d8a4e51b3f1c2d4e5f60718"
 */
export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;
}
