import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { runs } from './schema.js';
import type { Store, StoreStatement } from './types.js';

/** A stored run row. */
export type RunRow = typeof runs.$inferSelect;

/** Inserts a run. */
export async function insertRun(store: Store, row: RunRow): Promise<void> {
  await store.db.insert(runs).values(row);
}

/** One run. */
export async function runById(store: Store, id: string): Promise<RunRow | undefined> {
  const [row] = await store.db.select().from(runs).where(eq(runs.id, id)).limit(1);
  return row;
}

/** Runs, newest first, of one signal or all. */
export async function listRunRows(store: Store, signalId?: string): Promise<RunRow[]> {
  return store.db
    .select()
    .from(runs)
    .where(signalId === undefined ? undefined : eq(runs.signalId, signalId))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(200);
}

/** Runs left queued or running (after a restart, these resume). */
export async function unfinishedRuns(store: Store): Promise<RunRow[]> {
  return store.db.select().from(runs).where(inArray(runs.status, ['queued', 'running'])).orderBy(runs.createdAt);
}

/** Progress of one batch, committed with the batch's labels. */
export interface RunProgress {
  done: number;
  counts: Record<string, number>;
  unreadable: number;
  cost: { requests: number; inputTokens: number; outputTokens: number; usd: number };
  cursor: string | null;
}

/**
 * Statement advancing a run by one batch, guarded by the cursor it started from: a batch re-run after a crash
 * (or by a second worker) whose cursor already moved on changes nothing.
 */
export function advanceRun(store: Store, run: RunRow, p: RunProgress, now: number): StoreStatement {
  return store.db
    .update(runs)
    .set({
      status: 'running',
      done: p.done,
      // Targets that arrive late with times inside the window are labelled too; the total grows to say so.
      total: Math.max(run.total, p.done),
      counts: p.counts,
      unreadable: p.unreadable,
      requests: p.cost.requests,
      inputTokens: p.cost.inputTokens,
      outputTokens: p.cost.outputTokens,
      usd: p.cost.usd,
      cursor: p.cursor,
      updatedAt: now,
    })
    .where(and(eq(runs.id, run.id), run.cursor === null ? sql`${runs.cursor} is null` : eq(runs.cursor, run.cursor), inArray(runs.status, ['queued', 'running'])));
}

/** Sets a run's status (and error / finish time) unless it is already finished. */
export async function finishRun(store: Store, id: string, status: RunRow['status'], now: number, error: string | null = null): Promise<void> {
  await store.db
    .update(runs)
    .set({ status, error, updatedAt: now, finishedAt: status === 'running' || status === 'queued' ? null : now })
    .where(and(eq(runs.id, id), inArray(runs.status, ['queued', 'running', 'paused'])));
}
