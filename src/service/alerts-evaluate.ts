/**
 * The live alert scheduler: one pass evaluates every alert whose evaluation time (a multiple of its `every`
 * since the epoch, the instants a backtest replays) has come and stores the new state and transitions together
 * with the notifications' deliveries, which the deliveries lane sends (./deliveries.ts): nothing is sent here, so
 * a dead channel never delays an evaluation. Run by the alerts lane (Node) or the Cron tick (Workers). A failing
 * alert is recorded and never stops the others.
 */
import { type AlertNotification, type AlertState, type AlertTransition, type DeliverDeps, evaluateAlert, initialAlertState, labelsNeeded } from '../alerts/index.js';
import { alertState, listAlertRows, saveAlertState, type AlertRow, type AlertTransitionRow } from '../store/alerts.js';
import { deliveryStatements } from '../store/deliveries.js';
import type { Store } from '../store/types.js';
import { loadAlertLabels, ruleOfRow } from './alerts-rules.js';
import type { ServiceContext } from './context.js';
import { leasedPassWhenDue } from './leases.js';
import { newDeliveries } from './deliveries.js';

/** What delivery needs (fetch, env for `url_env`/`secret_env`, the SMTP sender, the dashboard URL, attempts and backoff). */
export type AlertDeps = DeliverDeps & {
  /** Told about an alert that could not be evaluated (the pass goes on). */
  onError?: (alert: AlertRow, err: unknown) => void;
};

/** What one pass did. */
export interface AlertsPassResult {
  /** Evaluations run (an alert that missed ticks catches up, see `MAX_CATCH_UP`). */
  evaluations: number;
  transitions: number;
  notifications: number;
  /** Deliveries stored (one per notification and channel), to be sent by the deliveries lane. */
  deliveries: number;
  /** Alerts that failed to evaluate. */
  errors: number;
}

/**
 * Missed evaluation times an alert replays when ticks came late (a Cron minute over a `10s` alert, a paused
 * process): up to this many, the most recent ones, so the live run makes the steps a backtest makes.
 */
export const MAX_CATCH_UP = 60;

/** The evaluation times of one alert due at `now` after `state`, oldest first. */
export function dueTimes(everyMs: number, state: AlertState, now: number): number[] {
  const due = Math.floor(now / everyMs) * everyMs;
  const last = state.lastEvaluatedAt;
  // A new alert, or one resumed after a pause, starts at the latest instant: nothing to catch up on.
  if (last === null || state.state === 'paused') return last !== null && due <= last ? [] : [due];
  const first = Math.max(Math.floor(last / everyMs) * everyMs + everyMs, due - (MAX_CATCH_UP - 1) * everyMs);
  const out: number[] = [];
  for (let t = first; t <= due; t += everyMs) out.push(t);
  return out;
}

/** Transition rows for the store; the id is derived from the step, so a pass run twice stores it once. */
export function transitionRows(alertId: string, transitions: readonly AlertTransition[]): AlertTransitionRow[] {
  return transitions.map((t) => ({
    id: `${alertId}:${t.at}:${t.from}:${t.to}`,
    alertId,
    at: t.at,
    fromState: t.from,
    toState: t.to,
    value: t.value,
    data: { reason: t.reason },
  }));
}

/** Evaluates one alert at its due times; state, transitions and deliveries are stored in one batch. */
async function evaluateOne(store: Store, row: AlertRow, now: number, out: AlertsPassResult): Promise<void> {
  const rule = ruleOfRow(row);
  const stored = await alertState(store, row.id);
  let state = (stored?.data as AlertState | undefined) ?? initialAlertState();
  const times = dueTimes(rule.everyMs, state, now);
  if (times.length === 0) return;
  const labels = await loadAlertLabels(store, row.signalId, labelsNeeded(rule, times[0]).since, labelsNeeded(rule, times[times.length - 1]).until);
  const transitions: AlertTransition[] = [];
  const notifications: AlertNotification[] = [];
  for (const at of times) {
    const step = evaluateAlert(rule, state, labels, at);
    state = step.state;
    transitions.push(...step.transitions);
    notifications.push(...step.notifications);
  }
  // One batch with the deliveries: a crash leaves either the old state (evaluated again) or the new one with its
  // deliveries to send. Stored only if no other replica saved this alert since it was read; the one that did
  // stores the deliveries, this one nothing.
  const outbox = newDeliveries(row.id, notifications, rule.channels);
  const saved = { alertId: row.id, state: state.state, data: state, updatedAt: now };
  if (!(await saveAlertState(store, saved, stored, transitionRows(row.id, transitions), deliveryStatements(store, outbox)))) return;
  out.evaluations += times.length;
  out.transitions += transitions.length;
  out.notifications += notifications.length;
  out.deliveries += outbox.length;
}

/**
 * An alerts pass at `now` under the store's `alerts` lease, taken only when an alert is there to evaluate; undefined
 * when another replica holds the lease or none is.
 */
export function leasedAlerts(ctx: ServiceContext, now: number): Promise<AlertsPassResult | undefined> {
  return leasedPassWhenDue(ctx, 'alerts', () => alertsDue(ctx.store), () => evaluateAlerts(ctx.store, now, ctx.alerts));
}

/** Whether any alert is there to evaluate (not paused). */
async function alertsDue(store: Store): Promise<boolean> {
  return (await listAlertRows(store)).some((row) => !row.paused);
}

/** One scheduler pass over every non-paused alert at `now`. */
export async function evaluateAlerts(store: Store, now: number, deps: AlertDeps = {}): Promise<AlertsPassResult> {
  const out: AlertsPassResult = { evaluations: 0, transitions: 0, notifications: 0, deliveries: 0, errors: 0 };
  for (const row of await listAlertRows(store)) {
    if (row.paused) continue;
    try {
      await evaluateOne(store, row, now, out);
    } catch (err) {
      out.errors++;
      (deps.onError ?? ((a, e) => console.error(`alert ${a.name} (${a.id}) not evaluated:`, e instanceof Error ? e.message : e)))(row, err);
    }
  }
  return out;
}
