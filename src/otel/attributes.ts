/**
 * Report → OpenTelemetry data (spec §14), as plain values. No `@opentelemetry/*` import on purpose: the edge
 * HTTP service uses this module to enrich OTLP/JSON directly, without an SDK.
 */
import { serializeMetadata } from '../core/index.js';
import type { Layer, SignalGroup, SignalReport } from '../core/types.js';

/** OTLP value type of an attribute (`AnyValue` field `stringValue` / `intValue` / `doubleValue` / `boolValue`). */
export type OtelAttributeType = 'string' | 'int' | 'double' | 'bool';

/** One typed attribute. `type` carries what a plain JS number cannot: `62` meant as the double `62.0`. */
export interface SignalAttribute {
  key: string;
  value: string | number | boolean;
  type: OtelAttributeType;
}

/** One span event: its name and its attributes in emission order. */
export interface SignalEvent {
  name: string;
  attributes: SignalAttribute[];
}

/**
 * Keys whose spec type is double, integral values included (`signals.quality_score` 62.0,
 * `signals.efficiency_score` 1.0, `signal.confidence` 1.0, `gen_ai.evaluation.score.value` 2.0).
 * Every other numeric key of this module is an int64.
 */
export const DOUBLE_KEYS: ReadonlySet<string> = new Set([
  'signals.quality_score',
  'signals.efficiency_score',
  'signal.confidence',
  'gen_ai.evaluation.score.value',
]);

/** Name of the GenAI semantic-convention evaluation event. */
export const EVALUATION_EVENT_NAME = 'gen_ai.evaluation.result';

/** Appended to the span name of a concerning conversation (§14.4): a space and U+1F6A9. */
export const FLAG_MARKER = ' \u{1F6A9}';

/** Labels of `gen_ai.evaluation.score.label` for severity 1, 2, 3 (a category with signals is never 0). */
const SEVERITY_LABELS = ['low', 'medium', 'high'] as const;

function str(key: string, value: string): SignalAttribute {
  return { key, value, type: 'string' };
}

function num(key: string, value: number): SignalAttribute {
  return { key, value, type: DOUBLE_KEYS.has(key) ? 'double' : 'int' };
}

/** The seven groups with their layer, in the spec's emission order. */
function groupsInOrder(report: SignalReport): Array<{ layer: Layer; group: SignalGroup }> {
  const { interaction_signals: i, execution_signals: x, environment_signals: e } = report;
  return [
    { layer: 'interaction', group: i.misalignment },
    { layer: 'interaction', group: i.stagnation },
    { layer: 'interaction', group: i.disengagement },
    { layer: 'interaction', group: i.satisfaction },
    { layer: 'execution', group: x.failure },
    { layer: 'execution', group: x.loops },
    { layer: 'environment', group: e.exhaustion },
  ];
}

/**
 * Span attributes of §14.2 in emission order: quality, quality_score (double), turn_count (int),
 * efficiency_score (double), then `signals.<layer>.<category>.count` / `.severity` for categories with signals.
 */
export function signalSpanAttributes(report: SignalReport): SignalAttribute[] {
  const attributes = [
    str('signals.quality', report.overall_quality),
    num('signals.quality_score', report.quality_score),
    num('signals.turn_count', report.turn_metrics.total_turns),
    num('signals.efficiency_score', report.turn_metrics.efficiency_score),
  ];
  for (const { layer, group } of groupsInOrder(report)) {
    if (group.count === 0) continue;
    attributes.push(num(`signals.${layer}.${group.category}.count`, group.count));
    attributes.push(num(`signals.${layer}.${group.category}.severity`, group.severity));
  }
  return attributes;
}

/** One `signal.<signal_type>` event per signal (§14.3); `signal.snippet` is left out when empty. */
export function signalSpanEvents(report: SignalReport): SignalEvent[] {
  return groupsInOrder(report).flatMap(({ group }) =>
    group.signals.map((signal) => {
      const attributes = [
        str('signal.type', signal.signal_type),
        num('signal.message_index', signal.message_index),
        num('signal.confidence', signal.confidence),
      ];
      if (signal.snippet !== '') attributes.push(str('signal.snippet', signal.snippet));
      attributes.push(str('signal.metadata', serializeMetadata(signal.metadata)));
      return { name: `signal.${signal.signal_type}`, attributes };
    }),
  );
}

/** `"2 signals: negative_stance=1, escalation=1"`: leaf types in order of first appearance. */
function explain(group: SignalGroup): string {
  const counts = new Map<string, number>();
  for (const signal of group.signals) {
    const leaf = signal.signal_type.slice(signal.signal_type.lastIndexOf('.') + 1);
    counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
  }
  const parts = [...counts].map(([leaf, n]) => `${leaf}=${n}`);
  return `${group.count} signal${group.count === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/**
 * One GenAI semantic-convention `gen_ai.evaluation.result` event per category that has signals, so GenAI-aware
 * backends can show the analysis as evaluations:
 * - `gen_ai.evaluation.name`: `agent_signals.<layer>.<category>`, e.g. `agent_signals.execution.failure`;
 * - `gen_ai.evaluation.score.value` (double): the category severity of §12.2, `1.0`–`3.0` (1–2 signals → 1,
 *   3–4 → 2, ≥ 5 → 3). Higher means more of that behaviour; it is bad for every category except
 *   `satisfaction`, where it is good;
 * - `gen_ai.evaluation.score.label`: the severity as a word, one of `low` / `medium` / `high`;
 * - `gen_ai.evaluation.explanation`: the count per signal type, e.g. `2 signals: negative_stance=1, escalation=1`.
 * Categories without signals get no event (no zero noise, as for the span attributes).
 */
export function evaluationEvents(report: SignalReport): SignalEvent[] {
  return groupsInOrder(report)
    .filter(({ group }) => group.count > 0)
    .map(({ layer, group }) => ({
      name: EVALUATION_EVENT_NAME,
      attributes: [
        str('gen_ai.evaluation.name', `agent_signals.${layer}.${group.category}`),
        num('gen_ai.evaluation.score.value', group.severity),
        str('gen_ai.evaluation.score.label', SEVERITY_LABELS[group.severity - 1]),
        str('gen_ai.evaluation.explanation', explain(group)),
      ],
    }));
}

/**
 * §14.4: poor or severe quality, any disengagement, more than two stagnation signals, or any failure or loop.
 * Misalignment and exhaustion alone do not flag.
 */
export function isConcerning(report: SignalReport): boolean {
  const { overall_quality: quality, interaction_signals: i, execution_signals: x } = report;
  return (
    quality === 'poor' ||
    quality === 'severe' ||
    i.disengagement.count > 0 ||
    i.stagnation.count > 2 ||
    x.failure.count > 0 ||
    x.loops.count > 0
  );
}

/** The span name to use after analysis: `name` + {@link FLAG_MARKER} when the report is concerning, else `name`. */
export function flaggedName(name: string, report: SignalReport): string {
  return isConcerning(report) ? name + FLAG_MARKER : name;
}
