import { alertById, alertState, insertAlert, listAlertRows, listTransitions, setAlertPausedRow, type AlertRow } from '../store/alerts.js';
import { ServiceError, type AlertSummary, type SignalsApi } from './api.js';
import type { ServiceContext } from './context.js';
import { loadSignal } from './loading.js';
import { iso, newId } from './time.js';

type AlertMethods = Pick<SignalsApi, 'listAlerts' | 'createAlert' | 'setAlertPaused' | 'backtestAlert' | 'alertHistory'>;

/**
 * Alert storage behind the API: rules are saved as given (`{ signal, name, ...rule }`) and listed with their
 * state. Evaluation and backtests belong to the alerts engine (src/alerts); until it is wired in, a backtest
 * answers `unavailable`.
 */
export function createAlertMethods(ctx: ServiceContext): AlertMethods {
  const summary = async (row: AlertRow): Promise<AlertSummary> => {
    const state = row.paused ? 'paused' : ((await alertState(ctx.store, row.id))?.state ?? 'ok');
    return { id: row.id, signalId: row.signalId, name: row.name, state: state as AlertSummary['state'], rule: row.rule, createdAt: iso(row.createdAt) };
  };
  const alertRow = async (id: string): Promise<AlertRow> => {
    const row = await alertById(ctx.store, id);
    if (row === undefined) throw new ServiceError('not_found', `No alert "${id}"`);
    return row;
  };
  return {
    async listAlerts(signalRef) {
      const signalId = signalRef === undefined ? undefined : (await loadSignal(ctx, signalRef)).row.id;
      return Promise.all((await listAlertRows(ctx.store, signalId)).map(summary));
    },
    async createAlert(input) {
      if (typeof input !== 'object' || input === null) throw new ServiceError('invalid', 'An alert is an object with signal and name');
      const { signal, name, ...rule } = input as Record<string, unknown>;
      if (typeof signal !== 'string' || signal === '') throw new ServiceError('invalid', 'signal: the signal (id or name) the alert watches is required');
      if (typeof name !== 'string' || name === '') throw new ServiceError('invalid', 'name: a name for the alert is required');
      const s = await loadSignal(ctx, signal);
      const now = ctx.now();
      const row: AlertRow = { id: newId('alt'), signalId: s.row.id, name, rule, paused: false, createdAt: now, updatedAt: now };
      await insertAlert(ctx.store, row);
      return summary(row);
    },
    async setAlertPaused(id, paused) {
      await alertRow(id);
      await setAlertPausedRow(ctx.store, id, paused, ctx.now());
      return summary(await alertRow(id));
    },
    async backtestAlert(id) {
      await alertRow(id);
      throw new ServiceError('unavailable', 'Alert backtests need the alerts engine (src/alerts), not wired into this service yet');
    },
    async alertHistory(id) {
      await alertRow(id);
      return (await listTransitions(ctx.store, id)).map((t) => ({ at: iso(t.at), from: t.fromState, to: t.toState, value: t.value, data: t.data }));
    },
  };
}
