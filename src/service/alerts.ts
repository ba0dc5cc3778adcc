import { type AlertState, evaluateAlert, initialAlertState } from '../alerts/index.js';
import {
  alertById,
  alertState,
  insertAlert,
  listAlertRows,
  listTransitions,
  saveAlertState,
  setAlertPausedRow,
  updateAlertRow,
  type AlertRow,
} from '../store/alerts.js';
import { listDeliveries } from '../store/deliveries.js';
import { ServiceError, type AlertHistoryEntry, type AlertSummary, type SignalsApi } from './api.js';
import { backtestRule } from './alerts-backtest.js';
import { transitionRows } from './alerts-evaluate.js';
import { checkAlertRule, ruleOfRow, storedRule } from './alerts-rules.js';
import type { ServiceContext } from './context.js';
import { loadSignal } from './loading.js';
import { iso, newId } from './time.js';

type AlertMethods = Pick<SignalsApi, 'listAlerts' | 'createAlert' | 'editAlert' | 'setAlertPaused' | 'backtestAlert' | 'backtestRule' | 'alertHistory'>;

/**
 * Alerts behind the API: rules validated by the alerts module (src/alerts) and stored with their signal's name,
 * listed with their evaluation state, paused and resumed (the pause is recorded as a transition at once), replayed
 * over stored labels (saved or not), and their history of transitions and delivery attempts.
 * Live evaluation is the scheduler's (alerts-evaluate.ts, run by the tick).
 */
export function createAlertMethods(ctx: ServiceContext): AlertMethods {
  const summary = async (row: AlertRow): Promise<AlertSummary> => {
    const stored = (await alertState(ctx.store, row.id))?.data as AlertState | undefined;
    // Resumed but not evaluated yet: it starts from ok at its next evaluation time.
    const state = row.paused ? 'paused' : stored === undefined || stored.state === 'paused' ? 'ok' : stored.state;
    return {
      id: row.id,
      signalId: row.signalId,
      name: row.name,
      state,
      rule: storedRule(row),
      createdAt: iso(row.createdAt),
      stateSince: stored?.since == null ? null : iso(stored.since),
      lastEvaluatedAt: stored?.lastEvaluatedAt == null ? null : iso(stored.lastEvaluatedAt),
      lastValue: stored?.lastValue ?? null,
    };
  };
  // An alert by id, else by name.
  const alertRow = async (ref: string): Promise<AlertRow> => {
    const row = (await alertById(ctx.store, ref)) ?? (await listAlertRows(ctx.store)).find((a) => a.name === ref);
    if (row === undefined) throw new ServiceError('not_found', `No alert "${ref}" (give its id or name; GET /v1/alerts or signals alerts list shows them)`);
    return row;
  };
  return {
    async listAlerts(signalRef) {
      const signalId = signalRef === undefined ? undefined : (await loadSignal(ctx, signalRef)).row.id;
      return Promise.all((await listAlertRows(ctx.store, signalId)).map(summary));
    },
    async createAlert(input) {
      const { rule, signalId } = await checkAlertRule(ctx, input);
      const taken = (await listAlertRows(ctx.store)).find((a) => a.name === rule.name);
      if (taken !== undefined) throw new ServiceError('conflict', `An alert named "${rule.name}" exists already (${taken.id})`);
      const now = ctx.now();
      const row: AlertRow = { id: newId('alt'), signalId, name: rule.name, rule, paused: false, createdAt: now, updatedAt: now };
      await insertAlert(ctx.store, row);
      return summary(row);
    },
    async editAlert(ref, patch) {
      const row = await alertRow(ref);
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new ServiceError('invalid', 'An alert edit is an object of the rule fields to change');
      const current = storedRule(row);
      const merged: Record<string, unknown> = { ...current, name: row.name, ...(patch as Record<string, unknown>) };
      // A field set to null goes back to its default.
      for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
      const { rule, signalId } = await checkAlertRule(ctx, merged);
      if (rule.name !== row.name) {
        const taken = (await listAlertRows(ctx.store)).find((a) => a.name === rule.name && a.id !== row.id);
        if (taken !== undefined) throw new ServiceError('conflict', `An alert named "${rule.name}" exists already (${taken.id})`);
      }
      const before = JSON.stringify({ ...current, name: row.name });
      const changes = ruleChanges(JSON.parse(before) as Record<string, unknown>, rule as unknown as Record<string, unknown>);
      if (changes.length > 0) await updateAlertRow(ctx.store, row.id, { name: rule.name, rule, signalId }, ctx.now());
      return { alert: await summary(await alertRow(row.id)), changes };
    },
    async setAlertPaused(ref, paused) {
      const row = await alertRow(ref);
      const id = row.id;
      const now = ctx.now();
      await setAlertPausedRow(ctx.store, id, paused, now);
      // An evaluation saving at the same moment wins the compare-and-set at most once: read again and retry.
      for (let attempt = 0; paused && !row.paused && attempt < 5; attempt++) {
        const stored = await alertState(ctx.store, id);
        const state = (stored?.data as AlertState | undefined) ?? initialAlertState();
        const step = evaluateAlert(ruleOfRow(row), state, [], now, { paused: true });
        if (await saveAlertState(ctx.store, { alertId: id, state: step.state.state, data: step.state, updatedAt: now }, stored, transitionRows(id, step.transitions))) break;
      }
      // A resume shows in the history as the transition out of paused at its next evaluation.
      return summary(await alertRow(id));
    },
    async backtestAlert(id, window) {
      const row = await alertRow(id);
      return backtestRule(ctx, ruleOfRow(row), row.signalId, window);
    },
    async backtestRule(input, window) {
      const { rule, signalId } = await checkAlertRule(ctx, input);
      return backtestRule(ctx, ruleOfRow({ id: '', signalId, name: rule.name, rule, paused: false, createdAt: 0, updatedAt: 0 }), signalId, window);
    },
    async alertHistory(ref) {
      const id = (await alertRow(ref)).id;
      const entries: AlertHistoryEntry[] = [
        ...(await listTransitions(ctx.store, id)).map((t) => ({
          type: 'transition' as const,
          at: iso(t.at),
          from: t.fromState as AlertSummary['state'],
          to: t.toState as AlertSummary['state'],
          value: t.value,
          reason: (t.data as { reason?: string } | null)?.reason ?? '',
        })),
        ...(await listDeliveries(ctx.store, id)).map((d) => {
          const p = (d.payload ?? {}) as { kind?: 'firing' | 'resolved'; type?: string };
          return {
            type: 'delivery' as const,
            at: iso(d.at),
            channel: d.channel,
            channelType: p.type ?? null,
            kind: p.kind ?? null,
            status: d.status,
            attempts: d.attempts,
            httpStatus: d.httpStatus,
            error: d.lastError,
            lastAttemptAt: d.lastAttemptAt === null ? null : iso(d.lastAttemptAt),
            nextAttemptAt: d.nextAttemptAt === null ? null : iso(d.nextAttemptAt),
          };
        }),
      ];
      // Newest first; at the same instant a delivery follows the transition that caused it.
      return entries.sort((a, b) => (a.at === b.at ? (a.type === b.type ? 0 : a.type === 'delivery' ? -1 : 1) : a.at < b.at ? 1 : -1));
    },
  };
}

/** One line per changed rule field: `cooldown: "1h" → "30m"`. */
function ruleChanges(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = JSON.stringify(a[k]);
    const y = JSON.stringify(b[k]);
    if (x !== y) out.push(`${k}: ${x ?? '(default)'} → ${y ?? '(default)'}`);
  }
  return out;
}
