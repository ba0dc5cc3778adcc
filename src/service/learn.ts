import { labelNames, type SignalDefinition } from '../custom/definition.js';
import { agentMismatch } from '../custom/filter.js';
import { DEFAULT_FEATURES } from '../custom/learned/features.js';
import { learnFromLabels, type CascadeChoice, type HeldoutAgreement, type LabelledTarget } from '../custom/learned/learn.js';
import type { Target } from '../custom/types.js';
import { humanLabels, judgeLabels, MAX_TRAINING_LABELS } from '../store/learning.js';
import { listVersions } from '../store/signals.js';
import { ServiceError, type SignalsApi } from './api.js';
import type { ServiceContext } from './context.js';
import { loadSignal, loadTargets } from './loading.js';

/** What `signals learn` asks for. */
export interface LearnInput {
  /** Labelled targets to train on (`--from FILE`) instead of the signal's LLM labels. */
  labelled?: { target: Target; label: string }[];
  /** Where `labelled` came from, e.g. "file labels.jsonl (meta.label)". */
  source?: string;
  /** Save the model as a new version (otherwise only measure). */
  apply?: boolean;
  /** The judge of the new version; default `learned-then-llm` when the signal uses an LLM, else `learned`. */
  judge?: 'learned' | 'learned-then-llm';
  /** The agreement the cascade threshold keeps (default 0.95). */
  agreement?: number;
}

/** What training measured (on the held-out part), and the new version when applied. */
export interface LearnReport {
  signal: string;
  /** The version the labels and the definition were read from. */
  version: number;
  source: string;
  /** Labels used for training (the held-out ones not counted). */
  examples: number;
  per_label: Record<string, number>;
  features: number;
  heldout: HeldoutAgreement | null;
  cascade: CascadeChoice | null;
  judge: 'learned' | 'learned-then-llm';
  ms: number;
  /** The version saved, or null when only measured. */
  applied: { version: number } | null;
}

const MAX_LABELLED = MAX_TRAINING_LABELS;

function checkedLabelled(input: unknown, labels: readonly string[]): LabelledTarget[] {
  if (!Array.isArray(input)) throw new ServiceError('invalid', 'labelled: a list of {target, label}');
  if (input.length > MAX_LABELLED) throw new ServiceError('invalid', `labelled: at most ${MAX_LABELLED} targets`);
  return input.map((item: unknown, i) => {
    const { target, label } = (item ?? {}) as { target?: Partial<Target>; label?: unknown };
    if (typeof label !== 'string' || !labels.includes(label)) throw new ServiceError('invalid', `labelled[${i}].label: one of ${labels.join(', ')}, got ${JSON.stringify(label)}`);
    const messages = target?.messages;
    if (!Array.isArray(messages) || !messages.every((m) => typeof m?.from === 'string' && typeof m?.value === 'string')) {
      throw new ServiceError('invalid', `labelled[${i}].target.messages: a list of {from, value} strings`);
    }
    const id = typeof target?.id === 'string' ? target.id : String(i);
    return { target: { kind: target?.kind ?? 'session', id, agent: typeof target?.agent === 'string' ? target.agent : 'unknown', messages, meta: {} }, label };
  });
}

/**
 * Trains a signal's learned judge: from the labels its LLM judge gave under the current version's prompt (any
 * version with the same prompt and labels), or from given labelled targets. A fifth of the targets (by hash) is held
 * out: the agreement, the calibration and the cascade threshold come from it. With `apply`, the model becomes a
 * new version of the signal (judge `learned` or `learned-then-llm`); without, nothing changes.
 */
export async function learnSignal(ctx: ServiceContext, api: Pick<SignalsApi, 'editSignal'>, ref: string, input: LearnInput): Promise<LearnReport> {
  const signal = await loadSignal(ctx, ref);
  const definition = signal.definition;
  const labels = labelNames(definition);
  let items: LabelledTarget[];
  let source: string;
  if (input.labelled !== undefined) {
    items = checkedLabelled(input.labelled, labels);
    source = typeof input.source === 'string' && input.source.trim() ? input.source.slice(0, 200) : 'given labels';
  } else {
    const same = (await listVersions(ctx.store, signal.row.id))
      .filter((v) => samePrompt(v.definition as SignalDefinition, definition))
      .map((v) => v.version);
    // Reviewers' labels count first: they replace the LLM's on the same target and add the targets it never saw.
    // Only the signal's own agents: a label on another agent's target (a review stored before reviews were checked)
    // would teach this signal's model that agent's messages.
    const own = (l: { agent: string; value: string | null }) => labels.includes(l.value ?? '') && agentMismatch(l.agent, definition) === null;
    const human = (await humanLabels(ctx.store, signal.row.id)).filter(own);
    const reviewed = new Set(human.map((l) => `${l.agent}\0${l.targetId}`));
    const llm = (await judgeLabels(ctx.store, signal.row.id, same, 'llm')).filter((l) => own(l) && !reviewed.has(`${l.agent}\0${l.targetId}`));
    const found = [...human, ...llm];
    const loaded = await loadTargets(ctx, definition.scope, found.map((l) => ({ agent: l.agent, id: l.targetId, at: l.at, revision: Number(l.revision) || 1 })));
    const byKey = new Map(loaded.map((t) => [`${t.target.agent}\0${t.target.id}`, t.target]));
    items = found.flatMap((l) => {
      const target = byKey.get(`${l.agent}\0${l.targetId}`);
      return target ? [{ target, label: l.value }] : [];
    });
    source = `llm labels of ${signal.row.name} (versions ${same.join(', ')} share the prompt)${human.length ? `, ${human.length} replaced or added by reviewers` : ''}`;
  }
  const kinds = new Set(items.map((i) => i.label));
  if (items.length < 10 || kinds.size < 2) {
    throw new ServiceError(
      'invalid',
      `Too few labels to learn from: ${items.length} target(s), ${kinds.size} label(s) (need at least 10 targets and 2 labels)` +
        (input.labelled === undefined ? '; label more traffic with the LLM judge (signals run) or give --from FILE' : ''),
    );
  }
  const started = Date.now();
  const agreement = input.agreement ?? 0.95;
  if (!(agreement > 0 && agreement <= 1)) throw new ServiceError('invalid', `agreement: a share above 0 and at most 1, got ${agreement}`);
  let result;
  try {
    result = learnFromLabels(items, definition, { labels, features: DEFAULT_FEATURES, agreement, source });
  } catch (err) {
    throw new ServiceError('invalid', (err as Error).message);
  }
  const usesLlm = definition.judge === 'llm' || definition.judge === 'rules-then-llm' || definition.judge === 'learned-then-llm';
  const judge = input.judge ?? (usesLlm ? 'learned-then-llm' : 'learned');
  if (judge !== 'learned' && judge !== 'learned-then-llm') throw new ServiceError('invalid', `judge: learned or learned-then-llm, got ${JSON.stringify(judge)}`);
  const report: LearnReport = {
    signal: signal.row.name,
    version: signal.version,
    source,
    examples: result.model.training.examples,
    per_label: result.model.training.per_label,
    features: result.model.weights.index.length,
    heldout: result.heldout,
    cascade: result.cascade,
    judge,
    ms: Date.now() - started,
    applied: null,
  };
  if (input.apply === true) {
    const cascade = result.cascade;
    const learned = {
      model: result.model,
      agreement,
      ...(cascade ? { threshold: cascade.threshold, cascade: { n: cascade.n, llm_share: cascade.llm_share, agreement: cascade.agreement } } : {}),
    };
    const edited = await api.editSignal(signal.row.id, { judge, learned } as Partial<SignalDefinition>);
    report.applied = { version: edited.signal.version };
  }
  return report;
}

function samePrompt(a: SignalDefinition, b: SignalDefinition): boolean {
  return a.prompt === b.prompt && labelNames(a).join('\0') === labelNames(b).join('\0');
}
