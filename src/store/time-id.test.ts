import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './time-id.js';

describe('timeOrderedId', () => {
  it('is a version 7 UUID whose first 48 bits are the time in milliseconds', () => {
    const at = Date.UTC(2026, 11, 7, 6, 30);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBeGreaterThanOrEqual(at);
  });

  it('increases strictly within a millisecond, past the sequence, and when the clock goes back', () => {
    const at = Date.UTC(2030, 0, 1);
    const ids = [
      ...Array.from({ length: 10_000 }, () => timeOrderedId(at)),
      ...Array.from({ length: 100 }, () => timeOrderedId(at - 5_000)),
      ...Array.from({ length: 100 }, (_, i) => timeOrderedId(at + 10 + i)),
    ];
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1], `${ids[i - 1]} < ${ids[i]}`).toBe(true);
    // Borrowed milliseconds stay close to the clock: 10,000 ids in one millisecond need at most 5 more.
    expect(parseInt(ids[9_999].slice(0, 8) + ids[9_999].slice(9, 13), 16) - at).toBeLessThanOrEqual(5);
  });

  it('differs between processes writing at the same millisecond (random tail)', () => {
    const tails = new Set(Array.from({ length: 1_000 }, () => timeOrderedId(1).slice(19)));
    expect(tails.size).toBe(1_000);
  });
});
