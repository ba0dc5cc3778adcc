import { asc, desc, eq, or, isNull, ne, and, sql } from 'drizzle-orm';
import { alerts, alertStates, alertTransitions, leases } from './schema.js';
import type { Store, StoreStatement } from './types.js';

/** A stored alert row. */
export type AlertRow = typeof alerts.$inferSelect;
/** A stored alert state row. */
export type AlertStateRow = typeof alertStates.$inferSelect;
/** A stored transition. */
export type AlertTransitionRow = typeof alertTransitions.$inferSelect;

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

/**
 * Saves an alert's evaluation state and records its transitions, in one batch with `extra` (a transition's
 * deliveries), only if the stored state is still the one the caller read (`read`, undefined when there was
 * none). Returns false, having stored nothing, when another writer (a second replica evaluating the same
 * alert, a pause) saved first: the caller sends nothing. A transition is also unique per (alert, time), so the same
 * step is never recorded twice.
 */
export async function saveAlertState(
  store: Store,
  state: Omit<AlertStateRow, 'token'>,
  read: AlertStateRow | undefined,
  transitions: AlertTransitionRow[] = [],
  extra: StoreStatement[] = [],
): Promise<boolean> {
  const token = crypto.randomUUID();
  const { db } = store;
  try {
    await store.batch([
      db
        .insert(alertStates)
        .values({ ...state, token })
        .onConflictDoUpdate({
          target: alertStates.alertId,
          set: { state: state.state, data: state.data, updatedAt: state.updatedAt, token },
          // No row read: whoever inserted the row first won. A row from before tokens has none.
          setWhere: read === undefined ? sql`1 = 0` : read.token === null ? isNull(alertStates.token) : eq(alertStates.token, read.token),
        }),
      // Fails the batch when the write above changed nothing (another token is stored): the compare-and-set.
      db.insert(leases).select(sql`select 'alert-state-changed', null, 0 from ${alertStates} where ${and(eq(alertStates.alertId, state.alertId), or(isNull(alertStates.token), ne(alertStates.token, token)))}`),
      ...transitions.map((t) => db.insert(alertTransitions).values(t)),
      ...extra,
    ]);
    return true;
  } catch (err) {
    // Lost the race: the stored state is no longer the one read. Anything else is a real failure.
    const stored = await alertState(store, state.alertId);
    if (stored !== undefined && (read === undefined || stored.token !== read.token)) return false;
    throw err;
  }
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
