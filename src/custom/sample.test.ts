import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keep, SAMPLE_PRESETS, sampleUnit } from './sample.js';

const N = 100_000;

async function units(ids: string[], scope = 'session'): Promise<number[]> {
  // In chunks: 100,000 pending digests at once are slower than 50 rounds of 2,000.
  const out: number[] = [];
  for (let i = 0; i < ids.length; i += 2000) out.push(...(await Promise.all(ids.slice(i, i + 2000).map((id) => sampleUnit(scope, id)))));
  return out;
}

// Each 100,000-id set is hashed once and shared by the tests that read it.
const cache = new Map<string[], Promise<number[]>>();
function unitsOf(ids: string[]): Promise<number[]> {
  let us = cache.get(ids);
  if (!us) cache.set(ids, (us = units(ids)));
  return us;
}

function share(us: number[], rate: number): number {
  return us.filter((u) => u < rate).length / us.length;
}

const sequential = Array.from({ length: N }, (_, i) => String(i));
const prefixed = Array.from({ length: N }, (_, i) => `conv-${String(i).padStart(6, '0')}`);
const hexish = Array.from({ length: N }, (_, i) => (i * 2654435761 >>> 0).toString(16).padStart(16, '0') + 'abcdef0123456789');

describe('sampleUnit', () => {
  it('is the first 56 bits of the SHA-256 of the prefixed scope and id, over 2^56', async () => {
    // Expected value computed independently with node:crypto and BigInt.
    const digest = createHash('sha256').update('agent-signals:sample:v1\0trace\0abc').digest();
    const expected = Number(BigInt('0x' + digest.subarray(0, 7).toString('hex'))) / 2 ** 56;
    expect(await sampleUnit('trace', 'abc')).toBe(expected);
  });

  it('differs by scope and stays in [0, 1)', async () => {
    expect(await sampleUnit('span', 'x')).not.toBe(await sampleUnit('trace', 'x'));
    const us = await units(sequential.slice(0, 1000));
    expect(us.every((u) => u >= 0 && u < 1)).toBe(true);
  });

  for (const [shape, ids] of [
    ['sequential numbers', sequential],
    ['prefixed zero-padded ids', prefixed],
    ['hex ids', hexish],
  ] as const) {
    it(`keeps each preset's share within 0.5 points on ${N} ${shape}`, async () => {
      const us = await unitsOf(ids);
      for (const rate of [...SAMPLE_PRESETS, 0.05, 0.33]) {
        expect(Math.abs(share(us, rate) - rate)).toBeLessThanOrEqual(0.005);
      }
    });
  }

  it('nests: every id kept at a preset is kept at every larger preset', async () => {
    const ids = prefixed.slice(0, 5_000);
    const kept: Set<string>[] = [];
    for (const rate of SAMPLE_PRESETS) {
      const flags = await Promise.all(ids.map((id) => keep('span', id, rate)));
      kept.push(new Set(ids.filter((_, i) => flags[i])));
    }
    for (let p = 0; p + 1 < kept.length; p++) {
      for (const id of kept[p]) expect(kept[p + 1].has(id)).toBe(true);
      expect(kept[p].size).toBeLessThan(kept[p + 1].size);
    }
    expect(kept[kept.length - 1].size).toBe(ids.length);
  });

  it('spreads neighbouring ids: consecutive ids fall in unrelated buckets', async () => {
    const us = (await unitsOf(sequential)).slice(0, 10_000);
    // Lag-1 correlation of a uniform independent sequence is ~0 (|r| < 0.03 at n = 10,000 with near certainty).
    const mean = us.reduce((a, b) => a + b, 0) / us.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < us.length; i++) {
      den += (us[i] - mean) ** 2;
      if (i > 0) num += (us[i] - mean) * (us[i - 1] - mean);
    }
    expect(Math.abs(num / den)).toBeLessThan(0.03);
  });
});

describe('keep', () => {
  it('rejects rates outside (0, 1]', async () => {
    await expect(keep('span', 'a', 0)).rejects.toThrow(/sample rate/);
    await expect(keep('span', 'a', 1.5)).rejects.toThrow(/sample rate/);
    await expect(keep('span', 'a', Number.NaN)).rejects.toThrow(/sample rate/);
  });
  it('keeps everything at 1', async () => {
    const flags = await Promise.all(sequential.slice(0, 500).map((id) => keep('session', id, 1)));
    expect(flags.every(Boolean)).toBe(true);
  });
});
