import { z } from 'zod';
import type { FeatureSettings, FeatureVector } from './features.js';

/** The model format written by this version; a different value is refused, never guessed at. */
export const MODEL_FORMAT = 'agent-signals/learned-v1';

const featureSettingsSchema = z.strictObject({
  bits: z.int().min(10).max(24),
  words: z.array(z.int().min(1).max(4)).max(4),
  chars: z.array(z.int().min(2).max(8)).max(6),
  roles: z.array(z.enum(['user', 'assistant', 'tool', 'system'])).min(1),
  last: z.boolean(),
  builtin: z.boolean(),
  rules: z.boolean(),
  lexicon: z.boolean().optional(),
  max_message_chars: z.int().min(16).max(1_000_000),
});

const agreementSchema = z.strictObject({
  n: z.int().nonnegative(),
  accuracy: z.number(),
  macro_f1: z.number(),
  confusion: z.record(z.string(), z.record(z.string(), z.int().nonnegative())).optional(),
});

/** What the model was trained on and how it did on labels it did not see. No text of the training data. */
export const trainingSummarySchema = z.strictObject({
  /** Where the labels came from, e.g. "llm labels of version 3", "file labels.jsonl (meta.label)", "dev splits". */
  source: z.string(),
  examples: z.int().nonnegative(),
  per_label: z.record(z.string(), z.int().nonnegative()),
  /** L2 strength (mean loss + lambda/2 |w|^2). */
  lambda: z.number().nonnegative(),
  /** Hashed features that occur in at least `min_df` training targets, at most `max_features` of them. */
  min_df: z.int().positive(),
  max_features: z.int().positive(),
  iterations: z.int().nonnegative(),
  /** How the probabilities were calibrated. */
  calibration: z.string(),
  /** Agreement on the held-out part of the labels (none when every label was used for training). */
  heldout: agreementSchema.optional(),
  /** Human labels among the training examples. */
  human: z.int().nonnegative().optional(),
  /** Milliseconds of training. */
  ms: z.number().nonnegative().optional(),
});

/**
 * A learned model as stored in a signal version: feature settings, hashed feature indexes (delta-encoded, ascending)
 * with one weight row per class (integers, divided by `scale`), biases, the calibration temperature and a training
 * summary. Binary models keep one row: the score of `labels[0]` against `labels[1]`.
 */
export const learnedModelSchema = z
  .strictObject({
    format: z.literal(MODEL_FORMAT),
    labels: z.array(z.string().min(1)).min(2).max(10),
    features: featureSettingsSchema,
    weights: z.strictObject({
      index: z.array(z.int().nonnegative()),
      rows: z.array(z.array(z.int())),
      scale: z.number().positive(),
    }),
    bias: z.array(z.number()),
    temperature: z.number().positive(),
    training: trainingSummarySchema,
  })
  .superRefine((m, ctx) => {
    const rows = m.labels.length === 2 ? 1 : m.labels.length;
    if (m.weights.rows.length !== rows) ctx.addIssue({ code: 'custom', path: ['weights', 'rows'], message: `need ${rows} weight rows for ${m.labels.length} labels` });
    if (m.bias.length !== rows) ctx.addIssue({ code: 'custom', path: ['bias'], message: `need ${rows} biases for ${m.labels.length} labels` });
    m.weights.rows.forEach((r, i) => {
      if (r.length !== m.weights.index.length) ctx.addIssue({ code: 'custom', path: ['weights', 'rows', i], message: 'a weight row has one weight per index' });
    });
    // The first entry is an index, each next one the step (at least 1) from the previous index.
    let at = -1;
    let ascending = true;
    m.weights.index.forEach((d, i) => {
      if (i > 0 && d < 1) ascending = false;
      at = i === 0 ? d : at + d;
    });
    if (!ascending || at >= 2 ** m.features.bits) ctx.addIssue({ code: 'custom', path: ['weights', 'index'], message: 'indexes must ascend inside the hash space' });
  });

/** A learned model (see `learnedModelSchema`). */
export type LearnedModel = z.output<typeof learnedModelSchema>;
/** What a model says about its training. */
export type TrainingSummary = z.output<typeof trainingSummarySchema>;

/** A model ready to score: index → position map and weights as floats. */
export interface LoadedModel {
  model: LearnedModel;
  rows: number;
  positions: Map<number, number>;
  /**
   * `positionAt[index]` = position + 1 (0: no weight) for hash spaces up to 2^20 (1 MB at the templates' 2^18), else
   * null: a feature's weight is one array read instead of a Map lookup (scoring reads one per feature of the target).
   */
  positionAt: Int32Array | null;
  /** weights[position * rows + row] */
  weights: Float64Array;
  settings: FeatureSettings;
}

const loaded = new WeakMap<LearnedModel, LoadedModel>();
const DENSE_BITS = 20;

/** The position of hash index `index` among the model's weights, or -1 when it has none. */
export function positionOf(m: LoadedModel, index: number): number {
  return m.positionAt !== null ? m.positionAt[index] - 1 : (m.positions.get(index) ?? -1);
}

/** Decodes a model once per model object. */
export function loadModel(model: LearnedModel): LoadedModel {
  let l = loaded.get(model);
  if (l) return l;
  const rows = model.weights.rows.length;
  const positions = new Map<number, number>();
  const positionAt = model.features.bits <= DENSE_BITS ? new Int32Array(2 ** model.features.bits) : null;
  const weights = new Float64Array(model.weights.index.length * rows);
  let index = -1;
  model.weights.index.forEach((delta, p) => {
    index = p === 0 ? delta : index + delta;
    positions.set(index, p);
    if (positionAt !== null) positionAt[index] = p + 1;
    for (let r = 0; r < rows; r++) weights[p * rows + r] = model.weights.rows[r][p] / model.weights.scale;
  });
  l = { model, rows, positions, positionAt, weights, settings: model.features };
  loaded.set(model, l);
  return l;
}

/** Raw class scores (logits) of a feature vector, one per label. */
export function scores(m: LoadedModel, x: FeatureVector): number[] {
  const z = m.model.bias.slice();
  for (let k = 0; k < x.index.length; k++) {
    const p = positionOf(m, x.index[k]);
    if (p < 0) continue;
    for (let r = 0; r < m.rows; r++) z[r] += m.weights[p * m.rows + r] * x.value[k];
  }
  return m.rows === 1 ? [z[0], 0] : z;
}

/** Softmax of logits divided by a temperature. */
export function softmax(z: ArrayLike<number>, temperature = 1): Float64Array {
  // A typed array: a plain array takes its element kind from the values put in it (the largest logit's exp is exactly
  // 1, a small integer, so the kind depended on which label won), and `predict`, optimized for one kind, was thrown
  // away and compiled again each time the other came (163 times in one window of the service benchmark).
  const n = z.length;
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, z[k] / temperature);
  const e = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    e[k] = Math.exp(z[k] / temperature - max);
    sum += e[k];
  }
  for (let k = 0; k < n; k++) e[k] /= sum;
  return e;
}

/** Calibrated probabilities of each label. */
export function probabilities(m: LoadedModel, x: FeatureVector): Float64Array {
  return softmax(scores(m, x), m.model.temperature);
}
