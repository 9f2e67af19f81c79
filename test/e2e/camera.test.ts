import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import decodeQR from 'qr/decode.js';
import { afterAll, expect, it } from 'vitest';
import { zh } from '../../src/pages/strings-zh.js';
import { posted } from '../support/earning.js';
import { redemptionProgramme } from '../support/redemption.js';
import { complaints, open, signedIn, liveBrowser } from './support/live-service.js';

// The till's camera. Chromium's fake capture device plays a video file as the
// camera; the test writes into it what the camera would see: the QR code on
// the worker's screen. Chromium on Linux has no BarcodeDetector (the
// platform's shape detection), so the merchant's pages get a stand-in with
// the same interface: it draws the video frame to a canvas and hands the
// pixels to the decoder the other browser tests use. Everything else — the
// scan button, getUserMedia, the frames, filling the code, the redemption —
// is the page's own code.
const SIZE = 400;
const dir = mkdtempSync(join(tmpdir(), 'jifen-camera-'));
const camera = join(dir, 'camera.y4m');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One grey frame as Y4M (4:2:0): the camera's picture until the test shows it a code. */
function writeCamera(rgba: Uint8Array | null): void {
  const luma = Buffer.alloc(SIZE * SIZE, 200);
  if (rgba) for (let i = 0; i < SIZE * SIZE; i++) luma[i] = Math.round(0.299 * rgba[4 * i]! + 0.587 * rgba[4 * i + 1]! + 0.114 * rgba[4 * i + 2]!);
  const chroma = Buffer.alloc((SIZE / 2) * (SIZE / 2) * 2, 128);
  writeFileSync(camera, Buffer.concat([Buffer.from(`YUV4MPEG2 W${SIZE} H${SIZE} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), luma, chroma]));
}
writeCamera(null);

const live = liveBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera}`]);

/**
 * The stand-in for the platform's BarcodeDetector, installed before the page's
 * scripts run: a frame at a time (a frame that arrives while one is being
 * decoded finds nothing), scaled to 200 × 200 grey bytes for the trip out.
 */
function installDetector() {
  const decode = (window as unknown as { decodeCameraFrame(side: number, grey: string): Promise<string | null> }).decodeCameraFrame;
  const side = 200;
  let busy = false;
  class StandInDetector {
    static async getSupportedFormats() {
      return ['qr_code'];
    }
    async detect(video: HTMLVideoElement) {
      if (busy || !video.videoWidth) return [];
      busy = true;
      try {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = side;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(video, 0, 0, side, side);
        const rgba = ctx.getImageData(0, 0, side, side).data;
        let grey = '';
        for (let i = 0; i < rgba.length; i += 4) grey += String.fromCharCode(rgba[i]!);
        const text = await decode(side, btoa(grey));
        return text ? [{ rawValue: text, format: 'qr_code' }] : [];
      } finally {
        busy = false;
      }
    }
  }
  Object.defineProperty(window, 'BarcodeDetector', { value: StandInDetector });
}

it('a merchant scans the worker QR code with the camera, and redeems it', async () => {
  const { browser, service: { h, base } } = live;
  const r = await redemptionProgramme(h);
  const worker = await signedIn(browser, base, await r.workerToken(0), '/app/worker');
  const merchant = await signedIn(browser, base, r.shopToken, '/app/merchant');
  const decoded: string[] = [];
  await merchant.exposeFunction('decodeCameraFrame', (side: number, grey: string) => {
    const bytes = Buffer.from(grey, 'base64');
    const data = new Uint8Array(side * side * 4);
    bytes.forEach((v, i) => data.set([v, v, v, 255], 4 * i));
    try {
      const text = decodeQR({ width: side, height: side, data });
      decoded.push(text);
      return text;
    } catch {
      return null; // no code in this frame
    }
  });
  await merchant.addInitScript(installDetector);

  // The worker shows a code; the camera is pointed at the QR code on the screen.
  const home = await open(worker, base, '/app/worker');
  await home.getByRole('button', { name: zh.show_code }).click();
  await home.locator('#qr:not([hidden])').waitFor();
  const code = (await home.locator('#code-text').textContent())!;
  const screen = await home.evaluate(async (size) => {
    const img = document.getElementById('qr') as HTMLImageElement;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size, size);
    ctx.drawImage(img, 40, 40, size - 80, size - 80);
    return Array.from(ctx.getImageData(0, 0, size, size).data);
  }, SIZE);
  writeCamera(Uint8Array.from(screen));

  // At the till: the scan button is offered, the camera opens, the code is read into the field.
  const till = await open(merchant, base, '/app/merchant');
  const scan = till.getByRole('button', { name: zh.scan_with_camera });
  await scan.waitFor();
  await scan.click();
  await expect.poll(() => till.getByLabel(zh.redeem_code_input).inputValue(), { timeout: 20_000 }).toBe(code);
  expect(decoded).toContain(code);
  expect(await till.getByRole('status').textContent()).toBe(zh.scan_found);
  // The camera is off again and the reward picker has the focus.
  expect(await till.locator('#camera').isHidden()).toBe(true);
  expect(await till.evaluate(() => document.activeElement?.id)).toBe('reward');

  // The scanned code redeems: one case of water, 100 → 70.
  await till.getByLabel(zh.reward).selectOption(r.water.id);
  await till.getByRole('button', { name: zh.redeem_submit }).click();
  await till.locator('#receipt:not([hidden])').waitFor();
  expect(await till.getByRole('status').textContent()).toBe(zh.redeemed_ok);
  expect(await posted(h, r.admin, r.riders[0]!.account_id)).toBe('70.00');
  expect(await posted(h, r.admin, r.shop.account_id)).toBe('30.00');
  expect(complaints).toEqual([]);
});
