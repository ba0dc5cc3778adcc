import { and, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { type Claimant, forClaim } from './claims.js';
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

/** A run a replica may advance: unfinished, and unclaimed, its lease run out, or the claimant's own. */
const claimable = (c: Claimant) => and(inArray(runs.status, ['queued', 'running']), or(lte(runs.leaseUntil, c.now), eq(runs.leaseOwner, c.owner)));

/**
 * Claims up to `limit` runs for the claimant (oldest first), leased until `now + leaseMs`: a run is advanced by one
 * replica at a time, which keeps it while it works (renewing); a run whose replica died is taken over, from its
 * cursor, once the lease ran out.
 */
export async function claimRuns(store: Store, c: Claimant, limit: number): Promise<RunRow[]> {
  const pick = forClaim(store, store.db.select({ id: runs.id }).from(runs).where(claimable(c)).orderBy(runs.createdAt).limit(limit));
  const rows = await store.db
    .update(runs)
    .set({ leaseOwner: c.owner, leaseUntil: c.now + c.leaseMs })
    .where(and(inArray(runs.id, pick), claimable(c)))
    .returning();
  return rows.sort((a, b) => a.createdAt - b.createdAt);
}

/** Claims (or renews the claimant's claim on) one run; undefined when it is finished or another replica holds it. */
export async function claimRun(store: Store, id: string, c: Claimant): Promise<RunRow | undefined> {
  const [row] = await store.db
    .update(runs)
    .set({ leaseOwner: c.owner, leaseUntil: c.now + c.leaseMs })
    .where(and(eq(runs.id, id), claimable(c)))
    .returning();
  return row;
}

/** Gives back the claimant's claim on a run after a batch, so the next batch may run on any replica or process. */
export async function releaseRun(store: Store, id: string, owner: string): Promise<void> {
  await store.db
    .update(runs)
    .set({ leaseUntil: 0 })
    .where(and(eq(runs.id, id), eq(runs.leaseOwner, owner)));
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
