import { formatDecimal } from './format.js';
import type { Settings } from './options.js';
import type { Category, QualityBucket, Signal, SignalGroup, SignalReport, TurnMetrics } from './types.js';

/** Severity of a group by its count: 0, 1–2, 3–4, 5+ → 0..3 (spec §12.2). */
export function severityOf(count: number): number {
  return count === 0 ? 0 : count <= 2 ? 1 : count <= 4 ? 2 : 3;
}

/** A group from its signals. */
export function groupOf(category: Category, signals: Signal[]): SignalGroup {
  return { category, count: signals.length, severity: severityOf(signals.length), signals };
}

/** The seven groups of a report, in report order. */
export interface Groups {
  misalignment: SignalGroup;
  stagnation: SignalGroup;
  disengagement: SignalGroup;
  satisfaction: SignalGroup;
  failure: SignalGroup;
  loops: SignalGroup;
  exhaustion: SignalGroup;
}

function misalignmentRatio(groups: Groups, metrics: TurnMetrics): number {
  return Math.fround(groups.misalignment.count / Math.max(metrics.user_turns, 1));
}

/** Quality score 0–100 (spec §12.3); severe disengagement or stagnation short-circuits to 0. */
export function qualityScore(groups: Groups, metrics: TurnMetrics, settings: Settings): number {
  const d = groups.disengagement;
  const givesUp = d.signals.some(
    (s) => s.signal_type === 'interaction.disengagement.escalation' || s.signal_type === 'interaction.disengagement.quit',
  );
  if (givesUp || d.severity >= 3 || groups.stagnation.severity >= 3) return 0;
  let score = 50;
  const satisfied = groups.satisfaction.count;
  // 20 × 0.6 / 0.8 / 0.95 in f32, which are exactly 12 / 16 / 19.
  if (satisfied > 0) score += satisfied === 1 ? 12 : satisfied === 2 ? 16 : 19;
  if (d.count > 0) score -= 10 * d.severity;
  if (groups.misalignment.severity > 0 && misalignmentRatio(groups, metrics) > settings.misalignmentRatioThreshold) score -= 15;
  if (groups.stagnation.count > 2) score -= 8 * groups.stagnation.severity;
  score -= 8 * groups.failure.count + 5 * groups.loops.count + 3 * groups.exhaustion.count;
  return Math.min(100, Math.max(0, score));
}

/** Bucket of a score (spec §12.3). */
export function bucketOf(score: number): QualityBucket {
  return score >= 75 ? 'excellent' : score >= 60 ? 'good' : score >= 40 ? 'neutral' : score >= 25 ? 'poor' : 'severe';
}

function describe(group: SignalGroup): string {
  return group.count === 0 ? `${group.category}: 0` : `${group.category}: ${group.count} (sev ${group.severity})`;
}

/** The one-line summary (spec §12.5). */
export function summarize(groups: Groups, quality: QualityBucket, metrics: TurnMetrics, settings: Settings): string {
  const g = groups;
  const parts = [
    `Overall Quality: ${quality}`,
    `Turns: ${metrics.total_turns} (efficiency: ${formatDecimal(Math.fround(metrics.efficiency_score * 100), 1)}%)`,
    `Interaction — ${describe(g.misalignment)}, ${describe(g.stagnation)}, ${describe(g.disengagement)}, ${describe(g.satisfaction)}`,
    `Execution — ${describe(g.failure)}, ${describe(g.loops)}`,
    `Environment — ${describe(g.exhaustion)}`,
  ];
  const ratio = misalignmentRatio(groups, metrics);
  if (g.misalignment.count > 0 && ratio > settings.misalignmentRatioThreshold) {
    parts.push(`High misalignment rate: ${formatDecimal(Math.fround(ratio * 100), 1)}% of user turns`);
  }
  if (g.stagnation.count > 2) parts.push(`Looping detected: ${g.stagnation.count} repetitions`);
  const escalations = g.disengagement.signals.filter((s) => s.signal_type === 'interaction.disengagement.escalation').length;
  if (escalations > 0) parts.push(`Escalation requested: ${escalations}`);
  return parts.join(' | ');
}

/** Assembles the report from the groups. */
export function buildReport(groups: Groups, metrics: TurnMetrics, settings: Settings): SignalReport {
  const score = qualityScore(groups, metrics, settings);
  const quality = bucketOf(score);
  return {
    interaction_signals: {
      misalignment: groups.misalignment,
      stagnation: groups.stagnation,
      disengagement: groups.disengagement,
      satisfaction: groups.satisfaction,
    },
    execution_signals: { failure: groups.failure, loops: groups.loops },
    environment_signals: { exhaustion: groups.exhaustion },
    overall_quality: quality,
    summary: summarize(groups, quality, metrics, settings),
    quality_score: score,
    turn_metrics: metrics,
  };
}
