/**
 * The alert metric over a window of labels. Labels are indexed once (sorted times and prefix counts), so each
 * evaluation costs two binary searches whatever the window size: the live check and the backtest read the
 * same index through the same `measure`.
 */
import type { ResolvedAlertRule } from './rule.js';

/** One stored label as the alerts read it. Only `labelled` rows count; `undecided` / `error` are not labels. */
export interface AlertLabel {
  /** The label's time on the alert's axis, ms since the epoch: the target's traffic time (`LabelRow.at`). */
  labelledAt: number;
  value: string | null;
  status: 'labelled' | 'undecided' | 'error';
}

/** Labels sorted by time with a prefix count of the rule's value (`yes` for `true_rate`). */
export interface LabelIndex {
  times: Float64Array;
  /** `matches[i]` = matching labels among the first i. */
  matches: Uint32Array;
}

/** The label value a rule counts. */
function counted(rule: ResolvedAlertRule): string | null {
  if (rule.metric === 'true_rate') return 'yes';
  return rule.value ?? null;
}

/** Builds the index of `labels` for `rule` (O(n log n); labels in any order). */
export function indexLabels(rule: ResolvedAlertRule, labels: readonly AlertLabel[]): LabelIndex {
  const value = counted(rule);
  const kept = labels.filter((l) => l.status === 'labelled').sort((a, b) => a.labelledAt - b.labelledAt);
  const times = new Float64Array(kept.length);
  const matches = new Uint32Array(kept.length + 1);
  kept.forEach((l, i) => {
    times[i] = l.labelledAt;
    matches[i + 1] = matches[i] + (value !== null && l.value === value ? 1 : 0);
  });
  return { times, matches };
}

/** Number of indexed labels with time <= t. */
function upTo(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The window `(start, end]`: labelled count, matches, and the metric (`null` = no data). */
export interface WindowMeasure {
  start: number;
  end: number;
  labels: number;
  matches: number;
  value: number | null;
}

function windowMeasure(rule: ResolvedAlertRule, index: LabelIndex, start: number, end: number): WindowMeasure {
  const a = upTo(index.times, start);
  const b = upTo(index.times, end);
  const labels = b - a;
  const matches = index.matches[b] - index.matches[a];
  let value: number | null;
  // Below min_labels is no data, never 0; a share of nothing is no data whatever min_labels says.
  if (labels < rule.minLabels) value = null;
  else if (rule.metric === 'volume') value = labels;
  else if (rule.metric === 'value_count') value = matches;
  else value = labels === 0 ? null : matches / labels;
  return { start, end, labels, matches, value };
}

/** What one evaluation measured. For `change`, `value` is the percent change against the prior window. */
export interface Measurement {
  /** The evaluation time. */
  at: number;
  current: WindowMeasure;
  /** The prior window of equal length (only for `change`). */
  prior: WindowMeasure | null;
  /** The value compared with the threshold; `null` = no data. */
  value: number | null;
}

/**
 * Measures at evaluation time `now`: the window ends `evaluation_delay` before `now` (late labels have
 * arrived by then). For `change`, a prior window without data or with a 0 metric gives no data.
 */
export function measure(rule: ResolvedAlertRule, index: LabelIndex, now: number): Measurement {
  const end = now - rule.evaluationDelayMs;
  const current = windowMeasure(rule, index, end - rule.windowMs, end);
  if (rule.comparison !== 'change') return { at: now, current, prior: null, value: current.value };
  const prior = windowMeasure(rule, index, end - 2 * rule.windowMs, end - rule.windowMs);
  const value =
    current.value === null || prior.value === null || prior.value === 0 ? null : ((current.value - prior.value) / prior.value) * 100;
  return { at: now, current, prior, value };
}

/** Whether a measured value meets the rule's condition (strict comparisons, as in PromQL `>` / `<`). */
export function conditionHolds(rule: ResolvedAlertRule, value: number): boolean {
  if (rule.comparison === 'above') return value > rule.threshold;
  if (rule.comparison === 'below') return value < rule.threshold;
  return rule.threshold >= 0 ? value > rule.threshold : value < rule.threshold;
}
