import { describe, expect, it, vi } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('is a prefixed UUIDv7: 32 hex digits, version 7, the RFC 9562 variant', () => {
    const id = newId('tx');
    expect(id).toMatch(/^tx_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
  });

  it('carries the time it was made, so later ids sort later', () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(Date.UTC(2026, 10, 28, 12, 0, 0, 0));
      const first = Array.from({ length: 50 }, () => newId('tx'));
      vi.setSystemTime(Date.UTC(2026, 10, 28, 12, 0, 0, 1));
      const second = Array.from({ length: 50 }, () => newId('tx'));
      expect(first.every((a) => second.every((b) => a < b))).toBe(true);
      expect(parseInt(first[0]!.slice(3, 15), 16)).toBe(Date.UTC(2026, 10, 28, 12, 0, 0, 0));
    } finally {
      vi.useRealTimers();
    }
  });

  it('sorts in the order made within one millisecond too', () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(Date.UTC(2026, 11, 6, 12, 0, 0, 0));
      const made = Array.from({ length: 3000 }, () => newId('tx'));
      expect([...made].sort()).toEqual(made);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not repeat within a millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('x')));
    expect(ids.size).toBe(10_000);
  });
});
