import encodeQR from 'qr';

/**
 * A redeem code as an SVG QR code (medium error correction, the standard
 * four-module quiet zone: about 3 KB). Rendered on the
 * server because the worker's page has no build step to ship an encoder with,
 * and the Worker cannot read one from node_modules at run time.
 * @example codeQrSvg('K7QM-2XWD-9HPA').startsWith('<svg') // true
 */
export function codeQrSvg(code: string): string {
  return encodeQR(code, 'svg', { ecc: 'medium', border: 4 });
}
