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

/** Consecutive evaluations of a long series merged into one point (see `downsampleSteps`). */
export interface SeriesBucket extends SeriesPoint {
  /** How many evaluations were merged; `at` is the first one's time, `value` and `labels` the last one's. */
  evaluations: number;
  /** The lowest and highest value with data among them (`null`: none had data). */
  min: number | null;
  max: number | null;
}

const STATE_RANK: Record<SeriesPoint['state'], number> = { ok: 0, paused: 0, pending: 1, firing: 2 };
/** Points merged between two pauses of `downsampleSteps`. */
const POINTS_PER_PAUSE = 20_000;

/**
 * A series of at most `maxPoints` points: itself when it fits (`every` 1), else buckets of `every` consecutive
 * evaluations, each with the range of their values and the worst state held among them (`firing` over `pending`
 * over `ok`, so a short episode stays visible). For the chart and for answers that must stay small; the
 * transitions and notifications are never merged. Pauses (yields) every few thousand points.
 */
export function* downsampleSteps(series: readonly SeriesPoint[], maxPoints: number): Generator<void, { every: number; points: Array<SeriesPoint | SeriesBucket> }, void> {
  const limit = Math.max(1, Math.floor(maxPoints));
  if (series.length <= limit) return { every: 1, points: series.slice() };
  const every = Math.ceil(series.length / limit);
  const points: SeriesBucket[] = [];
  for (let i = 0; i < series.length; i += every) {
    if (i > 0 && i % POINTS_PER_PAUSE < every) yield;
    const end = Math.min(series.length, i + every);
    let min: number | null = null;
    let max: number | null = null;
    let state = series[i].state;
    for (let k = i; k < end; k++) {
      const p = series[k];
      if (p.value !== null) {
        if (min === null || p.value < min) min = p.value;
        if (max === null || p.value > max) max = p.value;
      }
      if (STATE_RANK[p.state] > STATE_RANK[state]) state = p.state;
    }
    const last = series[end - 1];
    points.push({ at: series[i].at, value: last.value, labels: last.labels, state, evaluations: end - i, min, max });
  }
  return { every, points };
}

/** Runs a stepped computation (`backtestSteps`, `backtestChartSteps`) to its end at once. */
export function drain<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}
