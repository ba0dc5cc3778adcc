import { analyze } from '../core/analyze.js';
import type { Target, TargetKind } from '../custom/types.js';
import type { UnitSummary } from '../store/explore.js';

/**
 * The built-in summary of a trace or session that settles at `revision` (quality, score, user turns, the signal
 * types present), from its assembled conversation: what the traffic explorer lists and filters by (stored by
 * `summaryStatements`). Reuses the target's report when the labeller already computed it.
 */
export function summarize(kind: Exclude<TargetKind, 'span'>, unit: { agent: string; id: string; revision: number }, target: Target): UnitSummary {
  // Computed once per target: the judges that run next read it from here.
  const report = (target.report ??= analyze(target.messages));
  const types: Record<string, number> = {};
  for (const layer of [report.interaction_signals, report.execution_signals, report.environment_signals]) {
    for (const group of Object.values(layer)) for (const s of group.signals) types[s.signal_type] = (types[s.signal_type] ?? 0) + 1;
  }
  return {
    kind,
    agent: unit.agent,
    id: unit.id,
    revision: unit.revision,
    turns: report.turn_metrics.total_turns,
    toolCalls: target.messages.filter((m) => m.from === 'function_call').length,
    messages: target.messages.length,
    quality: report.overall_quality,
    score: report.quality_score,
    types,
  };
}
