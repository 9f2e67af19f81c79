import { beforeEach, describe, expect, it } from 'vitest';
import exifr from 'exifr';
import { createHarness } from '#harness';
import type { Harness } from './support/harness-core.js';
import { earningProgramme, posted } from './support/earning.js';
import { expectSoundLedger, stateFingerprint } from './support/fixtures.js';
import { concat, contains, jpegMarkers, jpegWithGps, pngChunkTypes, pngWithGps, PLAIN_JPEG, PLAIN_PNG, segment, TAKEN_AT, withoutSegments } from './support/evidence-images.js';
import { EVIDENCE_MAX_BYTES } from '../src/evidence/limits.js';
import { sha256HexOfBytes } from '../src/ledger/hash.js';

let h: Harness;
let p: Awaited<ReturnType<typeof earningProgramme>>;
let rider0: string;
let rider1: string;

beforeEach(async () => {
  h = await createHarness();
  p = await earningProgramme(h, { riders: 2 });
  rider0 = await p.workerToken(0);
  rider1 = await p.workerToken(1);
});

const upload = (token: string, bytes: Uint8Array, type = 'image/jpeg', key?: string) =>
  h.call('POST', '/v1/evidence', { token, raw: bytes, headers: { 'content-type': type, ...(key ? { 'idempotency-key': key } : {}) } });

/** The evidence's image, as bytes (the harness's call reads text). */
async function image(token: string, id: string) {
  const res = await h.app.request(`/v1/evidence/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const report = (token: string, body: Record<string, unknown>) =>
  h.call('POST', '/v1/claims', { token, body: { activity_code: 'grid_report', occurred_at: h.clock.now().toISOString(), ...body } });

const evidenceRows = () => h.sql.all<{ id: string; sha256: string; size: number; uploaded_by: string; member_id: string | null }>('SELECT * FROM evidence ORDER BY created_at, id');

describe('photo evidence', () => {
  it('stores a JPEG without its location: the GPS a phone wrote is gone, the picture is the same', async () => {
    const sent = jpegWithGps();
    // The fixture really carries the location (read by an independent Exif reader), or the test proves nothing.
    expect(await exifr.gps(sent)).toMatchObject({ latitude: expect.closeTo(TAKEN_AT.latitude, 5), longitude: expect.closeTo(TAKEN_AT.longitude, 5) });
    const res = await upload(rider0, sent);
    expect(res.status, res.text).toBe(201);
    const back = await image(rider0, res.body.id);
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe('image/jpeg');
    expect(back.headers.get('x-content-type-options')).toBe('nosniff');
    expect(back.headers.get('cache-control')).toMatch(/^private/);
    expect(await exifr.gps(back.bytes)).toBeUndefined();
    expect(await exifr.parse(back.bytes, { xmp: true, icc: true, iptc: true, tiff: true })).toBeUndefined();
    // No APP1 (Exif, XMP), APP2 (ICC) or comment before the scan; JFIF, tables, frame and scan kept.
    expect(jpegMarkers(back.bytes).filter((m) => m === 0xe1 || m === 0xe2 || m === 0xfe)).toEqual([]);
    expect(jpegMarkers(back.bytes)).toContain(0xe0);
    expect(jpegMarkers(back.bytes).at(-1)).toBe(0xda);
    expect(contains(back.bytes, 'taken at')).toBe(false);
    expect([...back.bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
    // What is stored is addressed by its own hash, and is smaller than what was sent by exactly what was removed.
    expect(res.body).toMatchObject({ sha256: sha256HexOfBytes(back.bytes), size: back.bytes.length, content_type: 'image/jpeg' });
    expect(back.bytes.length).toBeLessThan(PLAIN_JPEG.length);
    expect(await h.deps.evidence.get(res.body.sha256)).toEqual(back.bytes);
    const rows = await evidenceRows();
    expect(rows).toMatchObject([{ id: res.body.id, sha256: res.body.sha256, size: back.bytes.length, uploaded_by: 'worker:rider-0', member_id: p.riders[0]!.id }]);
  });

  it('stores a PNG without its eXIf, text and time chunks', async () => {
    const sent = pngWithGps();
    expect(pngChunkTypes(sent)).toEqual(expect.arrayContaining(['eXIf', 'tEXt', 'iTXt']));
    const res = await upload(rider0, sent, 'image/png');
    expect(res.status, res.text).toBe(201);
    const back = await image(rider0, res.body.id);
    expect(back.headers.get('content-type')).toBe('image/png');
    expect(pngChunkTypes(back.bytes)).toEqual(pngChunkTypes(PLAIN_PNG).filter((t) => !['eXIf', 'tEXt', 'iTXt', 'zTXt', 'tIME'].includes(t)));
    expect(pngChunkTypes(back.bytes)).toEqual(expect.arrayContaining(['IHDR', 'IDAT', 'IEND']));
    expect(contains(back.bytes, 'Shanghai') || contains(back.bytes, 'taken at')).toBe(false);
    expect(await exifr.gps(back.bytes)).toBeUndefined();
    expect(res.body.sha256).toBe(sha256HexOfBytes(back.bytes));
  });

  it('addresses content by its hash: the same picture twice is two records over one stored image', async () => {
    const first = await upload(rider0, jpegWithGps());
    // The same picture with other metadata is the same picture once the metadata is gone.
    const second = await upload(rider1, concat(PLAIN_JPEG.subarray(0, 2), segment(0xfe, new TextEncoder().encode('another comment')), PLAIN_JPEG.subarray(2)));
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.sha256).toBe(first.body.sha256);
    const rows = await evidenceRows();
    expect(rows.map((r) => r.sha256)).toEqual([first.body.sha256, first.body.sha256]);
    expect(new Set(rows.map((r) => r.uploaded_by))).toEqual(new Set(['worker:rider-0', 'worker:rider-1']));
  });

  it('refuses other types, oversize bodies and bytes that are not the image they claim, and stores nothing', async () => {
    const before = await stateFingerprint(h);
    // What would be stored: the picture without Chromium's ICC profile (APP2).
    const stripped = sha256HexOfBytes(withoutSegments(PLAIN_JPEG, [0xe2]));
    const cases: Array<[Uint8Array, string, number, string]> = [
      [PLAIN_JPEG, 'image/gif', 415, 'evidence_type_unsupported'],
      [PLAIN_JPEG, 'application/octet-stream', 415, 'evidence_type_unsupported'],
      [new TextEncoder().encode('{"evidence":"x"}'), 'application/json', 415, 'evidence_type_unsupported'],
      [PLAIN_PNG, 'image/jpeg', 422, 'evidence_not_an_image'],
      [PLAIN_JPEG, 'image/png', 422, 'evidence_not_an_image'],
      [PLAIN_JPEG.subarray(0, PLAIN_JPEG.length - 40), 'image/jpeg', 422, 'evidence_not_an_image'],
      [PLAIN_PNG.subarray(0, PLAIN_PNG.length - 12), 'image/png', 422, 'evidence_not_an_image'],
      [new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png', 422, 'evidence_not_an_image'],
    ];
    // A JPEG one byte over the limit once its comments are counted (the comments would have been stripped).
    const filler = segment(0xfe, new Uint8Array(65_000).fill(0x20));
    const pieces: Uint8Array[] = [PLAIN_JPEG.subarray(0, 2)];
    let size = PLAIN_JPEG.length;
    while (size + filler.length <= EVIDENCE_MAX_BYTES) (pieces.push(filler), (size += filler.length));
    pieces.push(segment(0xfe, new Uint8Array(EVIDENCE_MAX_BYTES - size - 4 + 1)), PLAIN_JPEG.subarray(2));
    const oversize = concat(...pieces);
    expect(oversize.length).toBe(EVIDENCE_MAX_BYTES + 1);
    cases.push([oversize, 'image/jpeg', 413, 'evidence_too_large']);
    for (const [bytes, type, status, code] of cases) {
      const res = await upload(rider0, bytes, type);
      expect(res.status, `${type} ${bytes.length}: ${res.text}`).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe(code);
    }
    expect(await stateFingerprint(h)).toEqual(before);
    expect(await evidenceRows()).toEqual([]);
    expect(await h.deps.evidence.get(stripped)).toBeUndefined();
    // One byte under: taken.
    const fits = concat(...pieces.slice(0, -2), segment(0xfe, new Uint8Array(EVIDENCE_MAX_BYTES - size - 4)), PLAIN_JPEG.subarray(2));
    expect(fits.length).toBe(EVIDENCE_MAX_BYTES);
    const taken = await upload(rider0, fits);
    expect(taken.status, taken.text).toBe(201);
    expect(taken.body.sha256).toBe(stripped);
  });

  it('is idempotent under Idempotency-Key: a retry answers the same record, another image under the key is refused', async () => {
    const first = await upload(rider0, jpegWithGps(), 'image/jpeg', 'photo-1');
    const again = await upload(rider0, jpegWithGps(), 'image/jpeg', 'photo-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await upload(rider0, PLAIN_PNG, 'image/png', 'photo-1')).body.code).toBe('idempotency_key_reused');
    expect(await evidenceRows()).toHaveLength(1);
  });

  it('before a claim links it, only its uploader reads it', async () => {
    const { body } = await upload(rider0, jpegWithGps());
    expect((await image(rider0, body.id)).status).toBe(200);
    for (const token of [rider1, p.organizer, p.admin, await h.token('auditor', { sub: 'auditor-1' })]) {
      const res = await image(token, body.id);
      expect(res.status).toBe(403);
      expect(contains(res.bytes, '"code":"forbidden"')).toBe(true);
    }
    expect((await image(rider0, 'evd_nothing')).status).toBe(404);
    const merchant = await h.token('merchant', { sub: 'shop', merchant_id: 'mch_x' });
    expect((await image(merchant, body.id)).status).toBe(403);
  });

  it('a claim links its evidence; the claim reads it back; its readers read the image and no one else', async () => {
    const photo = await upload(rider0, jpegWithGps());
    const claim = await report(rider0, { evidence_id: photo.body.id, report_ref: 'GR-1' });
    expect(claim.status, claim.text).toBe(201);
    expect(claim.body).toMatchObject({ status: 'pending', evidence_id: photo.body.id, evidence_url: null });
    expect((await h.call('GET', `/v1/claims/${claim.body.id}`, { token: p.organizer })).body.evidence_id).toBe(photo.body.id);
    const rows = await h.sql.all<{ evidence_id: string }>('SELECT evidence_id FROM claims WHERE id = ?', claim.body.id);
    expect(rows).toEqual([{ evidence_id: photo.body.id }]);
    // Organizers of the claim's subtree, admins and auditors now read it; another worker and an organizer elsewhere do not.
    for (const token of [rider0, p.organizer, p.organizer2, p.admin, await h.token('auditor', { sub: 'auditor-1' })]) {
      expect((await image(token, photo.body.id)).status).toBe(200);
    }
    expect((await image(rider1, photo.body.id)).status).toBe(403);
    expect((await image(p.outsider, photo.body.id)).status).toBe(403);
    // The organizer approves what it saw; the rider is credited.
    const approved = await h.call('POST', `/v1/claims/${claim.body.id}/approve`, { token: p.organizer });
    expect(approved.status, approved.text).toBe(200);
    expect(await posted(h, p.admin, p.riders[0]!.account_id)).toBe('5.00');
    await expectSoundLedger(h, p.admin);
  });

  it('links only the uploader\'s own evidence: another worker\'s photo, or none, is refused and nothing is recorded', async () => {
    const theirs = await upload(rider1, jpegWithGps());
    const before = await stateFingerprint(h);
    const stolen = await report(rider0, { evidence_id: theirs.body.id, report_ref: 'GR-2' });
    expect(stolen.status, stolen.text).toBe(422);
    expect(stolen.body.code).toBe('evidence_not_yours');
    const missing = await report(rider0, { evidence_id: 'evd_nothing', report_ref: 'GR-3' });
    expect(missing.body.code).toBe('evidence_not_yours');
    // An organizer cannot attach a rider's photo to a claim it records either.
    const byOrganizer = await h.call('POST', '/v1/claims', {
      token: p.organizer,
      body: { member_id: p.riders[1]!.id, activity_code: 'grid_report', occurred_at: h.clock.now().toISOString(), evidence_id: theirs.body.id },
    });
    expect(byOrganizer.body.code).toBe('evidence_not_yours');
    expect(await stateFingerprint(h)).toEqual(before);
    // Evidence is still required, and a stored photo meets the requirement.
    expect((await report(rider0, { report_ref: 'GR-4' })).body.code).toBe('evidence_required');
  });

  it('keeps evidence rows append-only', async () => {
    await upload(rider0, jpegWithGps());
    await expect(h.sql.exec("UPDATE evidence SET member_id = NULL")).rejects.toThrow(/append_only/);
    await expect(h.sql.exec('DELETE FROM evidence')).rejects.toThrow(/append_only/);
    expect(await evidenceRows()).toHaveLength(1);
  });
});
