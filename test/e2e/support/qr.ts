import type { Page } from 'playwright-core';
import decodeQR from 'qr/decode.js';

/** The QR code shown in the page's image `#<id>`, drawn to a canvas in the browser and decoded here. */
export async function decodeShownQr(page: Page, id = 'qr'): Promise<string> {
  const image = await page.evaluate(async (imgId) => {
    const img = document.getElementById(imgId) as HTMLImageElement;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 400;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 400, 400);
    ctx.drawImage(img, 20, 20, 360, 360);
    return Array.from(ctx.getImageData(0, 0, 400, 400).data);
  }, id);
  return decodeQR({ width: 400, height: 400, data: Uint8Array.from(image) });
}

/** The QR code drawn as inline SVG inside `selector` (a printed sheet's), rendered to a canvas in the browser and decoded here. */
export async function decodeInlineSvgQr(page: Page, selector: string): Promise<string> {
  const image = await page.evaluate(async (sel) => {
    const svg = document.querySelector(`${sel} svg`)!;
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 400;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 400, 400);
    ctx.drawImage(img, 20, 20, 360, 360);
    return Array.from(ctx.getImageData(0, 0, 400, 400).data);
  }, selector);
  return decodeQR({ width: 400, height: 400, data: Uint8Array.from(image) });
}
