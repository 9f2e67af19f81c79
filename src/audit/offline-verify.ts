import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { parsePoints } from '../ledger/amount.js';
import { GENESIS_HASH, hashTransaction } from '../ledger/hash.js';
import { CHECKPOINT_TYPE } from './checkpoints.js';
import type { ExportedTransaction } from './export.js';

export interface PublishedCheckpoint {
  seq: number;
  hash: string;
  issued_at: string;
  jws: string;
}

export interface HistoryReport {
  ok: boolean;
  checked: number;
  checkpoints_verified: number;
  latest_checkpoint_seq: number | null;
  first_bad_seq?: number;
  failure?: string;
}

/**
 * Checks, without trusting the operator, that an exported history hashes to
 * every signed checkpoint: each checkpoint's signature against the published
 * keys, then the chain from genesis — contiguous seqs, each prev_hash the
 * hash before it, each hash recomputed — with the hash at every checkpoint's
 * seq equal to the signed one. An earlier checkpoint is then a prefix of the
 * latest, so history rewritten after a checkpoint was shared is caught.
 */
export async function verifyHistory(input: {
  transactions: AsyncIterable<ExportedTransaction>;
  checkpoints: readonly PublishedCheckpoint[];
  jwks: JSONWebKeySet;
}): Promise<HistoryReport> {
  const keys = createLocalJWKSet(input.jwks);
  const signed: PublishedCheckpoint[] = [];
  for (const cp of input.checkpoints) {
    let payload: { seq?: unknown; hash?: unknown; issued_at?: unknown };
    try {
      const verified = await compactVerify(cp.jws, keys, { algorithms: ['EdDSA'] });
      if (verified.protectedHeader.typ !== CHECKPOINT_TYPE) throw new Error('not a checkpoint');
      payload = JSON.parse(new TextDecoder().decode(verified.payload));
    } catch {
      return fail(0, signed.length, null, `checkpoint at seq ${cp.seq} does not verify with the published keys`);
    }
    if (payload.seq !== cp.seq || payload.hash !== cp.hash || payload.issued_at !== cp.issued_at) {
      return fail(0, signed.length, null, `checkpoint at seq ${cp.seq} says something other than what it signed`);
    }
    signed.push(cp);
  }
  signed.sort((a, b) => a.issued_at.localeCompare(b.issued_at));
  for (let i = 1; i < signed.length; i++) {
    if (signed[i]!.seq < signed[i - 1]!.seq) return fail(0, signed.length, null, `checkpoint issued ${signed[i]!.issued_at} goes back in the chain`);
  }
  const latest = signed.at(-1)?.seq ?? null;
  const due = new Map<number, string[]>();
  for (const cp of signed) due.set(cp.seq, [...(due.get(cp.seq) ?? []), cp.hash]);

  let prev = GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  for await (const tx of input.transactions) {
    if (latest !== null && tx.seq > latest) break;
    if (tx.seq !== expected) return fail(checked, signed.length, latest, `missing transaction ${expected}`, expected);
    if (tx.prev_hash !== prev) return fail(checked, signed.length, latest, 'prev_hash does not match the hash before it', tx.seq);
    const recomputed = hashTransaction(prev, { ...tx, postings: tx.postings.map((p) => ({ account_id: p.account_id, amount: parsePoints(p.amount) })) });
    if (recomputed !== tx.hash) return fail(checked, signed.length, latest, 'hash does not match the transaction', tx.seq);
    for (const signedHash of due.get(tx.seq) ?? []) {
      if (signedHash !== recomputed) return fail(checked, signed.length, latest, `history differs from the checkpoint signed at seq ${tx.seq}`, tx.seq);
    }
    prev = recomputed;
    expected++;
    checked++;
  }
  if (latest !== null && checked < latest) return fail(checked, signed.length, latest, `history ends at seq ${checked}, before the checkpoint at ${latest}`, checked + 1);
  return { ok: true, checked, checkpoints_verified: signed.length, latest_checkpoint_seq: latest };
}

function fail(checked: number, checkpoints: number, latest: number | null, failure: string, seq?: number): HistoryReport {
  return { ok: false, checked, checkpoints_verified: checkpoints, latest_checkpoint_seq: latest, failure, ...(seq !== undefined ? { first_bad_seq: seq } : {}) };
}
