/**
 * Backtests through the service: the stored labels an alert would have read over a past window, replayed by the
 * alerts engine (the same `measure` and `stepAlert` as the live scheduler), with times as ISO strings and the
 * server-drawn SVG chart. A long replay runs in slices of the event loop (`runSliced`).
 */
import {
  type AlertNotification,
  type AlertTransition,
  backtestChartSteps,
  backtestSteps,
  formatDuration,
  labelsNeeded,
  type ResolvedAlertRule,
  type SeriesPoint,
} from '../alerts/index.js';
import { ServiceError } from './api.js';
import type { ServiceContext } from './context.js';
import { loadAlertLabels } from './alerts-rules.js';
import { runSliced, slicer } from './slices.js';
import { iso, parseTime } from './time.js';

/** A transition as the API returns it. */
export type TransitionView = Omit<AlertTransition, 'at'> & { at: string };
/** A notification as the API returns it. */
export type NotificationView = Omit<AlertNotification, 'at' | 'activeSince'> & { at: string; activeSince: string | null };

/** What `backtestAlert` answers. */
export interface BacktestView {
  alert: string;
  signal: string;
  since: string;
  until: string;
  every: string;
  evaluations: number;
  transitions: TransitionView[];
  notifications: NotificationView[];
  series: (Omit<SeriesPoint, 'at'> & { at: string })[];
  /** The state after the last evaluation. */
  state: SeriesPoint['state'];
  /** The metric series, threshold and states as an SVG document. */
  chart: string;
}

/** A transition with an ISO time. */
export const transitionView = (t: AlertTransition): TransitionView => ({ ...t, at: iso(t.at) });

/** Replays `rule` (on the signal `signalId`) over `window` (ISO times or durations ago, as `parseTime` reads them). */
export async function backtestRule(
  ctx: ServiceContext,
  rule: ResolvedAlertRule,
  signalId: string,
  window: { since: string; until: string },
): Promise<BacktestView> {
  const now = ctx.now();
  const since = parseTime(str(window.since, 'since'), 'since', now);
  const until = parseTime(str(window.until, 'until'), 'until', now);
  if (!(since < until)) throw new ServiceError('invalid', `since (${iso(since)}) must be before until (${iso(until)})`);
  const labels = await loadAlertLabels(ctx.store, signalId, labelsNeeded(rule, since).since, labelsNeeded(rule, until).until);
  // Up to 600,000 evaluations (seconds of CPU): run in slices so the server answers other requests meanwhile.
  let result;
  try {
    result = await runSliced(backtestSteps(rule, labels, since, until));
  } catch (err) {
    if (err instanceof RangeError) throw new ServiceError('invalid', err.message);
    throw err;
  }
  const slice = slicer();
  const series: BacktestView['series'] = [];
  for (const p of result.series) {
    await slice.tick();
    series.push({ ...p, at: iso(p.at) });
  }
  const chart = await runSliced(backtestChartSteps(result, rule, { title: `${rule.name} on ${rule.signal}` }));
  return {
    alert: rule.name,
    signal: rule.signal,
    since: iso(since),
    until: iso(until),
    every: formatDuration(rule.everyMs),
    evaluations: result.evaluations,
    transitions: result.transitions.map(transitionView),
    notifications: result.notifications.map((n) => ({ ...n, at: iso(n.at), activeSince: n.activeSince === null ? null : iso(n.activeSince) })),
    series,
    state: result.state.state,
    chart,
  };
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new ServiceError('invalid', `${field} is required (an ISO time or a duration ago such as 24h)`);
  return value;
}
