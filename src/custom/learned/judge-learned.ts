import type { SignalDefinition } from '../definition.js';
import { TEMPLATE_MODELS } from '../templates/models/index.js';
import type { Target, Verdict } from '../types.js';
import { ConversationFeatures } from './conversation-features.js';
import { featureMemoOf } from './message-features.js';
import { loadModel, softmax, type LearnedModel, type LoadedModel } from './model.js';

const NO_COST = { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 } as const;

/** What the learned judge needs of a definition. */
export type LearnedDefinition = Pick<SignalDefinition, 'rules'> & { learned?: { model: LearnedModel | string } };

/** The model of a definition's learned section: inline, or a template's shipped model (`template:ID`). */
export function modelOf(definition: LearnedDefinition): LearnedModel | undefined {
  const model = definition.learned?.model;
  return typeof model === 'string' ? TEMPLATE_MODELS[model.slice('template:'.length)]?.model : model;
}

/** The label, its calibrated probability and the features that weighed most for it. */
export interface LearnedPrediction {
  label: string;
  confidence: number;
  probabilities: Record<string, number>;
  /** Display names of the features that pushed most toward the label, strongest first. */
  evidence: string[];
}

/** Scratch of `predict` (each target's pushes and their heap), reused: a target allocates none while they are large enough. */
let pushK = new Int32Array(1024);
let pushV = new Float64Array(1024);
let heap = new Int32Array(1024);

/** Text features per conversation, one cache per model object (a model never changes once loaded). */
const conversations = new WeakMap<LoadedModel, ConversationFeatures>();

/** The conversation feature cache of a model. */
export function conversationFeaturesOf(loaded: LoadedModel): ConversationFeatures {
  let held = conversations.get(loaded);
  if (held === undefined) conversations.set(loaded, (held = new ConversationFeatures(loaded, featureMemoOf(loaded.settings))));
  return held;
}

/**
 * Scores a target with a model: calibrated probabilities and the top evidence. A target whose messages continue its
 * conversation's previous target (a span's history) costs its new messages and the conversation's distinct
 * features, not every message again; the result is that of `extractFeatures` and scoring over the whole target.
 */
export function predict(target: Target, model: LearnedModel, definition: Pick<SignalDefinition, 'rules'>, evidence = 3): LearnedPrediction {
  const loaded = loadModel(model);
  const x = conversationFeaturesOf(loaded).weighted(target, definition);
  // Only weighted features move a score: summed in ascending index order, as `scores` sums a whole vector.
  const { rows, weights } = loaded;
  // Typed arrays throughout: see `softmax`.
  const z = Float64Array.from(model.bias);
  if (rows === 1) {
    // The same float sums, in a local (a binary model's one row).
    let z0 = z[0];
    for (let k = 0; k < x.size; k++) z0 += weights[x.position[k]] * x.value[k];
    z[0] = z0;
  } else {
    for (let k = 0; k < x.size; k++) {
      const p = x.position[k];
      for (let r = 0; r < rows; r++) z[r] += weights[p * rows + r] * x.value[k];
    }
  }
  const p = softmax(rows === 1 ? Float64Array.of(z[0], 0) : z, model.temperature);
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  let second = best === 0 ? 1 : 0;
  for (let k = 0; k < p.length; k++) if (k !== best && p[k] > p[second]) second = k;
  // A feature's weight toward the label against the runner-up, times its value (positive ones only).
  if (pushK.length < x.size) {
    pushK = new Int32Array(Math.max(x.size, pushK.length * 2));
    pushV = new Float64Array(pushK.length);
    heap = new Int32Array(pushK.length);
  }
  let n = 0;
  for (let k = 0; k < x.size; k++) {
    const at = x.position[k];
    const wBest = rows === 1 ? (best === 0 ? weights[at] : 0) : weights[at * rows + best];
    const wSecond = rows === 1 ? (second === 0 ? weights[at] : 0) : weights[at * rows + second];
    const push = (wBest - wSecond) * x.value[k];
    if (push > 0) {
      pushK[n] = k;
      pushV[n] = push;
      n++;
    }
  }
  const nameOfK = (k: number) => x.name(k);
  const ordered = strongestFirst(pushK, pushV, n, nameOfK);
  // Words, counts and rules read better than character n-grams: those are shown only when nothing else pushed.
  // The same words from "last user" and "user" are one piece of evidence.
  const shown: string[] = [];
  const seen = new Set<string>();
  for (const chars of [false, true]) {
    if (chars && shown.length > 0) break;
    for (let i = 0; shown.length < evidence; i++) {
      const k = ordered(i);
      if (k < 0) break;
      const name = nameOfK(k);
      if (name.startsWith('"') !== chars) continue;
      const plain = name.replace(/ \(last (\w+)\)$/, ' ($1)');
      if (seen.has(plain)) continue;
      seen.add(plain);
      shown.push(plain.length > 60 ? `${plain.slice(0, 59)}…` : plain);
    }
  }
  return {
    label: model.labels[best],
    confidence: p[best],
    probabilities: Object.fromEntries(model.labels.map((l, k) => [l, p[k]])),
    evidence: shown,
  };
}

/**
 * The learned judge: the model's most probable label with its calibrated confidence and the features that weighed
 * most ("learned → yes (0.93): 'ignore all' (user), 'developer mode' (user)"). Free, local and deterministic.
 */
export function judgeWithLearned(target: Target, definition: LearnedDefinition): Verdict & { confidence?: number } {
  const model = modelOf(definition);
  if (!model) return { status: 'error', label: null, explanation: 'this signal has no learned model (train one with signals learn)', judge: 'learned', cost: { ...NO_COST } };
  const p = predict(target, model, definition);
  return {
    status: 'labelled',
    label: p.label,
    explanation: `learned → ${p.label} (${p.confidence.toFixed(2)})${p.evidence.length ? `: ${p.evidence.join(', ')}` : ''}`,
    judge: 'learned',
    confidence: Math.round(p.confidence * 10_000) / 10_000,
    cost: { ...NO_COST },
  };
}

/**
 * The pushes (feature `pushK[j]`, push `pushV[j]`, j < n) strongest first, equal pushes by name (`nameOf`), then in
 * feature order: `ordered(i)` is the i-th feature, or -1 past the last. Sorted as far as asked only (a heap; the
 * evidence usually reads the first few of thousands), so names are made only for ties and what is read.
 */
function strongestFirst(pushK: Int32Array, pushV: Float64Array, n: number, nameOf: (k: number) => string): (i: number) => number {
  const before = (a: number, b: number) => pushV[a] > pushV[b] || (pushV[a] === pushV[b] && pushK[a] < pushK[b]);
  for (let j = 0; j < n; j++) heap[j] = j;
  let size = n;
  const down = (from: number) => {
    for (let i = from; ; ) {
      const l = 2 * i + 1;
      if (l >= size) return;
      const c = l + 1 < size && before(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!before(heap[c], heap[i])) return;
      const t = heap[i];
      heap[i] = heap[c];
      heap[c] = t;
      i = c;
    }
  };
  for (let i = (n >> 1) - 1; i >= 0; i--) down(i);
  const pop = () => {
    const top = heap[0];
    heap[0] = heap[--size];
    down(0);
    return top;
  };
  const out: number[] = [];
  return (i) => {
    while (out.length <= i && size > 0) {
      // One push value at a time: its features come off in feature order, then are ordered by name (stable).
      const group = [pop()];
      while (size > 0 && pushV[heap[0]] === pushV[group[0]]) group.push(pop());
      if (group.length > 1) {
        const names = new Map(group.map((j) => [j, nameOf(pushK[j])]));
        group.sort((a, b) => {
          const na = names.get(a)!;
          const nb = names.get(b)!;
          return na < nb ? -1 : na > nb ? 1 : 0;
        });
      }
      for (const j of group) out.push(pushK[j]);
    }
    return i < out.length ? out[i] : -1;
  };
}
