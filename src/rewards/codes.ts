import { base32crockford } from '@scure/base';
import { sha256Hex } from '../ledger/hash.js';

/** Characters of a redeem code (Crockford base32: no I, L, O, U): 12 × 5 bits = 60 bits from the CSPRNG. */
const CODE_LENGTH = 12;

/**
 * A new one-time redeem code, e.g. "K7QM-2XWD-9HPA": 60 random bits. With a
 * lifetime of minutes and attempts rate-limited, guessing a live code is
 * hopeless; only its SHA-256 is stored.
 */
export function newRedeemCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const text = base32crockford.encode(bytes).slice(0, CODE_LENGTH);
  return `${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8, 12)}`;
}

/** A new discount card code: 80 random bits, prefixed so tills can tell it from a redeem code. */
export function newCardCode(): string {
  const text = base32crockford.encode(crypto.getRandomValues(new Uint8Array(10))).slice(0, 16);
  return `C-${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}`;
}

/** Canonical form of a typed or scanned code: upper case, no spaces, dashes where they belong. */
export function normalizeCode(input: string): string {
  // Crockford: O reads as 0, I and L as 1.
  const raw = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return raw.length === CODE_LENGTH ? `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}` : raw;
}

/** What is stored of a redeem code. */
export function hashCode(code: string): string {
  return sha256Hex(`jifen-redeem-code:${normalizeCode(code)}`);
}
