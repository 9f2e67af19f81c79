/**
 * Photo evidence on the pages: the worker's "拍照" (the phone's camera through a file input),
 * resized in the browser and uploaded; the organizer's queue showing a claim's photo. The photo is
 * redrawn on a canvas and re-encoded as JPEG, which also leaves its metadata (the location) behind;
 * the service strips what would remain anyway.
 */
import { ApiError, newKey } from './api.js';
import { el } from './dom.js';
import { hasText, t, text } from './page-text.js';
import { token } from './session.js';
import { statusTextKey } from '../../refusals/status-text.js';
import { EVIDENCE_MAX_BYTES, EVIDENCE_MAX_SIDE, EVIDENCE_PATH } from '../../evidence/limits.js';

/** A refused call in plain words: by its code, else by its status. */
async function refusal(res: Response): Promise<ApiError> {
  const problem = (await res.json().catch(() => null)) as { code?: string } | null;
  const key = 'err_' + (problem?.code ?? '');
  return new ApiError(problem?.code && hasText(key) ? text[key] : t(statusTextKey(res.status), { status: res.status }), res.status, problem?.code);
}

/** The photo at most EVIDENCE_MAX_SIDE pixels on its longest side, as a JPEG. */
async function resized(file: File): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, EVIDENCE_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = el('canvas', {});
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  if (!blob) throw new ApiError(text.evidence_photo_unreadable, 422);
  return blob;
}

/** Uploads the photo chosen in the input (resized first); its evidence id, or undefined when none was chosen. */
export async function uploadPhoto(input: HTMLInputElement): Promise<string | undefined> {
  const file = input.files?.[0];
  if (!file) return undefined;
  let photo: Blob;
  try {
    photo = await resized(file);
  } catch (error) {
    throw error instanceof ApiError ? error : new ApiError(text.evidence_photo_unreadable, 422);
  }
  if (photo.size > EVIDENCE_MAX_BYTES) throw new ApiError(text.err_evidence_too_large, 413, 'evidence_too_large');
  const res = await fetch(EVIDENCE_PATH, {
    method: 'POST',
    headers: { authorization: 'Bearer ' + (token() ?? ''), 'content-type': 'image/jpeg', 'idempotency-key': newKey(), accept: 'application/json' },
    body: photo,
    credentials: 'omit',
  });
  if (!res.ok) throw await refusal(res);
  return ((await res.json()) as { id: string }).id;
}

/** A claim's photo for the queue: fetched with the token (an <img src> would carry none), shown from a blob: URL. */
export function evidencePhoto(evidenceId: string, memberName: string): HTMLElement {
  const figure = el('figure', { class: 'evidence', 'data-evidence-id': evidenceId }, [el('p', { class: 'note', text: text.evidence_photo_loading })]);
  fetch(`${EVIDENCE_PATH}/${encodeURIComponent(evidenceId)}`, { headers: { authorization: 'Bearer ' + (token() ?? '') }, credentials: 'omit' })
    .then(async (res) => {
      if (!res.ok) throw await refusal(res);
      const img = el('img', { src: URL.createObjectURL(await res.blob()), alt: t('evidence_photo_alt', { name: memberName }) });
      figure.replaceChildren(img);
    })
    .catch((error: unknown) => figure.replaceChildren(el('p', { class: 'note', text: error instanceof Error ? error.message : text.evidence_photo_unreadable })));
  return figure;
}
