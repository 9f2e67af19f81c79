/**
 * A new opaque id with a readable prefix, e.g. `tx_019ac5…`: a UUIDv7 (RFC 9562)
 * without dashes — 48 bits of Unix milliseconds, then 74 random bits from the
 * platform's CSPRNG (Node and Workers both provide getRandomValues). Ids made
 * later sort later, so the indexes keyed by id (transactions, postings, seals,
 * claims) grow at their end instead of at random pages: inserts and the
 * verifier's lookups stay in cached pages as the ledger grows. Ids are not
 * secrets (access is checked on every route); the time they carry is the row's
 * `created_at` anyway.
 * @example newId('mem') // "mem_019ac5d2e3a07c4f8b1e2d3c4b5a6978"
 */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return `${prefix}_${hex}`;
}
