// node:crypto is native on Node and in Workers (nodejs_compat), and synchronous
// on both: five times faster than a pure-JS SHA-256 over a long chain.
// A namespace import: a runtime without the one-shot `hash` still links.
import * as nodeCrypto from 'node:crypto';
import type { Database } from '../db/types.js';

/** The `prev_hash` of the first transaction. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the hash of one transaction covers, in a fixed order. */
export type HashedTransaction = Omit<Database['transactions'], 'prev_hash' | 'hash'> & {
  postings: ReadonlyArray<{ account_id: string; amount: number }>;
};

/**
 * Canonical bytes of a transaction: a JSON array with fields in a fixed order
 * and postings sorted by account, so the same transaction always hashes alike.
 */
export function canonicalTransaction(tx: HashedTransaction): string {
  const postings = inCanonicalOrder(tx.postings).map((p) => [p.account_id, p.amount]);
  return JSON.stringify([
    tx.seq,
    tx.id,
    tx.kind,
    tx.actor,
    tx.memo,
    tx.ref_type,
    tx.ref_id,
    tx.reverses_id,
    tx.created_at,
    postings,
  ]);
}

/** Postings sorted by account id, the order of the canonical bytes (and of insertion). */
export function inCanonicalOrder<P extends { account_id: string }>(postings: readonly P[]): P[] {
  return [...postings].sort((a, b) => (a.account_id < b.account_id ? -1 : a.account_id > b.account_id ? 1 : 0));
}

/** hash = SHA-256(prev_hash ‖ "\n" ‖ canonical bytes), hex. Synchronous on every runtime. */
export function hashTransaction(prevHash: string, tx: HashedTransaction): string {
  return sha256Hex(`${prevHash}\n${canonicalTransaction(tx)}`);
}

/** Node's one-shot digest (Node 20.12+): a third of createHash's cost per call, which verify pays once per transaction. */
const oneShot = typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : undefined;

/** SHA-256 of a string's UTF-8 bytes, hex. */
export function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : nodeCrypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 of bytes, hex. */
export function sha256HexOfBytes(bytes: Uint8Array): string {
  return nodeCrypto.createHash('sha256').update(bytes).digest('hex');
}
