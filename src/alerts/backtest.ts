/**
 * Backtest: replays the rule's state machine over stored labels at its evaluation interval, from a fresh `ok`
 * state, and returns what it would have done. It runs the same `measure` and `stepAlert` as the live check.
 */
import { type AlertLabel, indexLabels, measure } from './metric.js';
import type { ResolvedAlertRule } from './rule.js';
import { type AlertNotification, type AlertState, type AlertTransition, initialAlertState, stepAlert } from './state.js';

/** One evaluation of the replay. */
export interface SeriesPoint {
  at: number;
  /** The compared value (`null` = no data). */
  value: number | null;
  labels: number;
  state: AlertState['state'];
}

/** Everything the alert would have done between `since` and `until`. */
export interface BacktestResult {
  since: number;
  until: number;
  everyMs: number;
  evaluations: number;
  transitions: AlertTransition[];
  notifications: AlertNotification[];
  series: SeriesPoint[];
  /** The state after the last evaluation. */
  state: AlertState;
}

/** Longest replay, in evaluations (48 h windows at 10 s would be 17 280; a year at 1 m is 525 600). */
export const MAX_EVALUATIONS = 600_000;

/**
 * Evaluation times in `[since, until]`: multiples of `every` since the epoch, so a backtest and the live
 * scheduler (which ticks on the same multiples) evaluate at the same instants.
 */
export function evaluationTimes(everyMs: number, since: number, until: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(since / everyMs) * everyMs; t <= until; t += everyMs) out.push(t);
  return out;
}

/** Evaluations between two pauses of `backtestSteps` (a few milliseconds of work). */
const EVALUATIONS_PER_STEP = 500;

/** Replays `rule` over `labels` (any order; only `labelled` rows count) at each evaluation time. */
export function backtest(rule: ResolvedAlertRule, labels: readonly AlertLabel[], since: number, until: number): BacktestResult {
  return drain(backtestSteps(rule, labels, since, until));
}

/**
 * `backtest` in steps: the generator pauses (yields) every few hundred evaluations and returns the result, so a
 * caller on an event loop can let other work run between steps (the service does: a year at 1m is 525,600
 * evaluations, seconds of CPU). Throws the same `RangeError`s as `backtest` on its first step.
 */
export function* backtestSteps(rule: ResolvedAlertRule, labels: readonly AlertLabel[], since: number, until: number): Generator<void, BacktestResult, void> {
  if (!(until >= since)) throw new RangeError(`backtest: until (${until}) is before since (${since})`);
  const count = Math.floor(until / rule.everyMs) - Math.ceil(since / rule.everyMs) + 1;
  if (count > MAX_EVALUATIONS) {
    throw new RangeError(`backtest: ${count} evaluations at every ${rule.everyMs} ms; at most ${MAX_EVALUATIONS} (shorten the range)`);
  }
  const index = indexLabels(rule, labels);
  let state = initialAlertState();
  const transitions: AlertTransition[] = [];
  const notifications: AlertNotification[] = [];
  const series: SeriesPoint[] = [];
  const times = evaluationTimes(rule.everyMs, since, until);
  for (const [i, at] of times.entries()) {
    if (i > 0 && i % EVALUATIONS_PER_STEP === 0) yield;
    const m = measure(rule, index, at);
    const step = stepAlert(rule, state, m);
    state = step.state;
    transitions.push(...step.transitions);
    notifications.push(...step.notifications);
    series.push({ at, value: m.value, labels: m.current.labels, state: state.state });
  }
  return { since, until, everyMs: rule.everyMs, evaluations: times.length, transitions, notifications, series, state };
}

/** Runs a stepped computation (`backtestSteps`, `backtestChartSteps`) to its end at once. */
export function drain<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}
