import { mulberry32 } from './prng.js';

/**
 * Area under the ROC curve of `scores` against `positive` (here: the run failed), as the Mann–Whitney
 * statistic with average ranks, so a tie between a positive and a negative counts 0.5.
 * Null when either class is empty.
 */
export function auroc(scores: readonly number[], positive: readonly boolean[]): number | null {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]] === scores[order[i]]) j++;
    const rank = (i + 1 + j) / 2; // average of ranks i+1 … j
    for (let t = i; t < j; t++) if (positive[order[t]]) {
      pos++;
      rankSum += rank;
    }
    i = j;
  }
  const neg = order.length - pos;
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Number of items reviewed for a budget share of n: at least one. */
export function budgetSize(n: number, share: number): number {
  return Math.max(1, Math.ceil(n * share - 1e-9));
}

/** Share of positives among the first `k` of `ranked` (already in review order). */
export function precisionAtK(ranked: readonly boolean[], k: number): number {
  const m = Math.min(k, ranked.length);
  let hits = 0;
  for (let i = 0; i < m; i++) if (ranked[i]) hits++;
  return m === 0 ? 0 : hits / m;
}

/** A 95% percentile interval. */
export type Interval = [number, number];

function percentileInterval(values: number[]): Interval {
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))];
  return [at(0.025), at(0.975)];
}

/**
 * Bootstrap 95% interval of precision at `share` of the budget: resample the conversations with
 * replacement, keep the review order, and take the top share of each resample.
 */
export function bootstrapPrecision(ranked: readonly boolean[], share: number, rounds = 1000, seed = 1): Interval {
  const n = ranked.length;
  const random = mulberry32(seed);
  const counts = new Uint32Array(n);
  const values: number[] = [];
  const k = budgetSize(n, share);
  for (let r = 0; r < rounds; r++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]++;
    let taken = 0;
    let hits = 0;
    for (let i = 0; i < n && taken < k; i++) {
      const c = Math.min(counts[i], k - taken);
      taken += c;
      if (ranked[i]) hits += c;
    }
    values.push(hits / k);
  }
  return percentileInterval(values);
}

/** 95% interval of the precision of `k` conversations drawn uniformly at random without replacement. */
export function randomPrecisionInterval(labels: readonly boolean[], k: number, rounds = 1000, seed = 2): Interval {
  const random = mulberry32(seed);
  const pool = labels.slice();
  const m = Math.min(k, pool.length);
  const values: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let hits = 0;
    for (let i = 0; i < m; i++) {
      const j = i + Math.floor(random() * (pool.length - i));
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
      if (pool[i]) hits++;
    }
    values.push(m === 0 ? 0 : hits / m);
  }
  return percentileInterval(values);
}

/** Bootstrap 95% interval of the AUROC (resamples lacking either class are skipped); null without both classes. */
export function bootstrapAuroc(
  scores: readonly number[],
  positive: readonly boolean[],
  rounds = 1000,
  seed = 3,
): Interval | null {
  if (auroc(scores, positive) === null) return null;
  const n = scores.length;
  const random = mulberry32(seed);
  const values: number[] = [];
  const s: number[] = new Array(n);
  const p: boolean[] = new Array(n);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n);
      s[i] = scores[j];
      p[i] = positive[j];
    }
    const a = auroc(s, p);
    if (a !== null) values.push(a);
  }
  return percentileInterval(values);
}
