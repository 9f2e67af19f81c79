import { describe, expect, it } from 'vitest';
import { startJobTimer } from './job-timer.js';

describe('the Node scheduler timer', () => {
  it('runs one sweep at a time: a tick while one is in flight is skipped, not queued', async () => {
    let runs = 0;
    let finish!: () => void;
    let skipped = 0;
    const timer = startJobTimer(
      () => {
        runs++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      3_600_000,
      () => skipped++,
    );
    expect(timer.tick()).toBe(true);
    expect(timer.tick()).toBe(false);
    expect(timer.tick()).toBe(false);
    expect([runs, skipped]).toEqual([1, 2]);
    finish();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(timer.tick()).toBe(true); // the next tick after the run ends starts one
    expect(runs).toBe(2);
    let stopped = false;
    const stopping = timer.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stopped).toBe(false); // stop waits for the run in flight
    finish();
    await stopping;
    expect(timer.tick()).toBe(true); // a manual tick still works; the interval is gone
    finish();
  });

  it('a failing sweep does not wedge the timer', async () => {
    let runs = 0;
    const timer = startJobTimer(async () => {
      runs++;
      throw new Error('disk full');
    }, 3_600_000);
    expect(timer.tick()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(timer.tick()).toBe(true);
    await timer.stop();
    expect(runs).toBe(2);
  });
});
