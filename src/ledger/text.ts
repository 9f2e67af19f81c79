/**
 * The text the service accepts, anywhere: in a request body, a query, a path
 * or a token's claims, and in every text field a ledger transaction hashes.
 *
 * Accepted: well-formed Unicode (scalar values only, so every string has one
 * UTF-8 form), with tab, line feed and carriage return as the only control
 * characters. Refused: a lone UTF-16 surrogate (JSON can carry "\ud800", but
 * neither SQLite nor D1 can store it, so what is hashed would differ from what
 * is kept and the chain would fail to verify from that seq on), NUL and the
 * other C0 controls, DEL and the C1 controls (invisible, and some storage and
 * tools cut a string at NUL), and any string longer than MAX_TEXT_LENGTH.
 * Text is stored exactly as sent (no normalisation), so the canonical bytes
 * hashed are the bytes stored.
 */

/** Longest string accepted anywhere, in UTF-16 code units; fields set lower limits of their own. */
export const MAX_TEXT_LENGTH = 4000;

// Any control character but \t \n \r, DEL and C1. (Surrogates are checked with isWellFormed.)
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Why `text` is not acceptable text, in plain words; null when it is. */
export function textFault(text: string): string | null {
  if (text.length > MAX_TEXT_LENGTH) return `is longer than ${MAX_TEXT_LENGTH} characters`;
  if (!isWellFormedText(text)) return 'contains a broken character (a lone UTF-16 surrogate)';
  if (FORBIDDEN_CONTROL.test(text)) return 'contains a control character (only tab and line breaks are allowed)';
  return null;
}

/** Whether every surrogate in `text` is half of a pair. */
function isWellFormedText(text: string): boolean {
  // String.prototype.isWellFormed is in Node 20 and workerd; the loop is for older runtimes.
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  if (native) return native.call(text);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return false;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return false;
  }
  return true;
}

/** One string of a JSON value that is not acceptable text: where it is and why. */
export interface TextFaultAt {
  path: string;
  message: string;
}

/**
 * Every unacceptable string in a parsed JSON value, keys included, with its
 * path (`body.claims.3.reason`); at most `limit` of them.
 */
export function textFaultsIn(value: unknown, path: string, limit = 20): TextFaultAt[] {
  const found: TextFaultAt[] = [];
  // An explicit stack, not recursion: a body may nest arrays thousands deep.
  const pending: Array<[unknown, string]> = [[value, path]];
  while (pending.length > 0 && found.length < limit) {
    const [v, at] = pending.pop()!;
    if (typeof v === 'string') {
      const fault = textFault(v);
      if (fault) found.push({ path: at, message: fault });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) pending.push([v[i], `${at}.${i}`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v).reverse()) {
        const keyFault = textFault(key);
        if (keyFault) found.push({ path: at, message: `has a field name that ${keyFault}` });
        pending.push([item, `${at}.${key}`]);
      }
    }
  }
  return found;
}
