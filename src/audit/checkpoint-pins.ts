import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { CHECKPOINT_TYPE } from './checkpoints.js';

/** A checkpoint as the service lists it (and as an auditor saves it). */
export interface PublishedCheckpoint {
  seq: number;
  hash: string;
  issued_at: string;
  jws: string;
}

/** What an auditor saved earlier and now holds the service to: its keys, and checkpoints signed with them. */
export interface Pins {
  jwks: JSONWebKeySet;
  checkpoints: readonly PublishedCheckpoint[];
}

/** A checkpoint named in plain words. */
export const checkpointName = (cp: PublishedCheckpoint) => `checkpoint at seq ${cp.seq} (issued ${cp.issued_at})`;

/**
 * Whether a checkpoint's JWS verifies with one of `keys` and says exactly its
 * listed seq, hash and issued_at: 'ok', 'unsigned' or 'misstated'.
 */
export async function checkCheckpointSignature(cp: PublishedCheckpoint, keys: JSONWebKeySet): Promise<'ok' | 'unsigned' | 'misstated'> {
  let payload: { seq?: unknown; hash?: unknown; issued_at?: unknown };
  try {
    const verified = await compactVerify(cp.jws, createLocalJWKSet(keys), { algorithms: ['EdDSA'] });
    if (verified.protectedHeader.typ !== CHECKPOINT_TYPE) return 'unsigned';
    payload = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch {
    return 'unsigned';
  }
  return payload.seq === cp.seq && payload.hash === cp.hash && payload.issued_at === cp.issued_at ? 'ok' : 'misstated';
}

/**
 * Holds the service to what was pinned, before any of its history is read:
 * each pinned checkpoint verifies with the pinned keys; every pinned key is
 * still published (same kid, same key material); every pinned checkpoint is
 * still listed, byte for byte. Answers why not, or null.
 */
export async function checkPins(service: { jwks: JSONWebKeySet; checkpoints: readonly PublishedCheckpoint[] }, pins: Pins): Promise<string | null> {
  if (pins.jwks.keys.length === 0) return 'the pins hold no keys: pin the jwks.json saved with the checkpoints';
  for (const cp of pins.checkpoints) {
    if ((await checkCheckpointSignature(cp, pins.jwks)) !== 'ok') return `pinned ${checkpointName(cp)} does not verify with the pinned keys`;
  }
  const published = new Set<string>();
  for (const key of service.jwks.keys ?? []) {
    const identity = await keyIdentity(key);
    if (identity) published.add(identity);
  }
  for (const key of pins.jwks.keys) {
    const identity = await keyIdentity(key);
    if (!identity || !published.has(identity)) return `pinned key ${key.kid ?? '(no kid)'} is no longer published by the service`;
  }
  for (const cp of pins.checkpoints) {
    const same = service.checkpoints.some((s) => s.jws === cp.jws && s.seq === cp.seq && s.hash === cp.hash && s.issued_at === cp.issued_at);
    if (same) continue;
    const changed = service.checkpoints.some((s) => s.seq === cp.seq && s.issued_at === cp.issued_at);
    return `pinned ${checkpointName(cp)} is ${changed ? 'different in' : 'missing from'} the service's list`;
  }
  return null;
}

/** A key's kid with its RFC 7638 thumbprint (the key material); null for a key jose cannot read. */
async function keyIdentity(key: JSONWebKeySet['keys'][number]): Promise<string | null> {
  try {
    return `${key.kid ?? ''} ${await calculateJwkThumbprint(key)}`;
  } catch {
    return null;
  }
}
