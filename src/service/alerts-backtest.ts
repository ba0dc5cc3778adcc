/**
 * Backtests through the service: the stored labels an alert would have read over a past window, replayed by the
 * alerts engine (the same `measure` and `stepAlert` as the live scheduler), with times as ISO strings and the
 * server-drawn SVG chart. A long replay runs in slices of the event loop (`runSliced`), and its answer stays small
 * (a year at every 1m was 37 MB of JSON, half a second of the event loop to write): the series is merged into at most
 * `MAX_SERIES_POINTS` points, and the transitions and notifications are listed a part at a time (at most `MAX_LISTED`
 * of each) with exact totals and the cursor of the next part.
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
import { type BacktestWindow, ServiceError } from './api.js';
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
  /** This part's transitions, in time order: those after the cursor asked with, up to `nextCursor` (`transitionsTotal` counts the window's). */
  transitions: TransitionView[];
  transitionsTotal: number;
  /** Transitions into `firing`, and from `firing` back to `ok`, over the whole window. */
  fired: number;
  resolved: number;
  /** This part's notifications, in time order, over the same stretch as `transitions`. */
  notifications: NotificationView[];
  notificationsTotal: number;
  /** True when transitions or notifications after this part were left off (`nextCursor` lists them). */
  truncated: boolean;
  /** The time this part ends (ISO 8601): asked again with it as `cursor` (and the same window), the replay lists what follows; null at the end. */
  nextCursor: string | null;
  /** One point per evaluation (`seriesEvery` 1), or per `seriesEvery` consecutive evaluations with their min and max. */
  series: (Omit<SeriesPoint, 'at'> & Partial<Pick<SeriesBucket, 'evaluations' | 'min' | 'max'>> & { at: string })[];
  seriesEvery: number;
  /** The state after the last evaluation. */
  state: SeriesPoint['state'];
  /** The metric series, threshold and states as an SVG document. */
  chart: string;
}

/** Most transitions, and most notifications, an answer lists (and lists unless asked for fewer). */
export const MAX_LISTED = 1000;
/** Most points of the series in an answer (the chart is drawn from every evaluation). */
export const MAX_SERIES_POINTS = 1000;

/** A transition with an ISO time. */
export const transitionView = (t: AlertTransition): TransitionView => ({ ...t, at: iso(t.at) });

/**
 * The part of a replay's transitions and notifications after `after` that an answer lists: up to the time of the
 * `limit`-th entry of a list that has more (the earlier of the two lists' such times), so both lists cover one
 * stretch of time and the next part starts where this one ends. Entries of one evaluation share a time and stay in one
 * part: the end moves back before them, unless they alone are more than `limit`.
 */
export function listedPart<T extends { at: number }, N extends { at: number }>(
  transitions: readonly T[],
  notifications: readonly N[],
  after: number,
  limit: number,
): { transitions: T[]; notifications: N[]; next: number | null } {
  const t = transitions.filter((x) => x.at > after);
  const n = notifications.filter((x) => x.at > after);
  let end = Infinity;
  for (const list of [t, n] as { at: number }[][]) {
    if (list.length <= limit) continue;
    const cut = list[limit].at;
    let last = limit - 1;
    while (last >= 0 && list[last].at === cut) last--;
    end = Math.min(end, last < 0 ? cut : list[last].at);
  }
  if (end === Infinity) return { transitions: t, notifications: n, next: null };
  return { transitions: t.filter((x) => x.at <= end), notifications: n.filter((x) => x.at <= end), next: end };
}

/**
 * Replays `rule` (on the signal `signalId`) over `window` (ISO times or durations ago, as `parseTime` reads them) and
 * lists the part of its transitions and notifications after `window.cursor`.
 */
export async function backtestRule(ctx: ServiceContext, rule: ResolvedAlertRule, signalId: string, window: BacktestWindow): Promise<BacktestView> {
  const now = ctx.now();
  const since = parseTime(str(window.since, 'since'), 'since', now);
  const until = parseTime(str(window.until, 'until'), 'until', now);
  if (!(since < until)) throw new ServiceError('invalid', `since (${iso(since)}) must be before until (${iso(until)})`);
  const after = window.cursor === undefined ? -Infinity : parseTime(window.cursor, 'cursor', now);
  const limit = window.limit ?? MAX_LISTED;
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= MAX_LISTED)) throw new ServiceError('invalid', `limit: a whole number from 1 to ${MAX_LISTED}, got ${JSON.stringify(limit)}`);
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
  const part = listedPart(result.transitions, result.notifications, after, limit);
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
    transitions: part.transitions.map(transitionView),
    transitionsTotal: result.transitions.length,
    fired,
    resolved,
    notifications: part.notifications.map((n) => ({ ...n, at: iso(n.at), activeSince: n.activeSince === null ? null : iso(n.activeSince) })),
    notificationsTotal: result.notifications.length,
    truncated: part.next !== null,
    nextCursor: part.next === null ? null : iso(part.next),
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
