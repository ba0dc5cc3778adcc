import { describe, expect, it } from 'vitest';
import { sampleUnit } from '../custom/sample.js';
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

describe('hashUnit uniformity (sequential ids must not cluster)', () => {
  const N = 100_000;
  it.each([0, 1, 7, 42])('seed %i keeps 10, 25 and 50 percent of 100,000 sequential ids within ±0.5 points', (seed) => {
    const units = Array.from({ length: N }, (_, i) => hashUnit(i, seed));
    for (const rate of [0.1, 0.25, 0.5]) {
      const kept = units.filter((u) => u < rate).length / N;
      expect(Math.abs(kept - rate)).toBeLessThan(0.005);
    }
    // Neighbouring ids land far apart: FNV-1a put 900 of 999 neighbours within 0.01 of each other.
    let close = 0;
    for (let i = 1; i < 1000; i++) if (Math.abs(units[i] - units[i - 1]) < 0.01) close++;
    expect(close).toBeLessThan(60);
  });

  it('string ids with a shared prefix spread over ten equal bins', () => {
    const bins = new Array(10).fill(0);
    for (let i = 0; i < N; i++) bins[Math.floor(hashUnit(`conv-${i}`) * 10)]++;
    for (const count of bins) expect(Math.abs(count - N / 10)).toBeLessThan(N * 0.005);
  });

  it('seeds give different samples', () => {
    const keptBy = (seed: number) => new Set(Array.from({ length: 10_000 }, (_, i) => i).filter((i) => hashUnit(i, seed) < 0.1));
    const a = keptBy(0);
    const b = keptBy(7);
    const both = [...a].filter((i) => b.has(i)).length;
    // Independent 10% samples share about 1% of ids (100 of 10,000), not the ~1,000 of identical ones.
    expect(both).toBeGreaterThan(50);
    expect(both).toBeLessThan(160);
  });

  it('is the custom signals sampling position with scope triage:<seed> (Web Crypto SHA-256)', async () => {
    for (const [id, seed] of [['conv-1', 0], [17, 3], ['é🚲', 9]] as const) {
      expect(hashUnit(id, seed)).toBe(await sampleUnit(`triage:${seed}`, JSON.stringify(id)));
    }
  });
});
