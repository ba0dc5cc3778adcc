import { describe, expect, it } from 'vitest';
import { auroc, bootstrapAuroc, bootstrapPrecision, budgetSize, precisionAtK, randomPrecisionInterval } from './metrics.js';

describe('auroc', () => {
  it('is 1 for perfect separation, 0 when reversed, 0.5 when all tied', () => {
    const failed = [true, true, false, false, false];
    expect(auroc([9, 8, 3, 2, 1], failed)).toBe(1);
    expect(auroc([1, 2, 7, 8, 9], failed)).toBe(0);
    expect(auroc([4, 4, 4, 4, 4], failed)).toBe(0.5);
  });

  it('matches a hand-computed case with a tie', () => {
    // Positives 3, 2; negatives 2, 1, 0. Pairs: (3,·) 3 wins; (2,2) tie 0.5, (2,1) win, (2,0) win → 5.5 / 6.
    expect(auroc([3, 2, 2, 1, 0], [true, true, false, false, false])).toBeCloseTo(5.5 / 6, 12);
  });

  it('is null without both classes', () => {
    expect(auroc([1, 2], [true, true])).toBeNull();
    expect(bootstrapAuroc([1, 2], [true, true])).toBeNull();
  });

  it('has a reproducible bootstrap interval around the estimate', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i % 10);
    const failed = scores.map((s, i) => s >= 5 || i % 7 === 0);
    const [lo, hi] = bootstrapAuroc(scores, failed)!;
    expect(bootstrapAuroc(scores, failed)).toEqual([lo, hi]);
    expect(lo).toBeLessThan(auroc(scores, failed)!);
    expect(hi).toBeGreaterThan(auroc(scores, failed)!);
    expect(hi).toBeLessThanOrEqual(1);
  });
});

describe('precision at k', () => {
  it('counts failures among the first k in review order', () => {
    const ranked = [true, false, true, true, false, false, false, false, false, false];
    expect(precisionAtK(ranked, 1)).toBe(1);
    expect(precisionAtK(ranked, 4)).toBe(0.75);
    expect(precisionAtK(ranked, budgetSize(ranked.length, 0.1))).toBe(1);
    expect(budgetSize(148, 0.1)).toBe(15);
    expect(budgetSize(3, 0.1)).toBe(1);
  });

  it('gives reproducible intervals that contain the point estimate', () => {
    const ranked = Array.from({ length: 200 }, (_, i) => i < 30 || i % 3 === 0);
    const [lo, hi] = bootstrapPrecision(ranked, 0.1);
    expect(bootstrapPrecision(ranked, 0.1)).toEqual([lo, hi]);
    expect(lo).toBeLessThanOrEqual(precisionAtK(ranked, 20));
    expect(hi).toBeGreaterThanOrEqual(precisionAtK(ranked, 20));
    const [rlo, rhi] = randomPrecisionInterval(ranked, 20);
    const base = ranked.filter(Boolean).length / ranked.length;
    expect(rlo).toBeLessThan(base);
    expect(rhi).toBeGreaterThan(base);
  });
});
