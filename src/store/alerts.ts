import { asc, desc, eq } from 'drizzle-orm';
import { alerts, alertStates, alertTransitions, deliveries } from './schema.js';
import type { Store } from './types.js';

/** A stored alert row. */
export type AlertRow = typeof alerts.$inferSelect;
/** A stored alert state row. */
export type AlertStateRow = typeof alertStates.$inferSelect;
/** A stored transition. */
export type AlertTransitionRow = typeof alertTransitions.$inferSelect;
/** A stored delivery attempt. */
export type DeliveryRow = typeof deliveries.$inferSelect;

/** Inserts an alert. */
export async function insertAlert(store: Store, row: AlertRow): Promise<void> {
  await store.db.insert(alerts).values(row);
}

/** One alert. */
export async function alertById(store: Store, id: string): Promise<AlertRow | undefined> {
  const [row] = await store.db.select().from(alerts).where(eq(alerts.id, id)).limit(1);
  return row;
}

/** Alerts of one signal, or all, in creation order. */
export async function listAlertRows(store: Store, signalId?: string): Promise<AlertRow[]> {
  return store.db
    .select()
    .from(alerts)
    .where(signalId === undefined ? undefined : eq(alerts.signalId, signalId))
    .orderBy(asc(alerts.createdAt), asc(alerts.id));
}

/** Replaces an alert's name and rule (an edit). */
export async function updateAlertRow(store: Store, id: string, fields: { name: string; rule: unknown; signalId: string }, now: number): Promise<void> {
  await store.db.update(alerts).set({ ...fields, updatedAt: now }).where(eq(alerts.id, id));
}

/** Pauses or resumes an alert. */
export async function setAlertPausedRow(store: Store, id: string, paused: boolean, now: number): Promise<void> {
  await store.db.update(alerts).set({ paused, updatedAt: now }).where(eq(alerts.id, id));
}

/** An alert's evaluation state. */
export async function alertState(store: Store, alertId: string): Promise<AlertStateRow | undefined> {
  const [row] = await store.db.select().from(alertStates).where(eq(alertStates.alertId, alertId)).limit(1);
  return row;
}

/** Saves an alert's evaluation state and appends its transitions, atomically. */
export async function saveAlertState(store: Store, state: AlertStateRow, transitions: AlertTransitionRow[] = []): Promise<void> {
  await store.batch([
    store.db
      .insert(alertStates)
      .values(state)
      .onConflictDoUpdate({ target: alertStates.alertId, set: { state: state.state, data: state.data, updatedAt: state.updatedAt } }),
    ...transitions.map((t) => store.db.insert(alertTransitions).values(t).onConflictDoNothing()),
  ]);
}

/** An alert's transitions, newest first. */
export async function listTransitions(store: Store, alertId: string, limit = 500): Promise<AlertTransitionRow[]> {
  return store.db
    .select()
    .from(alertTransitions)
    .where(eq(alertTransitions.alertId, alertId))
    .orderBy(desc(alertTransitions.at), desc(alertTransitions.id))
    .limit(limit);
}

/** Records one delivery attempt. */
export async function insertDelivery(store: Store, row: DeliveryRow): Promise<void> {
  await store.db.insert(deliveries).values(row).onConflictDoNothing();
}

/** An alert's delivery attempts, newest first. */
export async function listDeliveries(store: Store, alertId: string, limit = 500): Promise<DeliveryRow[]> {
  return store.db.select().from(deliveries).where(eq(deliveries.alertId, alertId)).orderBy(desc(deliveries.at), desc(deliveries.id)).limit(limit);
}
