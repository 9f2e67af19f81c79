import type { RefusalEntry } from './entry.js';
import { EVIDENCE_MAX_BYTES, EVIDENCE_TYPES } from '../evidence/limits.js';

const megabytes = EVIDENCE_MAX_BYTES / (1024 * 1024);

/** Refusals of photo evidence: uploading it, linking it to a claim, reading it. */
export const EVIDENCE_REFUSALS = {
  evidence_type_unsupported: {
    status: 415,
    detail: `Evidence is an image: send it as ${EVIDENCE_TYPES.join(' or ')}`,
    page: { zh: '只能上传普通格式的照片，请用相机拍照后再上传。', en: 'Only JPEG or PNG photos can be uploaded.' },
  },
  evidence_too_large: {
    status: 413,
    detail: `An evidence image is limited to ${EVIDENCE_MAX_BYTES} bytes (${megabytes} MB)`,
    page: { zh: `照片太大了，不能超过 ${megabytes} 兆字节。`, en: `The photo is too large: at most ${megabytes} MB.` },
  },
  evidence_not_an_image: {
    status: 422,
    detail: 'The body is not a whole image of the type its Content-Type names',
    page: { zh: '这不是一张完整的照片，请重新拍一张。', en: 'That is not a complete photo. Take it again.' },
  },
  unknown_evidence: {
    status: 404,
    detail: 'The evidence was not found',
    page: { zh: '找不到这张照片。', en: 'That photo was not found.' },
  },
  evidence_not_yours: {
    status: 422,
    detail: 'A claim links only evidence its submitter uploaded',
    page: { zh: '只能附上自己上传的照片。', en: 'Only a photo you uploaded can be attached.' },
    schema: { evidence_not_yours: null },
  },
} as const satisfies Record<string, RefusalEntry>;
