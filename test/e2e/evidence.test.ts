import exifr from 'exifr';
import { expect, it } from 'vitest';
import { zh } from '../../src/pages/strings-zh.js';
import { EVIDENCE_MAX_SIDE } from '../../src/evidence/limits.js';
import { earningProgramme, posted } from '../support/earning.js';
import { concat, gpsTiff, segment, TAKEN_AT } from '../support/evidence-images.js';
import { complaints, open, signedIn, liveBrowser } from './support/live-service.js';

const live = liveBrowser();

/** The width and height a JPEG's frame header (SOF) gives. */
function jpegSize(b: Uint8Array): { width: number; height: number } {
  for (let at = 2; at + 9 < b.length; at += 2 + ((b[at + 2]! << 8) | b[at + 3]!)) {
    const m = b[at + 1]!;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return { height: (b[at + 5]! << 8) | b[at + 6]!, width: (b[at + 7]! << 8) | b[at + 8]! };
  }
  throw new Error('no frame header');
}

it('a worker takes a photo for a grid report; the organizer sees it in the queue and approves; the stored photo is resized and has no location', async () => {
  const { browser, service: { h, base } } = live;
  const e = await earningProgramme(h);
  const workerToken = await e.workerToken(0);
  const worker = await signedIn(browser, base, workerToken, '/app/worker');
  const organizer = await signedIn(browser, base, e.organizer, '/app/organizer');

  // What a phone's camera gives: a 3000 × 2000 JPEG that records where it was taken.
  const report = await open(worker, base, '/app/worker/report');
  const drawn = await report.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 3000;
    c.height = 2000;
    const g = c.getContext('2d')!;
    g.fillStyle = '#2a7';
    g.fillRect(0, 0, 3000, 2000);
    g.fillStyle = '#fc3';
    g.fillRect(800, 500, 1400, 1000);
    const blob = await new Promise<Blob>((resolve) => c.toBlob((b) => resolve(b!), 'image/jpeg', 0.9));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  const taken = Uint8Array.from(drawn);
  const photo = concat(taken.subarray(0, 2), segment(0xe1, concat(new TextEncoder().encode('Exif\0\0'), gpsTiff())), taken.subarray(2));
  expect(await exifr.gps(photo)).toMatchObject({ latitude: expect.closeTo(TAKEN_AT.latitude, 5) });

  // The report form's 拍照 opens the camera (capture=environment); the test hands it the photo.
  const input = report.getByLabel(zh.evidence_photo);
  expect(await input.getAttribute('capture')).toBe('environment');
  expect(await input.getAttribute('accept')).toBe('image/*');
  await report.getByLabel(zh.report_activity).selectOption('grid_report');
  await report.getByLabel(zh.report_ref).fill('GR-2026-0099');
  await input.setInputFiles({ name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo) });
  await report.getByRole('button', { name: zh.submit_report }).click();
  // Resizing a 3000 × 2000 photo and uploading it takes seconds on a busy machine.
  await expect.poll(() => report.getByRole('status').textContent(), { timeout: 30_000 }).toBe(zh.report_sent);

  // The claim links the stored photo: resized to the longest side, JPEG, and without the location.
  const mine = await h.call('GET', '/v1/claims', { token: workerToken });
  expect(mine.body.items).toHaveLength(1);
  const claim = mine.body.items[0];
  expect(claim).toMatchObject({ status: 'pending', report_ref: 'GR-2026-0099', evidence_url: null, evidence_id: expect.stringMatching(/^evd_/) });
  const rows = await h.sql.all<{ id: string; member_id: string; content_type: string }>('SELECT id, member_id, content_type FROM evidence');
  expect(rows).toEqual([{ id: claim.evidence_id, member_id: e.riders[0]!.id, content_type: 'image/jpeg' }]);
  const stored = await h.app.request(`/v1/evidence/${claim.evidence_id}`, { headers: { authorization: `Bearer ${e.admin}` } });
  const bytes = new Uint8Array(await stored.arrayBuffer());
  expect(jpegSize(bytes)).toEqual({ width: EVIDENCE_MAX_SIDE, height: Math.round((EVIDENCE_MAX_SIDE * 2) / 3) });
  expect(await exifr.gps(bytes)).toBeUndefined();

  // The organizer sees the photo in the queue (fetched with its token, shown from a blob: URL) and approves.
  const queue = await open(organizer, base, '/app/organizer');
  const item = queue.locator(`[data-claim-id="${claim.id}"]`);
  await item.waitFor();
  const img = item.getByRole('img', { name: '骑手0 上报时拍的照片' });
  await img.waitFor();
  expect(await img.getAttribute('src')).toMatch(/^blob:/);
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => (i.complete ? i.naturalWidth : 0))).toBe(EVIDENCE_MAX_SIDE);
  await item.getByRole('button', { name: zh.approve, exact: true }).click();
  await expect.poll(() => queue.getByRole('status').textContent()).toBe('已通过，5.00 分已发放。');

  const after = await h.call('GET', `/v1/claims/${claim.id}`, { token: e.admin });
  expect(after.body).toMatchObject({ status: 'approved', points_credited: '5.00', evidence_id: claim.evidence_id });
  expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('5.00');
  expect((await h.call('GET', '/v1/audit/trial-balance', { token: e.admin })).body).toMatchObject({ balanced: true });
  expect(complaints).toEqual([]);
});
