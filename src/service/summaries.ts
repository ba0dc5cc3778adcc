import { analyze } from '../core/analyze.js';
import type { Target, TargetKind } from '../custom/types.js';
import { summaryStatements } from '../store/explore.js';
import type { Store, StoreStatement } from '../store/types.js';

/**
 * Statements storing the built-in summary of a trace or session that settles at `revision` (quality, score, user
 * turns, the signal types present), from its assembled conversation: what the traffic explorer
 * lists and filters by. Reuses the target's report when the labeller already computed it.
 */
export function summarize(store: Store, kind: Exclude<TargetKind, 'span'>, unit: { agent: string; id: string; revision: number }, target: Target): StoreStatement[] {
  // Computed once per target: the judges that run next read it from here.
  const report = (target.report ??= analyze(target.messages));
  const types: Record<string, number> = {};
  for (const layer of [report.interaction_signals, report.execution_signals, report.environment_signals]) {
    for (const group of Object.values(layer)) for (const s of group.signals) types[s.signal_type] = (types[s.signal_type] ?? 0) + 1;
  }
  return summaryStatements(store, {
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
  });
}
