/**
 * The live check: one evaluation of a rule at `now` over the labels the caller loaded (at least the window,
 * plus the prior window for `change`, both ending `evaluation_delay` before `now`).
 */
import { type AlertLabel, indexLabels, type Measurement, measure } from './metric.js';
import type { ResolvedAlertRule } from './rule.js';
import { type AlertState, type StepResult, stepAlert } from './state.js';

/** A step plus what it measured. */
export interface Evaluation extends StepResult {
  measurement: Measurement;
}

/** Evaluates `rule` at `now` from `state`; pure: the caller stores the new state and delivers the notifications. */
export function evaluateAlert(
  rule: ResolvedAlertRule,
  state: AlertState,
  labels: readonly AlertLabel[],
  now: number,
  options: { paused?: boolean } = {},
): Evaluation {
  const measurement = measure(rule, indexLabels(rule, labels), now);
  return { ...stepAlert(rule, state, measurement, options.paused ?? false), measurement };
}

/** The label time range an evaluation at `now` reads: `(since, until]`. */
export function labelsNeeded(rule: ResolvedAlertRule, now: number): { since: number; until: number } {
  const until = now - rule.evaluationDelayMs;
  return { since: until - (rule.comparison === 'change' ? 2 : 1) * rule.windowMs, until };
}
