import { describe, expect, it } from 'vitest';
import { fnv1a64, hashUnit } from './hash.js';

const hex = (h: { hi: number; lo: number }) => h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0');

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(hex(fnv1a64(''))).toBe('cbf29ce484222325');
    expect(hex(fnv1a64('a'))).toBe('af63dc4c8601ec8c');
    expect(hex(fnv1a64('foobar'))).toBe('85944171f73967e8');
  });

  it('hashes the UTF-8 bytes, not UTF-16 code units', () => {
    // "é" is two UTF-8 bytes; the same bytes given as Latin-1 escapes would differ.
    expect(hex(fnv1a64('é'))).not.toBe(hex(fnv1a64('\u00c3\u00a9')));
  });
});

describe('hashUnit', () => {
  it('is in [0, 1), stable, and depends on the seed and the JSON form of the id', () => {
    const u = hashUnit('conv-1', 7);
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThan(1);
    expect(hashUnit('conv-1', 7)).toBe(u);
    expect(hashUnit('conv-1', 8)).not.toBe(u);
    expect(hashUnit(1)).not.toBe(hashUnit('1'));
  });
});
