import { and, asc, desc, eq, inArray, ne, or } from 'drizzle-orm';
import type { SignalDefinition } from '../custom/definition.js';
import { signals, signalVersions } from './schema.js';
import type { Store } from './types.js';

/** A stored signal row. */
export type SignalRow = typeof signals.$inferSelect;
/** A stored signal version row. */
export type SignalVersionRow = typeof signalVersions.$inferSelect;

/** A signal by id or name. */
export async function findSignal(store: Store, ref: string): Promise<SignalRow | undefined> {
  const [row] = await store.db.select().from(signals).where(or(eq(signals.id, ref), eq(signals.name, ref))).limit(1);
  return row;
}

/** Signals in name order; archived ones only when asked. */
export async function listSignalRows(store: Store, options: { includeArchived?: boolean; agent?: string } = {}): Promise<SignalRow[]> {
  return store.db
    .select()
    .from(signals)
    .where(
      and(
        options.includeArchived === true ? undefined : ne(signals.state, 'archived'),
        options.agent === undefined ? undefined : inArray(signals.agent, [options.agent, '*']),
      ),
    )
    .orderBy(asc(signals.name));
}

/** Active signals that label traffic of this agent at this scope (their own agent, or `*`). */
export async function activeSignals(store: Store, agent: string, scope: 'span' | 'trace' | 'session'): Promise<SignalRow[]> {
  return store.db
    .select()
    .from(signals)
    .where(and(eq(signals.state, 'active'), eq(signals.scope, scope), inArray(signals.agent, [agent, '*'])));
}

/** Every active signal (for settling, which works per agent in memory). */
export async function allActiveSignals(store: Store): Promise<SignalRow[]> {
  return store.db.select().from(signals).where(eq(signals.state, 'active'));
}

/** Saves a new signal with its version 1. */
export async function insertSignal(store: Store, row: SignalRow, definition: SignalDefinition): Promise<void> {
  await store.batch([
    store.db.insert(signals).values(row),
    store.db.insert(signalVersions).values({ signalId: row.id, version: row.version, definition, createdAt: row.createdAt }),
  ]);
}

/** Saves version `version` of a signal and makes it current. */
export async function insertVersion(store: Store, signal: SignalRow, version: number, definition: SignalDefinition, now: number): Promise<void> {
  await store.batch([
    store.db.insert(signalVersions).values({ signalId: signal.id, version, definition, createdAt: now }),
    store.db
      .update(signals)
      .set({ version, type: definition.type, agent: definition.agent, updatedAt: now })
      .where(and(eq(signals.id, signal.id), eq(signals.version, version - 1))),
  ]);
}

/** Sets a signal's state. */
export async function updateSignalState(store: Store, id: string, state: SignalRow['state'], now: number): Promise<void> {
  await store.db.update(signals).set({ state, updatedAt: now }).where(eq(signals.id, id));
}

/** One version's definition. */
export async function versionDefinition(store: Store, signalId: string, version: number): Promise<SignalDefinition | undefined> {
  const [row] = await store.db
    .select()
    .from(signalVersions)
    .where(and(eq(signalVersions.signalId, signalId), eq(signalVersions.version, version)))
    .limit(1);
  return row?.definition as SignalDefinition | undefined;
}

/** Every version of a signal, newest first. */
export async function listVersions(store: Store, signalId: string): Promise<SignalVersionRow[]> {
  return store.db.select().from(signalVersions).where(eq(signalVersions.signalId, signalId)).orderBy(desc(signalVersions.version));
}
