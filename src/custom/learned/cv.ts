import { hashText } from './hash.js';
import { mulberry32 } from '../../triage/prng.js';

/**
 * Grouped folds: every item of a group falls in the same fold, so near-copies (the same prompt, dialogue or task)
 * never sit on both sides. Groups go, in a fixed hashed order, to the fold with the fewest items so far.
 * Returns the fold of each item.
 */
export function groupedFolds(groups: readonly string[], folds: number, seed = 'folds'): number[] {
  const sizes = new Map<string, number>();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const order = [...sizes.keys()].sort((a, b) => hashText(`${seed}\u0000${a}`) - hashText(`${seed}\u0000${b}`) || (a < b ? -1 : 1));
  const load = new Array<number>(folds).fill(0);
  const foldOf = new Map<string, number>();
  for (const g of order) {
    let best = 0;
    for (let f = 1; f < folds; f++) if (load[f] < load[best]) best = f;
    foldOf.set(g, best);
    load[best] += sizes.get(g)!;
  }
  return groups.map((g) => foldOf.get(g)!);
}

/** Macro-F1 over the labels that occur among the expected ones (predicted-only labels count as errors). */
export function macroF1(expected: readonly string[], predicted: readonly string[]): number {
  const labels = [...new Set(expected)].sort();
  if (labels.length === 0) return 0;
  let sum = 0;
  for (const l of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    expected.forEach((e, i) => {
      const p = predicted[i];
      if (p === l && e === l) tp++;
      else if (p === l) fp++;
      else if (e === l) fn++;
    });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / labels.length;
}

/** Share of items where the two agree. */
export function accuracy(expected: readonly string[], predicted: readonly string[]): number {
  if (expected.length === 0) return 0;
  let same = 0;
  expected.forEach((e, i) => (same += e === predicted[i] ? 1 : 0));
  return same / expected.length;
}

/** A small deterministic generator (mulberry32) for resampling: the one the triage bootstrap uses. */
export const random = mulberry32;

/**
 * A 95% percentile interval of `metric` by resampling whole groups with replacement (a cluster bootstrap, so
 * items that belong together move together), from a fixed seed.
 */
export function groupBootstrap(
  expected: readonly string[],
  predicted: readonly string[],
  groups: readonly string[],
  metric: (e: string[], p: string[]) => number,
  rounds = 1000,
  seed = 1,
): [number, number] {
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = members.get(g);
    if (list) list.push(i);
    else members.set(g, [i]);
  });
  const keys = [...members.keys()];
  const next = random(seed);
  const values: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const e: string[] = [];
    const p: string[] = [];
    for (let k = 0; k < keys.length; k++) {
      for (const i of members.get(keys[Math.floor(next() * keys.length)])!) {
        e.push(expected[i]);
        p.push(predicted[i]);
      }
    }
    values.push(metric(e, p));
  }
  values.sort((a, b) => a - b);
  return [values[Math.floor(0.025 * (rounds - 1))], values[Math.ceil(0.975 * (rounds - 1))]];
}
