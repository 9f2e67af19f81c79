import { z } from '@hono/zod-openapi';
import { defineRoute, IdParam, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { readEvidence, uploadEvidence } from './evidence.js';
import { EVIDENCE_MAX_BYTES, EVIDENCE_PATH, EVIDENCE_TYPES } from './limits.js';

const Binary = z.string().openapi({ format: 'binary' });
const imageContent = Object.fromEntries(EVIDENCE_TYPES.map((type) => [type, { schema: Binary }]));
const problem = problemResponses[400].content;

const EvidenceView = z
  .object({
    id: z.string(),
    sha256: z.string().openapi({ description: 'SHA-256 (hex) of the stored bytes: the image without its metadata' }),
    content_type: z.enum(EVIDENCE_TYPES),
    size: z.number().int().openapi({ description: 'Bytes stored' }),
    created_at: z.string(),
  })
  .openapi('Evidence');

const uploadRoute = defineRoute({
  method: 'post',
  path: EVIDENCE_PATH,
  operationId: 'uploadEvidence',
  tags: ['Worker', 'Organizer'],
  summary: 'Upload a photo as evidence for a claim (its metadata, location included, is removed before it is stored)',
  description: `The body is the image itself, ${EVIDENCE_TYPES.join(' or ')}, at most ${EVIDENCE_MAX_BYTES} bytes. Exif, XMP, IPTC, ICC and comments (JPEG) and text, eXIf and time chunks (PNG) are removed; what is stored is addressed by its SHA-256. Link it to a claim with evidence_id on POST /v1/claims; until then only its uploader can read it.`,
  roles: ['admin', 'organizer', 'worker'],
  request: { body: { required: true, content: imageContent } },
  responses: {
    201: jsonResponse(EvidenceView, 'The evidence as stored'),
    ...problemResponses,
    413: { description: `Larger than ${EVIDENCE_MAX_BYTES} bytes`, content: problem },
    415: { description: `Not ${EVIDENCE_TYPES.join(' or ')}`, content: problem },
  },
});

const readRoute = defineRoute({
  method: 'get',
  path: `${EVIDENCE_PATH}/{id}`,
  operationId: 'getEvidence',
  tags: ['Worker', 'Organizer', 'Audit'],
  summary: 'The image of one piece of evidence: for its uploader, and whoever may read the claim that links it',
  roles: ['admin', 'auditor', 'organizer', 'worker'],
  request: { params: IdParam },
  responses: { 200: { description: 'The image', content: imageContent }, ...problemResponses },
});

/** Photo evidence: upload and read. */
export function evidenceRoutes() {
  return newRouter()
    .openapi(uploadRoute, async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const input = { bytes, contentType: c.req.header('content-type') };
      return c.json((await uploadEvidence(c.get('deps'), c.get('caller'), input, c.get('idempotency'))) as z.infer<typeof EvidenceView>, 201);
    })
    .openapi(readRoute, async (c) => {
      const { bytes, contentType } = await readEvidence(c.get('deps'), c.get('caller'), c.req.valid('param').id);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'content-type': contentType,
        'x-content-type-options': 'nosniff',
        // Readable only with a token: kept by the browser that fetched it, never by a shared cache.
        'cache-control': 'private, max-age=3600',
        'content-security-policy': "default-src 'none'; sandbox",
        'content-disposition': 'inline',
      }) as never;
    });
}

