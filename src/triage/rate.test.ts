import { describe, expect, it } from 'vitest';
import { keepAtRate, parseRate, rateDecision, RATE_PRESETS } from './rate.js';

const ids = Array.from({ length: 100_000 }, (_, i) => `conv:${i}`);

describe('rate sampler', () => {
  it.each(Object.entries(RATE_PRESETS))('keeps %s of 100k ids within one percentage point', (_, rate) => {
    const kept = ids.filter((id) => keepAtRate(id, rate, 42)).length;
    expect(Math.abs(kept / ids.length - rate)).toBeLessThanOrEqual(0.01);
  });

  it('nests the presets: the 10% sample is inside the 25% sample for the same seed', () => {
    const small = ids.filter((id) => keepAtRate(id, 0.1, 3));
    expect(small.every((id) => keepAtRate(id, 0.25, 3))).toBe(true);
  });

  it('gives independent samples for different seeds', () => {
    const a = new Set(ids.filter((id) => keepAtRate(id, 0.1, 1)));
    const both = ids.filter((id) => a.has(id) && keepAtRate(id, 0.1, 2)).length;
    // Independent 10% samples overlap on about 1% of ids.
    expect(Math.abs(both / ids.length - 0.01)).toBeLessThan(0.003);
  });

  it('always keeps high scores when asked', () => {
    expect(rateDecision('x', 9, { rate: 0, keepAbove: 5 })).toBe('high_score');
    expect(rateDecision('x', 1, { rate: 0, keepAbove: 5 })).toBeNull();
    expect(rateDecision('x', 1, { rate: 1 })).toBe('rate');
  });

  it('parses presets, percentages and fractions and rejects the rest', () => {
    expect(parseRate('25%')).toBe(0.25);
    expect(parseRate('12.5%')).toBe(0.125);
    expect(parseRate('0.3')).toBe(0.3);
    expect(() => parseRate('1.5')).toThrow(RangeError);
    expect(() => parseRate('abc')).toThrow(RangeError);
  });
});
