import { base32crockford } from '@scure/base';
import encodeQR from 'qr';
import { sha256Hex } from '../ledger/hash.js';

/** Characters of a sign-in code: 28 Crockford base32 characters = 140 bits from the CSPRNG. */
const CODE_LENGTH = 28;
const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]+$/;

/**
 * A new one-time sign-in code, e.g. "K7QM-2XWD-9HPA-…" (seven groups of four):
 * 140 random bits, so guessing one is hopeless without any rate limit, and a
 * plain SHA-256 is all that needs storing.
 */
export function newSignInCode(): string {
  const text = base32crockford.encode(crypto.getRandomValues(new Uint8Array(18))).slice(0, CODE_LENGTH);
  return text.match(/.{4}/g)!.join('-');
}

/**
 * A typed or scanned code in canonical form (upper case, no dashes or spaces;
 * Crockford reads O as 0 and I, L as 1), or null when it cannot be a code.
 */
export function canonicalSignInCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return raw.length === CODE_LENGTH && CROCKFORD.test(raw) ? raw : null;
}

/** What is stored of a sign-in code (its canonical form's SHA-256, under its own label). */
export function hashSignInCode(canonical: string): string {
  return sha256Hex(`jifen-sign-in-code:${canonical}`);
}

/**
 * The link a sign-in card's QR code holds: the code rides in the fragment,
 * which browsers never send to a server, so it stays out of access logs.
 * @example signInCodeUrl('https://jifen.example', 'K7QM-…') // "https://jifen.example/app/sign-in#code=K7QM…"
 */
export function signInCodeUrl(origin: string, code: string): string {
  return `${origin.replace(/\/+$/, '')}/app/sign-in#code=${code.replace(/-/g, '')}`;
}

/**
 * A sign-in link as an SVG QR code, for a printed enrolment card (quartile
 * error correction, as a card gets creased and dirty; the four-module quiet zone).
 * @example signInQrSvg(signInCodeUrl(origin, code)).startsWith('<svg') // true
 */
export function signInQrSvg(url: string): string {
  return encodeQR(url, 'svg', { ecc: 'quartile', border: 4 });
}
