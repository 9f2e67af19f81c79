import { refuse } from '../errors.js';
import type { EvidenceType } from './limits.js';

/**
 * Where evidence images are kept, by the SHA-256 (hex) of their bytes: the
 * data folder on Node (src/entry/evidence-files.ts), an R2 bucket on Workers
 * (r2EvidenceStore). Putting what is there already changes nothing.
 */
export interface EvidenceStore {
  put(sha256: string, bytes: Uint8Array, contentType: EvidenceType): Promise<void>;
  /** The stored bytes, or undefined when nothing is stored under this hash. */
  get(sha256: string): Promise<Uint8Array | undefined>;
}

/** What the service uses of a Workers R2 binding (R2Bucket). */
export interface R2BucketLike {
  head(key: string): Promise<unknown>;
  put(key: string, value: Uint8Array, options?: { httpMetadata?: { contentType?: string }; sha256?: string }): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
}

const keyOf = (sha256: string) => `evidence/${sha256}`;

/** Evidence in an R2 bucket (wrangler.toml `[[r2_buckets]]`, binding EVIDENCE). */
export function r2EvidenceStore(bucket: R2BucketLike): EvidenceStore {
  return {
    async put(sha256, bytes, contentType) {
      if (await bucket.head(keyOf(sha256))) return;
      // R2 checks the bytes it received against the hash, so a truncated upload is not stored under it.
      await bucket.put(keyOf(sha256), bytes, { httpMetadata: { contentType }, sha256 });
    },
    async get(sha256) {
      const object = await bucket.get(keyOf(sha256));
      return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
    },
  };
}

/** For a service given no place to keep evidence (a Worker without the EVIDENCE binding): uploads and reads answer 503. */
export function missingEvidenceStore(): EvidenceStore {
  const missing = async (): Promise<never> => {
    throw refuse('misconfigured', 'No evidence store is configured: bind an R2 bucket as EVIDENCE');
  };
  return { put: missing, get: missing };
}
