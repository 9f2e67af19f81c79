/**
 * Reading a QR code with the phone's camera, where the browser can do it
 * itself (BarcodeDetector): the start button shows only then; typing the
 * code always works. Used by the merchant's till and the worker's check-in.
 */

// Not in TypeScript's DOM library yet (Chromium has it; others may not).
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

export interface QrScanner {
  start: HTMLButtonElement;
  stop: HTMLButtonElement;
  video: HTMLVideoElement;
  /** The text a QR code carried, once; the camera is already off. */
  found(value: string): void;
  /** The camera could not be opened (refused, or none). */
  denied(): void;
}

/** Wires the start and stop buttons to the camera; does nothing where QR codes cannot be read. */
export function qrScanner(parts: QrScanner): void {
  const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!Detector || !navigator.mediaDevices) return;
  const { start, stop: stopButton, video } = parts;
  let stream: MediaStream | null = null, timer: ReturnType<typeof setInterval> | undefined;
  Detector.getSupportedFormats()
    .then((formats) => {
      if (formats.indexOf('qr_code') >= 0) start.hidden = false;
    })
    .catch(() => {
      /* no scanning: typing still works */
    });
  function stop(): void {
    clearInterval(timer);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    start.hidden = false;
  }
  start.addEventListener('click', () => {
    const detector = new Detector({ formats: ['qr_code'] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then((s) => {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        start.hidden = true;
        stopButton.hidden = false;
        return video.play();
      })
      .then(() => {
        timer = setInterval(() => {
          detector
            .detect(video)
            .then((found) => {
              if (!found.length || !stream) return;
              stop();
              parts.found(found[0]!.rawValue);
            })
            .catch(() => {
              /* try the next frame */
            });
        }, 300);
      })
      .catch(() => {
        stop();
        parts.denied();
      });
  });
  stopButton.addEventListener('click', stop);
}
