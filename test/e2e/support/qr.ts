import type { Page } from 'playwright-core';
import decodeQR from 'qr/decode.js';

/** Where a page shows a QR code: an image by id, or inline SVG inside an element (a printed sheet's). */
type Shown = { img: string } | { svgIn: string };

/** The QR code shown on the page, drawn to a canvas in the browser and decoded here. */
async function decodeOnPage(page: Page, shown: Shown): Promise<string> {
  const image = await page.evaluate(async (where) => {
    let img: HTMLImageElement;
    if ('img' in where) img = document.getElementById(where.img) as HTMLImageElement;
    else {
      img = new Image();
      const svg = document.querySelector(`${where.svgIn} svg`)!;
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    }
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 400;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 400, 400);
    ctx.drawImage(img, 20, 20, 360, 360);
    return Array.from(ctx.getImageData(0, 0, 400, 400).data);
  }, shown);
  return decodeQR({ width: 400, height: 400, data: Uint8Array.from(image) });
}

/** The QR code shown in the page's image `#<id>`. */
export const decodeShownQr = (page: Page, id = 'qr') => decodeOnPage(page, { img: id });

/** The QR code drawn as inline SVG inside `selector`. */
export const decodeInlineSvgQr = (page: Page, selector: string) => decodeOnPage(page, { svgIn: selector });
