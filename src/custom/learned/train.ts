import type { FeatureSettings, FeatureVector } from './features.js';
import { hashText } from './hash.js';
import { minimize } from './lbfgs.js';
import { MODEL_FORMAT, loadModel, scores, softmax, type LearnedModel, type TrainingSummary } from './model.js';

/** One training example: its features and the index of its label. */
export interface Example {
  x: FeatureVector;
  y: number;
}

/** How weights are fitted. */
export interface FitOptions {
  /** L2 strength: the objective is the mean (weighted) log loss + lambda/2 |w|^2 (biases not penalized). */
  lambda: number;
  /** A hashed feature is used when at least this many training targets have it (rarer ones are noise and leak specifics). */
  minDf: number;
  /** At most this many features (the most frequent; ties by index). */
  maxFeatures: number;
  /** Weigh each label by the inverse of its frequency (for macro-F1 on skewed labels). */
  balanced: boolean;
  maxIterations?: number;
  /** Stop when an iteration improves the objective by less than this share of it (default 1e-9). */
  tolerance?: number;
}

/** Default fit settings of `signals learn`. */
export const DEFAULT_FIT: FitOptions = { lambda: 1e-3, minDf: 2, maxFeatures: 20_000, balanced: true };

/** Weights are stored as integers: weight × SCALE, rounded. */
const SCALE = 10_000;

/**
 * Fits multinomial logistic regression with L2 (one row per label, or one row for two labels: plain logistic
 * regression, the same model) by L-BFGS, and returns it as a stored model with temperature 1. Deterministic:
 * features, examples and iterations go in a fixed order; no randomness.
 */
export function fitModel(examples: readonly Example[], labels: readonly string[], settings: FeatureSettings, options: FitOptions, summary: Pick<TrainingSummary, 'source'> & Partial<TrainingSummary>): LearnedModel {
  const started = Date.now();
  const K = labels.length;
  const R = K === 2 ? 1 : K;
  const df = new Map<number, number>();
  for (const e of examples) for (const k of e.x.index) df.set(k, (df.get(k) ?? 0) + 1);
  const kept = [...df].filter(([, n]) => n >= options.minDf).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, options.maxFeatures).map(([k]) => k).sort((a, b) => a - b);
  const column = new Map<number, number>(kept.map((k, c) => [k, c]));
  const C = kept.length;
  // The examples as compressed rows over the kept columns.
  const start = new Int32Array(examples.length + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  examples.forEach((e, i) => {
    for (let k = 0; k < e.x.index.length; k++) {
      const c = column.get(e.x.index[k]);
      if (c !== undefined) {
        cols.push(c);
        vals.push(e.x.value[k]);
      }
    }
    start[i + 1] = cols.length;
  });
  const counts = new Array<number>(K).fill(0);
  for (const e of examples) counts[e.y]++;
  const N = examples.length;
  const weightOf = counts.map((n) => (options.balanced && n > 0 ? N / (K * n) : 1));
  const lambda = options.lambda;
  const z = new Float64Array(K);
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < N; i++) {
      for (let r = 0; r < R; r++) z[r] = theta[C * R + r];
      if (R === 1) z[1] = 0;
      for (let p = start[i]; p < start[i + 1]; p++) {
        const base = cols[p] * R;
        for (let r = 0; r < R; r++) z[r] += theta[base + r] * vals[p];
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, z[k]);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(z[k] - max);
      const y = examples[i].y;
      const w = weightOf[y];
      loss += w * (max + Math.log(sum) - z[y]);
      for (let r = 0; r < R; r++) {
        const residual = w * (Math.exp(z[r] - max) / sum - (r === y ? 1 : 0));
        if (residual === 0) continue;
        grad[C * R + r] += residual;
        for (let p = start[i]; p < start[i + 1]; p++) grad[cols[p] * R + r] += residual * vals[p];
      }
    }
    let penalty = 0;
    for (let j = 0; j < C * R; j++) {
      grad[j] = grad[j] / N + lambda * theta[j];
      penalty += theta[j] * theta[j];
    }
    for (let r = 0; r < R; r++) grad[C * R + r] /= N;
    return loss / N + (lambda / 2) * penalty;
  };
  const { x: theta, iterations } = minimize(objective, C * R + R, { maxIterations: options.maxIterations ?? 300, tolerance: options.tolerance ?? 1e-9, memory: 10 });
  // Store the features whose weights survive rounding; indexes delta-encoded.
  const index: number[] = [];
  const rows: number[][] = Array.from({ length: R }, () => []);
  let previous = 0;
  for (let c = 0; c < C; c++) {
    const q = Array.from({ length: R }, (_, r) => Math.round(theta[c * R + r] * SCALE));
    if (q.every((v) => v === 0)) continue;
    index.push(index.length === 0 ? kept[c] : kept[c] - previous);
    previous = kept[c];
    q.forEach((v, r) => rows[r].push(v + 0)); // + 0 turns -0 into 0 for JSON
  }
  const per_label = Object.fromEntries(labels.map((l, k) => [l, counts[k]]));
  return {
    format: MODEL_FORMAT,
    labels: [...labels],
    features: settings,
    weights: { index, rows, scale: SCALE },
    bias: Array.from({ length: R }, (_, r) => Math.round(theta[C * R + r] * 1e6) / 1e6),
    temperature: 1,
    training: {
      examples: N,
      per_label,
      lambda,
      min_df: options.minDf,
      max_features: options.maxFeatures,
      iterations,
      calibration: 'none',
      ...summary,
      ms: Date.now() - started,
    },
  };
}

/** Logits of a model for each feature vector. */
export function logitsOf(model: LearnedModel, xs: readonly FeatureVector[]): number[][] {
  const loaded = loadModel(model);
  return xs.map((x) => scores(loaded, x));
}

/**
 * Temperature scaling: the T that minimizes the log loss of softmax(logits / T) on labels the model did not train on
 * (golden-section search over log T in [1/20, 20]). It changes confidence, never which label wins.
 */
export function fitTemperature(logits: readonly number[][], ys: readonly number[]): number {
  if (logits.length === 0) return 1;
  const loss = (t: number) => {
    const T = Math.exp(t);
    let sum = 0;
    logits.forEach((z, i) => (sum -= Math.log(Math.max(softmax(z, T)[ys[i]], 1e-300))));
    return sum;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = loss(a);
  let fb = loss(b);
  for (let i = 0; i < 60; i++) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = loss(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = loss(b);
    }
  }
  return Math.round(Math.exp((lo + hi) / 2) * 1e4) / 1e4;
}

/** True for the share `share` of keys that fall in the held-out part (by hash, so the same key always falls the same way). */
export function inHeldout(key: string, share: number, seed = 'heldout'): boolean {
  return hashText(`${seed}\u0000${key}`) % 10_000 < share * 10_000;
}
