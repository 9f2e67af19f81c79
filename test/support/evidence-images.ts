// Test images for the evidence suites: small real images (drawn by Chromium's canvas, as the worker's
// page makes them) and the metadata a phone adds, assembled here byte by byte so the tests can say
// exactly what went in.

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

/** A 24×16 JPEG (JFIF, with Chromium's ICC profile in APP2). */
export const PLAIN_JPEG = fromBase64(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABh' +
  'Y3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' +
  'AAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAAB' +
  'UAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAA' +
  'AAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9Y' +
  'WVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAM' +
  'ZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQ' +
  'FxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgo' +
  'KCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABgDASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABgAE' +
  '/8QAIxAAAAUCBgMAAAAAAAAAAAAAAAEEERMFEgMVFiIxgWWj4v/EABUBAQEAAAAAAAAAAAAAAAAAAAUG/8QAIxEAAAUCBgMAAAAA' +
  'AAAAAAAAARETITEAMgIEBRVRcRRSYv/aAAwDAQACEQMRAD8A0UZDmVSwUkkUj77bmYjPjoJ9DeR9H0DFGXZbUsFXHLG+y613Iy57' +
  'CfXPjvf8ie1Tc1Q8K0vmTHl4KprR9nQHcLza6CD1aToxWUOW1LGSSSxtvttdyI+OxCrK7MqljK44pG2XXMxEXPQgxl1EsCtxAfZP' +
  'DTQWaSXxoWGJdG0vHNf/2Q==',
);

/** A 4×4 PNG. */
export const PLAIN_PNG = fromBase64(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAYAAACp8Z5+AAAAIklEQVR4AYTIMQ0AAAwCwQZL+HdQT7ASFj755fCkcly1wQAAAP//' +
  'sSSEAAAAAAZJREFUAwAKEgjN63HIEQAAAABJRU5ErkJggg==',
);

/** Where the test photos were "taken": Shanghai, 31°13'48"N 121°28'12"E. */
export const TAKEN_AT = { latitude: 31 + 13 / 60 + 48 / 3600, longitude: 121 + 28 / 60 + 12 / 3600 };

/** A big-endian TIFF block (the body of Exif) with IFD0 pointing at a GPS IFD that holds TAKEN_AT. */
export function gpsTiff(): Uint8Array {
  const b = new Uint8Array(128);
  const v = new DataView(b.buffer);
  b.set([0x4d, 0x4d, 0x00, 0x2a]); // "MM", 42
  v.setUint32(4, 8); // IFD0 at 8
  v.setUint16(8, 1); // one entry: GPSInfo (0x8825), LONG, the GPS IFD's offset
  entry(v, 10, 0x8825, 4, 1, 26);
  v.setUint32(22, 0); // no next IFD
  v.setUint16(26, 4); // the GPS IFD: four entries
  const dms = (deg: number, min: number, sec: number) => [deg, 1, min, 1, sec, 1];
  entry(v, 28, 0x0001, 2, 2, 0x4e000000); // GPSLatitudeRef "N"
  entry(v, 40, 0x0002, 5, 3, 80); // GPSLatitude, three RATIONALs at 80
  entry(v, 52, 0x0003, 2, 2, 0x45000000); // GPSLongitudeRef "E"
  entry(v, 64, 0x0004, 5, 3, 104); // GPSLongitude at 104
  v.setUint32(76, 0);
  [...dms(31, 13, 48), ...dms(121, 28, 12)].forEach((n, i) => v.setUint32(80 + 4 * i, n));
  return b;
}

function entry(v: DataView, at: number, tag: number, type: number, count: number, value: number) {
  v.setUint16(at, tag);
  v.setUint16(at + 2, type);
  v.setUint32(at + 4, count);
  v.setUint32(at + 8, value);
}

/** A JPEG segment: FF marker, its length, its body. */
export function segment(marker: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out.set([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]);
  out.set(body, 4);
  return out;
}

const ascii = (text: string) => new TextEncoder().encode(text);

/** PLAIN_JPEG as a phone would send it: an Exif APP1 with GPS, an XMP APP1 and a comment after SOI. */
export function jpegWithGps(): Uint8Array {
  const exif = segment(0xe1, concat(ascii('Exif\0\0'), gpsTiff()));
  const xmp = segment(0xe1, ascii('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>31,13.8N</exif:GPSLatitude></x:xmpmeta>'));
  const comment = segment(0xfe, ascii('taken at 31.23N 121.47E'));
  return concat(PLAIN_JPEG.subarray(0, 2), exif, xmp, comment, PLAIN_JPEG.subarray(2));
}

/** A PNG chunk: length, type, data, CRC-32 of type and data. */
export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(ascii(type), 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** PLAIN_PNG with an eXIf chunk (GPS), a tEXt and an iTXt chunk after IHDR. */
export function pngWithGps(): Uint8Array {
  const ihdrEnd = 8 + 25;
  return concat(
    PLAIN_PNG.subarray(0, ihdrEnd),
    chunk('eXIf', gpsTiff()),
    chunk('tEXt', ascii('Comment\0taken at 31.23N 121.47E')),
    chunk('iTXt', ascii('Location\0\0\0\0\0Shanghai')),
    PLAIN_PNG.subarray(ihdrEnd),
  );
}

/** The types of a PNG's chunks, in order. */
export function pngChunkTypes(b: Uint8Array): string[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const types: string[] = [];
  for (let at = 8; at + 12 <= b.length; at += 12 + v.getUint32(at)) types.push(String.fromCharCode(...b.subarray(at + 4, at + 8)));
  return types;
}

/** The markers of a JPEG's segments up to its first scan (SOS), in order. */
export function jpegMarkers(b: Uint8Array): number[] {
  const markers: number[] = [];
  for (let at = 2; at + 4 <= b.length; ) {
    const marker = b[at + 1]!;
    markers.push(marker);
    if (marker === 0xda) break;
    at += 2 + ((b[at + 2]! << 8) | b[at + 3]!);
  }
  return markers;
}

/** Whether `needle` occurs in `b`. */
export function contains(b: Uint8Array, needle: Uint8Array | string): boolean {
  const n = typeof needle === 'string' ? ascii(needle) : needle;
  outer: for (let i = 0; i + n.length <= b.length; i++) {
    for (let j = 0; j < n.length; j++) if (b[i + j] !== n[j]) continue outer;
    return true;
  }
  return false;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A JPEG without the segments of the given markers before its first scan (what the service should store). */
export function withoutSegments(b: Uint8Array, markers: readonly number[]): Uint8Array {
  const parts = [b.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= b.length && b[at + 1] !== 0xda) {
    const end = at + 2 + ((b[at + 2]! << 8) | b[at + 3]!);
    if (!markers.includes(b[at + 1]!)) parts.push(b.subarray(at, end));
    at = end;
  }
  parts.push(b.subarray(at));
  return concat(...parts);
}
