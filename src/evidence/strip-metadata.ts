import type { EvidenceType } from './limits.js';

/**
 * The image without its metadata, or undefined when the bytes are not a whole
 * image of the type. Walking the file's structure is both the check that it is
 * what its Content-Type says and the way to leave out what it carries besides
 * the picture: a phone's photo records where it was taken (Exif GPS), which is
 * personal information the programme does not keep.
 */
export function stripMetadata(bytes: Uint8Array, type: EvidenceType): Uint8Array | undefined {
  return type === 'image/jpeg' ? stripJpeg(bytes) : stripPng(bytes);
}

// JPEG: SOI, then segments (FF marker, 2-byte big-endian length counting itself), a scan's
// entropy-coded data after each SOS, and EOI. APPn segments carry Exif (APP1, GPS included), XMP
// (APP1), ICC and FlashPix (APP2), IPTC and Photoshop (APP13) and makers' data; COM is free text.
// Kept: APP0 (JFIF: the pixel density) and APP14 (Adobe: how the colours are encoded, without which
// some files decode with the wrong colours). Whatever follows EOI (makers' trailers) is dropped.
const SOI = 0xd8, EOI = 0xd9, SOS = 0xda, COM = 0xfe, APP0 = 0xe0, APP14 = 0xee;
const isApp = (m: number) => m >= 0xe0 && m <= 0xef;
const isFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
const isRestart = (m: number) => m >= 0xd0 && m <= 0xd7;

function stripJpeg(b: Uint8Array): Uint8Array | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== SOI) return undefined;
  const kept: Array<[number, number]> = [[0, 2]];
  let at = 2, frame = false, scan = false;
  while (at < b.length) {
    if (b[at] !== 0xff) {
      if (!scan) return undefined;
      at++; // entropy-coded data of a scan
      continue;
    }
    const marker = b[at + 1];
    if (marker === undefined) return undefined;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (scan && (marker === 0x00 || isRestart(marker))) {
      at += 2; // a stuffed FF, or a restart marker, inside the scan
      continue;
    }
    if (marker === EOI) {
      if (!frame || !scan) return undefined;
      kept.push([at, at + 2]);
      return join(b, kept);
    }
    if (isRestart(marker) || marker === 0x01 || marker === SOI) return undefined;
    if (at + 4 > b.length) return undefined;
    const length = (b[at + 2]! << 8) | b[at + 3]!;
    const end = at + 2 + length;
    if (length < 2 || end > b.length) return undefined;
    if (isFrame(marker)) frame = true;
    const metadata = (isApp(marker) && marker !== APP0 && marker !== APP14) || marker === COM;
    if (!metadata) extend(kept, at, end);
    if (marker === SOS) {
      if (!frame) return undefined;
      scan = true;
      // The scan's data runs to the next marker; it is kept with the segment that opens it.
      let next = end;
      while (next < b.length && !(b[next] === 0xff && b[next + 1] !== 0x00 && !isRestart(b[next + 1] ?? 0) && b[next + 1] !== 0xff)) next++;
      extend(kept, end, next);
      at = next;
      continue;
    }
    at = end;
  }
  return undefined; // no EOI: cut short
}

// PNG: the signature, then chunks (4-byte length, 4-byte type, data, CRC-32 of type and data), IHDR
// first and IEND last. Text chunks (tEXt, zTXt, iTXt: where software writes comments, authors and
// locations), eXIf (Exif, GPS included) and tIME are dropped; what follows IEND is dropped.
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_METADATA = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

function stripPng(b: Uint8Array): Uint8Array | undefined {
  if (b.length < 8 + 25 + 12 || PNG_SIGNATURE.some((v, i) => b[i] !== v)) return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const kept: Array<[number, number]> = [[0, 8]];
  let at = 8, first = true, data = false;
  while (at + 12 <= b.length) {
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > b.length) return undefined;
    const type = String.fromCharCode(b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!);
    if (!/^[A-Za-z]{4}$/.test(type)) return undefined;
    if (crc32(b, at + 4, at + 8 + length) !== view.getUint32(at + 8 + length)) return undefined;
    if (first && (type !== 'IHDR' || length !== 13)) return undefined;
    first = false;
    if (type === 'IDAT') data = true;
    if (!PNG_METADATA.has(type)) extend(kept, at, end);
    if (type === 'IEND') return data ? join(b, kept) : undefined;
    at = end;
  }
  return undefined; // no IEND: cut short
}

/** Adds a byte range to the kept ones, merged with the last when they touch. */
function extend(kept: Array<[number, number]>, start: number, end: number) {
  const last = kept[kept.length - 1]!;
  if (last[1] === start) last[1] = end;
  else kept.push([start, end]);
}

function join(b: Uint8Array, ranges: ReadonlyArray<[number, number]>): Uint8Array {
  const out = new Uint8Array(ranges.reduce((n, [s, e]) => n + e - s, 0));
  let at = 0;
  for (const [s, e] of ranges) {
    out.set(b.subarray(s, e), at);
    at += e - s;
  }
  return out;
}

let table: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG uses it) of b[start, end). */
function crc32(b: Uint8Array, start: number, end: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = table[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
