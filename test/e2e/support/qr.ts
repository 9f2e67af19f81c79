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
