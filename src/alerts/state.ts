/**
 * The alert state machine (Prometheus / Grafana semantics): `ok` → `pending` when the condition first holds,
 * `pending` → `firing` once it has held at every evaluation for `for`, back to `ok` as soon as it does not;
 * a firing alert notifies when it starts, again each `cooldown` while it lasts, and always when it resolves.
 * No data follows the rule's policy. One step per evaluation, shared by the live evaluator and the backtest.
 */
import { conditionHolds, type Measurement } from './metric.js';
import type { ResolvedAlertRule } from './rule.js';

/** The four states. `paused` is set by the user; a paused alert neither evaluates nor notifies. */
export type AlertStateName = 'ok' | 'pending' | 'firing' | 'paused';

/**
 * The stored state of one alert (plain JSON: times are ms since the epoch, `null` when not applicable).
 */
export interface AlertState {
  state: AlertStateName;
  /** When the current state was entered. */
  since: number | null;
  /** When the condition started holding without a break (pending or firing), else `null`. */
  activeSince: number | null;
  /** When the last firing notification (first or repeat) was sent, for the cooldown. */
  lastNotifiedAt: number | null;
  /** The last evaluation's time and value (`null` value = no data). */
  lastEvaluatedAt: number | null;
  lastValue: number | null;
}

/** A state change, with the value that caused it. */
export interface AlertTransition {
  at: number;
  from: AlertStateName;
  to: AlertStateName;
  /** The compared value (`null` = no data). */
  value: number | null;
  /** Why, in words: `true_rate 0.42 above 0.3`, `no data (3 labels, min_labels 10)`. */
  reason: string;
}

/** A message the alert sends to its channels. */
export interface AlertNotification {
  kind: 'firing' | 'resolved';
  /** A firing alert reminding after its cooldown. */
  repeat: boolean;
  alert: string;
  signal: string;
  metric: ResolvedAlertRule['metric'];
  /** The label value of `value_count` / `value_share`. */
  labelValue: string | null;
  comparison: ResolvedAlertRule['comparison'];
  threshold: number;
  window: string;
  /** The compared value (`null` = no data). */
  value: number | null;
  /** Labelled targets in the window. */
  labels: number;
  at: number;
  /** When the condition started holding (for `resolved`: of the episode that ended). */
  activeSince: number | null;
}

/** The state of an alert never evaluated. */
export function initialAlertState(): AlertState {
  return { state: 'ok', since: null, activeSince: null, lastNotifiedAt: null, lastEvaluatedAt: null, lastValue: null };
}

/** The result of one step. */
export interface StepResult {
  state: AlertState;
  transitions: AlertTransition[];
  notifications: AlertNotification[];
}

const show = (v: number): string => String(Number.isInteger(v) ? v : Number(v.toPrecision(4)));

function describe(rule: ResolvedAlertRule, m: Measurement, holds: boolean): string {
  if (m.value === null) {
    const why =
      m.current.labels < rule.minLabels
        ? `${m.current.labels} labels, min_labels ${rule.minLabels}`
        : m.prior && m.prior.value === null
          ? `prior window: ${m.prior.labels} labels, min_labels ${rule.minLabels}`
          : m.prior && m.prior.value === 0
            ? 'prior window value 0'
            : `${m.current.labels} labels`;
    return `no data (${why}), no_data: ${rule.no_data}`;
  }
  const metric = rule.metric + (rule.value ? `{${rule.value}}` : '');
  if (rule.comparison === 'change') {
    const sign = m.value >= 0 ? '+' : '';
    return `${metric} changed ${sign}${show(m.value)}% (threshold ${rule.threshold >= 0 ? '+' : ''}${rule.threshold}%)${holds ? '' : ', within'}`;
  }
  // A share reads as a percent (33.3% above 10%), a count as it is.
  const share = rule.metric === 'true_rate' || rule.metric === 'value_share';
  const amount = (v: number) => (share ? `${show(Math.round(v * 1000) / 10)}%` : show(v));
  return `${metric} ${amount(m.value)} ${holds ? rule.comparison : `not ${rule.comparison}`} ${amount(rule.threshold)}`;
}

/**
 * One evaluation. `paused` comes from the alert's stored switch: pausing records a transition to `paused` and
 * silences the alert (a firing alert is not resolved by pausing); resuming evaluates from `ok` again.
 */
export function stepAlert(rule: ResolvedAlertRule, previous: AlertState, m: Measurement, paused = false): StepResult {
  const now = m.at;
  const transitions: AlertTransition[] = [];
  const notifications: AlertNotification[] = [];
  if (paused) {
    if (previous.state === 'paused') return { state: { ...previous, lastEvaluatedAt: now }, transitions, notifications };
    transitions.push({ at: now, from: previous.state, to: 'paused', value: null, reason: 'paused' });
    return {
      state: { state: 'paused', since: now, activeSince: null, lastNotifiedAt: null, lastEvaluatedAt: now, lastValue: null },
      transitions,
      notifications,
    };
  }
  // Resuming starts from a clean `ok`; the transition still reads `paused → …`.
  const from = previous.state;
  const prev: AlertState = from === 'paused' ? { ...initialAlertState(), since: previous.since } : previous;

  let holds: boolean | 'keep';
  if (m.value !== null) holds = conditionHolds(rule, m.value);
  else holds = rule.no_data === 'ok' ? false : rule.no_data === 'alert' ? true : 'keep';
  const reason = describe(rule, m, holds === true);
  const notify = (kind: AlertNotification['kind'], repeat: boolean, activeSince: number | null): void => {
    notifications.push({
      kind,
      repeat,
      alert: rule.name,
      signal: rule.signal,
      metric: rule.metric,
      labelValue: rule.value ?? null,
      comparison: rule.comparison,
      threshold: rule.threshold,
      window: rule.window,
      value: m.value,
      labels: m.current.labels,
      at: now,
      activeSince,
    });
  };

  let next: AlertState = { ...prev, lastEvaluatedAt: now, lastValue: m.value };
  const enter = (to: AlertStateName, patch: Partial<AlertState>): void => {
    next = { ...next, ...patch, state: to, since: now };
    transitions.push({ at: now, from, to, value: m.value, reason });
  };

  if (holds === 'keep') {
    // keep_state: no data changes nothing, and a pending alert cannot complete its `for` on no data.
    if (from === 'paused') enter('ok', {});
  } else if (!holds) {
    if (prev.state === 'firing') {
      notify('resolved', false, prev.activeSince);
      enter('ok', { activeSince: null, lastNotifiedAt: null });
    } else if (prev.state === 'pending' || from === 'paused') enter('ok', { activeSince: null });
  } else {
    const activeSince = prev.state === 'ok' ? now : (prev.activeSince ?? now);
    if (prev.state === 'firing') {
      if (prev.lastNotifiedAt === null || now - prev.lastNotifiedAt >= rule.cooldownMs) {
        notify('firing', true, activeSince);
        next = { ...next, lastNotifiedAt: now };
      }
    } else if (now - activeSince >= rule.forMs) {
      notify('firing', false, activeSince);
      enter('firing', { activeSince, lastNotifiedAt: now });
    } else if (prev.state === 'ok') enter('pending', { activeSince });
    else next = { ...next, activeSince };
  }
  return { state: next, transitions, notifications };
}
