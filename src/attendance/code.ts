import { base64url } from 'jose';

/**
 * The rotating attendance code, stated once: every route, test and page
 * reads these. Like a one-time password (RFC 6238), the code of a step is an
 * HMAC of the event's secret and the step number; the current step and
 * TOLERANCE_STEPS before it are accepted, older ones are "stale".
 */
export const ATTENDANCE_CODE = {
  /** Seconds a code is shown for. */
  stepSeconds: 30,
  /** Earlier steps still accepted (a worker who scanned just before the change). */
  toleranceSteps: 1,
  /** Earlier steps still recognised, to say "expired" rather than "wrong" (10 minutes). */
  staleSteps: 20,
  /** Crockford base32: no I, L, O or U; typed O reads as 0, I and L as 1. */
  alphabet: '0123456789ABCDEFGHJKMNPQRSTVWXYZ',
  length: 6,
} as const;

/** The attendance key: HKDF-SHA256 of the signing key's private half under its own label. */
export async function deriveAttendanceKey(signingKey: { d?: unknown }): Promise<Uint8Array> {
  if (typeof signingKey.d !== 'string') throw new Error('the signing key has no private part to derive the attendance key from');
  const ikm = await crypto.subtle.importKey('raw', new Uint8Array(base64url.decode(signingKey.d)), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode('jifen'), info: new TextEncoder().encode('jifen attendance codes v1') },
    ikm,
    256,
  );
  return new Uint8Array(bits);
}

const hmacKey = (key: Uint8Array) => crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);

async function hmac(key: CryptoKey, message: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, message as Uint8Array<ArrayBuffer>));
}

/** An event's secret (as an HMAC key): derived from the attendance key and the event id, never stored. */
export async function eventSecret(attendanceKey: Uint8Array, eventId: string): Promise<CryptoKey> {
  return hmacKey(await hmac(await hmacKey(attendanceKey), new TextEncoder().encode(`event:${eventId}`)));
}

/** The step an instant falls in. */
export function stepOf(at: Date): number {
  return Math.floor(at.getTime() / (ATTENDANCE_CODE.stepSeconds * 1000));
}

/** When a step ends (the next code starts). */
export function stepEndsAt(step: number): Date {
  return new Date((step + 1) * ATTENDANCE_CODE.stepSeconds * 1000);
}

/** The code of a step: the HMAC's first 30 bits as six characters of the alphabet. */
export async function codeOfStep(secret: CryptoKey, step: number): Promise<string> {
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, BigInt(step));
  const mac = await hmac(secret, message);
  let bits = 0n;
  for (let i = 0; i < 4; i++) bits = (bits << 8n) | BigInt(mac[i]!);
  let code = '';
  for (let i = 0; i < ATTENDANCE_CODE.length; i++) {
    const shift = BigInt(32 - 5 * (i + 1));
    code += ATTENDANCE_CODE.alphabet[Number((bits >> shift) & 31n)];
  }
  return code;
}

/** A typed or scanned code in canonical form: upper case, no spaces or dashes, O as 0, I and L as 1. */
export function normalizeAttendanceCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/**
 * How a code compares with an event's recent codes: 'current' (this step or
 * within the tolerance, with the step it matched), 'stale' (an older code of
 * the last staleSteps), or null (not this event's).
 */
export async function matchCode(secret: CryptoKey, code: string, now: Date): Promise<{ kind: 'current' | 'stale'; step: number } | null> {
  const step = stepOf(now);
  for (let back = 0; back <= ATTENDANCE_CODE.staleSteps; back++) {
    if ((await codeOfStep(secret, step - back)) === code) return { kind: back <= ATTENDANCE_CODE.toleranceSteps ? 'current' : 'stale', step: step - back };
  }
  return null;
}
