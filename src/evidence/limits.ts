/**
 * What an evidence upload may be: the one place the route, its refusals, the
 * body limit and the worker's page read the types and the size from.
 */

/** The image types taken, as their Content-Type. The page sends JPEG (its canvas re-encodes the photo). */
export const EVIDENCE_TYPES = ['image/jpeg', 'image/png'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

/** Largest image taken, in bytes (2 MiB): a phone photo resized by the page to 1,600 px is a few hundred KB. */
export const EVIDENCE_MAX_BYTES = 2 * 1024 * 1024;

/** The longest side, in pixels, the page resizes a photo to before uploading it. */
export const EVIDENCE_MAX_SIDE = 1600;

/** Where evidence is uploaded: a request whose body is an image, not JSON. */
export const EVIDENCE_PATH = '/v1/evidence';

/** Whether a request is an evidence upload. */
export const isEvidenceUpload = (method: string, path: string) => method === 'POST' && path === EVIDENCE_PATH;

/** The image type a Content-Type names (parameters ignored), if it is one taken. */
export function evidenceTypeOf(contentType: string | undefined): EvidenceType | undefined {
  const bare = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return (EVIDENCE_TYPES as readonly string[]).includes(bare) ? (bare as EvidenceType) : undefined;
}
