import type { SignalDefinition } from '../definition.js';
import { TEMPLATE_MODELS } from '../templates/models/index.js';
import type { Target, Verdict } from '../types.js';
import { extractFeatures } from './features.js';
import { featureMemoOf } from './message-features.js';
import { loadModel, positionOf, scores, softmax, type LearnedModel } from './model.js';

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

/** Scores a target with a model: calibrated probabilities and the top evidence. Linear in the target. */
export function predict(target: Target, model: LearnedModel, definition: Pick<SignalDefinition, 'rules'>, evidence = 3): LearnedPrediction {
  const loaded = loadModel(model);
  // Features of messages seen before (a span's history) come from the model's memo.
  const x = extractFeatures(target, model.features, definition, true, featureMemoOf(model.features));
  const z = scores(loaded, x);
  const p = softmax(z, model.temperature);
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  let second = best === 0 ? 1 : 0;
  for (let k = 0; k < p.length; k++) if (k !== best && p[k] > p[second]) second = k;
  // A feature's weight toward the label against the runner-up, times its value.
  const pushes: { k: number; push: number; name?: string }[] = [];
  const { rows, weights } = loaded;
  for (let k = 0; k < x.index.length; k++) {
    const at = positionOf(loaded, x.index[k]);
    if (at < 0) continue;
    const wBest = rows === 1 ? (best === 0 ? weights[at] : 0) : weights[at * rows + best];
    const wSecond = rows === 1 ? (second === 0 ? weights[at] : 0) : weights[at * rows + second];
    const push = (wBest - wSecond) * x.value[k];
    if (push > 0) pushes.push({ k, push });
  }
  // Strongest first, equal pushes by name: names are made only for those ties and for what is shown.
  const nameOf = (p: { k: number; name?: string }) => (p.name ??= x.names.get(x.index[p.k]) ?? `#${x.index[p.k]}`);
  pushes.sort((a, b) => b.push - a.push);
  for (let i = 0; i < pushes.length; ) {
    let j = i + 1;
    while (j < pushes.length && pushes[j].push === pushes[i].push) j++;
    if (j - i > 1) {
      const tied = pushes.slice(i, j).sort((a, b) => {
        const na = nameOf(a);
        const nb = nameOf(b);
        return na < nb ? -1 : na > nb ? 1 : 0;
      });
      for (let t = 0; t < tied.length; t++) pushes[i + t] = tied[t];
    }
    i = j;
  }
  // Words, counts and rules read better than character n-grams: those are shown only when nothing else pushed.
  // The same words from "last user" and "user" are one piece of evidence.
  const shown: string[] = [];
  const seen = new Set<string>();
  for (const chars of [false, true]) {
    if (chars && shown.length > 0) break;
    for (const p of pushes) {
      if (shown.length >= evidence) break;
      const name = nameOf(p);
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
