import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay } from './retry.js';

describe('Retry-After', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('reads delay-seconds, fractions included', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 0.25 ', now)).toBe(250);
  });
  it('reads an HTTP date relative to now, a past date as 0', () => {
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-3', now)).toBeNull();
  });
  it('backs off exponentially without a header and caps any wait at 2 minutes', () => {
    expect([0, 1, 2, 3].map((n) => retryDelay(n, null))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelay(0, 9000)).toBe(9000);
    expect(retryDelay(0, 3_600_000)).toBe(120_000);
  });
});
