import type { SignalDefinition } from '../definition.js';
import type { Target } from '../types.js';
import { accuracy, macroF1 } from './cv.js';
import { extractFeatures, type FeatureSettings, type FeatureVector } from './features.js';
import { loadModel, softmax, type LearnedModel } from './model.js';
import { DEFAULT_FIT, fitModel, fitTemperature, inHeldout, logitsOf, type FitOptions } from './train.js';

/** One labelled target for training. */
export interface LabelledTarget {
  target: Target;
  label: string;
  /** Items of one group (a session, a prompt) fall on the same side of the held-out split; default the target id. */
  group?: string;
  /** A reviewer's label (these win over machine labels of the same target before this point). */
  human?: boolean;
}

/** What was measured on the held-out part of the labels. */
export interface HeldoutAgreement {
  n: number;
  accuracy: number;
  macro_f1: number;
  /** confusion[expected][predicted] */
  confusion: Record<string, Record<string, number>>;
}

/** The cascade threshold chosen on the held-out part. */
export interface CascadeChoice {
  /** The learned label stands at or above this confidence. */
  threshold: number;
  /** The agreement it was chosen to keep. */
  target: number;
  n: number;
  llm_share: number;
  /** Agreement of the cascade with the held-out labels (targets sent to the LLM counted as agreeing). */
  agreement: number;
}

/** Settings of `learnFromLabels`. */
export interface LearnOptions {
  labels: readonly string[];
  features: FeatureSettings;
  fit?: FitOptions;
  /** Share of groups held out for calibration, agreement and the cascade threshold (default 0.2). */
  heldoutShare?: number;
  /** Agreement the cascade threshold keeps (default 0.95). */
  agreement?: number;
  /** Where the labels came from (stored in the model's training summary). */
  source: string;
}

/** A trained model with its held-out agreement and cascade threshold. */
export interface LearnResult {
  model: LearnedModel;
  heldout: HeldoutAgreement | null;
  cascade: CascadeChoice | null;
}

/** The held-out agreement of predictions with labels, as stored in the model. */
export function agreementOf(labels: readonly string[], expected: readonly string[], predicted: readonly string[]): HeldoutAgreement {
  const confusion: Record<string, Record<string, number>> = {};
  for (const e of labels) confusion[e] = Object.fromEntries(labels.map((p) => [p, 0]));
  expected.forEach((e, i) => (confusion[e][predicted[i]] = (confusion[e][predicted[i]] ?? 0) + 1));
  const r = (x: number) => Math.round(x * 10_000) / 10_000;
  return { n: expected.length, accuracy: r(accuracy(expected, predicted)), macro_f1: r(macroF1(expected, predicted)), confusion };
}

/**
 * The lowest confidence threshold whose cascade (the learned label at or above it, the LLM below it, the LLM taken
 * to agree with the labels) keeps agreement with the held-out labels at `target` or better; everything goes to the
 * LLM when no threshold does.
 */
export function chooseThreshold(confidence: readonly number[], correct: readonly boolean[], target: number): CascadeChoice {
  const n = confidence.length;
  const order = confidence.map((c, i) => i).sort((a, b) => confidence[b] - confidence[a]);
  // Walk thresholds from the highest confidence down: keeping the top j items learned.
  let wrongKept = 0;
  let best = { threshold: 1.0001, kept: 0, wrong: 0 };
  for (let j = 0; j < n; j++) {
    const i = order[j];
    if (!correct[i]) wrongKept++;
    // Only a place where the confidence changes can be a threshold.
    if (j + 1 < n && confidence[order[j + 1]] === confidence[i]) continue;
    if ((n - wrongKept) / n >= target) best = { threshold: confidence[i], kept: j + 1, wrong: wrongKept };
  }
  const r = (x: number) => Math.round(x * 10_000) / 10_000;
  return { threshold: Math.min(best.threshold, 1), target, n, llm_share: n ? r((n - best.kept) / n) : 1, agreement: n ? r((n - best.wrong) / n) : 1 };
}

/**
 * Trains a learned model from labelled targets: a fixed share of groups (by hash) is held out, the weights are fitted
 * on the rest, the temperature, the agreement and the cascade threshold come from the held-out part. Deterministic.
 */
export function learnFromLabels(items: readonly LabelledTarget[], definition: Pick<SignalDefinition, 'rules'>, options: LearnOptions): LearnResult {
  const labels = [...options.labels];
  for (const item of items) if (!labels.includes(item.label)) throw new Error(`label "${item.label}" is not one of ${labels.join(', ')}`);
  const present = labels.filter((l) => items.some((i) => i.label === l));
  if (present.length < 2) throw new Error(`need labels of at least two kinds to learn from (got ${present.length ? `only "${present[0]}"` : 'none'})`);
  const share = options.heldoutShare ?? 0.2;
  const xs: FeatureVector[] = items.map((i) => extractFeatures(i.target, options.features, definition));
  const train: number[] = [];
  const held: number[] = [];
  items.forEach((item, k) => ((share > 0 && inHeldout(item.group ?? `${item.target.kind}:${item.target.agent}:${item.target.id}`, share) ? held : train).push(k)));
  if (train.length === 0) throw new Error('every label fell in the held-out part: add labels');
  const model = fitModel(
    train.map((k) => ({ x: xs[k], y: labels.indexOf(items[k].label) })),
    labels,
    options.features,
    options.fit ?? DEFAULT_FIT,
    { source: options.source, human: items.filter((i, k) => i.human && train.includes(k)).length },
  );
  model.training.examples = train.length;
  if (held.length === 0) {
    model.training.calibration = 'none (no held-out labels)';
    return { model, heldout: null, cascade: null };
  }
  const logits = logitsOf(model, held.map((k) => xs[k]));
  const ys = held.map((k) => labels.indexOf(items[k].label));
  model.temperature = fitTemperature(logits, ys);
  model.training.calibration = `temperature scaling (T = ${model.temperature}) fitted on the held-out part (${held.length} labels)`;
  loadModel(model);
  const predicted = logits.map((z) => labels[argmax(z)]);
  const expected = held.map((k) => items[k].label);
  const heldout = agreementOf(labels, expected, predicted);
  model.training.heldout = heldout;
  const confidence = logits.map((z) => Math.round(Math.max(...softmax(z, model.temperature)) * 10_000) / 10_000);
  const cascade = chooseThreshold(confidence, predicted.map((p, i) => p === expected[i]), options.agreement ?? 0.95);
  return { model, heldout, cascade };
}

function argmax(z: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < z.length; k++) if (z[k] > z[best]) best = k;
  return best;
}
