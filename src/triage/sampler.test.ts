import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BudgetSampler, type Candidate, type SamplerOptions } from './sampler.js';

// Few distinct scores on purpose, so most decisions are ties broken by the id hash.
function candidates(n: number): Candidate[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i % 3 === 0 ? i : `c${i}`,
    score: (i * 7) % 5,
    reasons: [],
    categories: [...(i % 11 === 0 ? ['loops'] : []), ...(i % 17 === 0 ? ['escalation'] : [])],
  }));
}

function sampleSharded(items: readonly Candidate[], options: SamplerOptions, shards: number) {
  const parts = Array.from({ length: shards }, () => new BudgetSampler(options));
  items.forEach((c, i) => parts[i % shards].offer(c));
  for (const p of parts.slice(1)) parts[0].merge(p);
  return parts[0].select();
}

const options: SamplerOptions = { budget: 40, seed: 9, randomShare: 0.25, quotas: { loops: 8, escalation: 3 } };
const idsOf = (sel: { id: unknown }[]) => sel.map((s) => JSON.stringify(s.id)).sort();

describe('BudgetSampler', () => {
  const items = candidates(500);
  const reference = sampleSharded(items, options, 1);

  it('selects the same conversations whatever the input order and shard (thread) count', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: items.length, maxLength: items.length }), fc.integer({ min: 1, max: 8 }), (keys, shards) => {
        const shuffled = items.map((c, i) => ({ c, k: keys[i] })).sort((a, b) => a.k - b.k).map((x) => x.c);
        expect(sampleSharded(shuffled, options, shards)).toEqual(reference);
      }),
      { numRuns: 30 },
    );
  });

  it('fills the budget: quotas, then scores, then the random share', () => {
    expect(reference).toHaveLength(40);
    const routes = reference.map((s) => s.reasons[0]);
    expect(routes.filter((r) => r === 'random')).toHaveLength(10);
    const withLoops = reference.filter((s) => items.find((c) => c.id === s.id)!.categories.includes('loops'));
    const withEsc = reference.filter((s) => items.find((c) => c.id === s.id)!.categories.includes('escalation'));
    expect(withLoops.length).toBeGreaterThanOrEqual(8);
    expect(withEsc.length).toBeGreaterThanOrEqual(3);
    // Every score pick ranks at least as high as every non-selected conversation.
    const chosen = new Set(idsOf(reference));
    const minScorePick = Math.min(...reference.filter((s) => s.reasons[0] === 'score').map((s) => s.score));
    const maxLeft = Math.max(...items.filter((c) => !chosen.has(JSON.stringify(c.id))).map((c) => c.score));
    expect(minScorePick).toBeGreaterThanOrEqual(maxLeft);
  });

  it('honours quotas larger than what the scores alone would pick', () => {
    const withLoops = (sel: { id: unknown }[]) =>
      sel.filter((s) => items.find((c) => c.id === s.id)!.categories.includes('loops')).length;
    const plain = sampleSharded(items, { budget: 20, randomShare: 0 }, 3);
    const quotaHeavy = sampleSharded(items, { budget: 20, randomShare: 0, quotas: { loops: 15 } }, 3);
    expect(withLoops(plain)).toBeLessThan(15);
    expect(quotaHeavy).toHaveLength(20);
    expect(withLoops(quotaHeavy)).toBeGreaterThanOrEqual(15);
  });

  it('takes everything when the budget exceeds the input, and changes only the random share with the seed', () => {
    expect(idsOf(sampleSharded(items.slice(0, 10), options, 2))).toEqual(idsOf(items.slice(0, 10)));
    const other = sampleSharded(items, { ...options, seed: 10 }, 1);
    const scored = (sel: typeof reference) => idsOf(sel.filter((s) => s.reasons[0] !== 'random'));
    expect(scored(other)).toEqual(scored(reference));
    expect(idsOf(other)).not.toEqual(idsOf(reference));
  });
});
