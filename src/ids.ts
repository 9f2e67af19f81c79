/** Random bytes each id draws: 62 random bits are used (and 11 seed a millisecond's counter). */
const RANDOM_BYTES = 10;
/**
 * Drawn from the CSPRNG a few kilobytes at a time: one getRandomValues call
 * per id cost more than everything else newId does (ids are made on every write).
 */
const pool = new Uint8Array(4000);
let drawn = pool.length;
let lastMs = 0;
let counter = 0;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

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
  if (drawn + RANDOM_BYTES > pool.length) {
    crypto.getRandomValues(pool);
    drawn = 0;
  }
  const at = drawn;
  drawn += RANDOM_BYTES;
  // Within one millisecond the 12 bits after the version are a counter
  // (RFC 9562 §6.2, method 1) started at a random value below 2048, so ids
  // made one after another in a process sort in the order they were made
  // (rows made in one request keep their order); past 4095 the millisecond
  // moves on. A clock set back by more than a second starts afresh.
  const now = Date.now();
  if (now <= lastMs && lastMs - now < 1000 && counter < 0xfff) counter++;
  else {
    lastMs = now <= lastMs && lastMs - now < 1000 ? lastMs + 1 : now;
    counter = ((pool[at]! << 8) | pool[at + 1]!) & 0x7ff;
  }
  // 48 bits of milliseconds are 12 hex digits until the year 10889.
  let hex = lastMs.toString(16).padStart(12, '0');
  hex += `7${counter.toString(16).padStart(3, '0')}`; // version 7, then the 12-bit counter
  hex += HEX[(pool[at + 2]! & 0x3f) | 0x80]; // RFC 9562 variant, then 6 random bits
  for (let i = at + 3; i < at + RANDOM_BYTES; i++) hex += HEX[pool[i]!];
  return `${prefix}_${hex}`;
}
