/**
 * Backtests through the service: the stored labels an alert would have read over a past window, replayed by the
 * alerts engine (the same `measure` and `stepAlert` as the live scheduler), with times as ISO strings and the
 * server-drawn SVG chart. A long replay runs in slices of the event loop (`runSliced`), and its answer stays small
 * (a year at every 1m was 37 MB of JSON, half a second of the event loop to write): the series is merged into at most
 * `MAX_SERIES_POINTS` points, the transitions and notifications listed are the first `MAX_LISTED` with exact totals.
 */
import {
  type AlertNotification,
  type AlertTransition,
  backtestChartSteps,
  backtestSteps,
  downsampleSteps,
  formatDuration,
  labelsNeeded,
  type ResolvedAlertRule,
  type SeriesBucket,
  type SeriesPoint,
} from '../alerts/index.js';
import { ServiceError } from './api.js';
import type { ServiceContext } from './context.js';
import { loadAlertLabels } from './alerts-rules.js';
import { runSliced } from './slices.js';
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
  /** The first `MAX_LISTED` transitions, in time order (`transitionsTotal` counts them all). */
  transitions: TransitionView[];
  transitionsTotal: number;
  /** Transitions into `firing`, and from `firing` back to `ok`, over the whole window. */
  fired: number;
  resolved: number;
  /** The first `MAX_LISTED` notifications, in time order (`notificationsTotal` counts them all). */
  notifications: NotificationView[];
  notificationsTotal: number;
  /** True when a list above holds fewer entries than its total. */
  truncated: boolean;
  /** One point per evaluation (`seriesEvery` 1), or per `seriesEvery` consecutive evaluations with their min and max. */
  series: (Omit<SeriesPoint, 'at'> & Partial<Pick<SeriesBucket, 'evaluations' | 'min' | 'max'>> & { at: string })[];
  seriesEvery: number;
  /** The state after the last evaluation. */
  state: SeriesPoint['state'];
  /** The metric series, threshold and states as an SVG document. */
  chart: string;
}

/** Most transitions, and most notifications, an answer lists. */
export const MAX_LISTED = 1000;
/** Most points of the series in an answer (the chart is drawn from every evaluation). */
export const MAX_SERIES_POINTS = 1000;

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
  const merged = await runSliced(downsampleSteps(result.series, MAX_SERIES_POINTS));
  const chart = await runSliced(backtestChartSteps(result, rule, { title: `${rule.name} on ${rule.signal}` }));
  let fired = 0;
  let resolved = 0;
  for (const t of result.transitions) {
    if (t.to === 'firing') fired++;
    else if (t.from === 'firing' && t.to === 'ok') resolved++;
  }
  return {
    alert: rule.name,
    signal: rule.signal,
    since: iso(since),
    until: iso(until),
    every: formatDuration(rule.everyMs),
    evaluations: result.evaluations,
    transitions: result.transitions.slice(0, MAX_LISTED).map(transitionView),
    transitionsTotal: result.transitions.length,
    fired,
    resolved,
    notifications: result.notifications.slice(0, MAX_LISTED).map((n) => ({ ...n, at: iso(n.at), activeSince: n.activeSince === null ? null : iso(n.activeSince) })),
    notificationsTotal: result.notifications.length,
    truncated: result.transitions.length > MAX_LISTED || result.notifications.length > MAX_LISTED,
    series: merged.points.map((p) => ({ ...p, at: iso(p.at) })),
    seriesEvery: merged.every,
    state: result.state.state,
    chart,
  };
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new ServiceError('invalid', `${field} is required (an ISO time or a duration ago such as 24h)`);
  return value;
}
