import { and, desc, eq, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { type Claimant, type ClaimFence, claimFence, newLeaseToken, pickedBy } from './claims.js';
import { runs, signals } from './schema.js';
import { olderThan } from './sql.js';
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

/** Filters of a run listing. */
export interface RunFilter {
  /** One signal's runs. */
  signalId?: string;
  /** The runs of this agent's own signals (not of `*` signals, which span every agent). */
  agent?: string;
  /** Cursor: runs strictly older than this (`createdAt`, `id`), so a run started meanwhile never shifts a page. */
  before?: { at: number; id: string };
  limit: number;
}

/** Runs, newest first (by start, then id). */
export async function listRunRows(store: Store, f: RunFilter): Promise<RunRow[]> {
  return store.db
    .select()
    .from(runs)
    .where(
      and(
        f.signalId === undefined ? undefined : eq(runs.signalId, f.signalId),
        f.agent === undefined ? undefined : inArray(runs.signalId, store.db.select({ id: signals.id }).from(signals).where(eq(signals.agent, f.agent))),
        f.before === undefined ? undefined : olderThan(runs.createdAt, runs.id, f.before),
      ),
    )
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(f.limit);
}

/** Runs left queued or running (after a restart, these resume). */
export async function unfinishedRuns(store: Store): Promise<RunRow[]> {
  return store.db.select().from(runs).where(inArray(runs.status, ['queued', 'running'])).orderBy(runs.createdAt);
}

/** A run a replica may claim: unfinished, and unclaimed or its lease run out (its replica died or stalled). */
const claimable = (now: number) => and(inArray(runs.status, ['queued', 'running']), lte(runs.leaseUntil, now));

/** The claim `token` on run `id`: the holder's, as long as no other claim replaced it. */
const heldBy = (id: string, token: string) => and(eq(runs.id, id), eq(runs.leaseToken, token));

/**
 * Claims up to `limit` runs for the claimant (oldest first), leased until `now + leaseMs` under a new token (on each
 * row returned): a run is advanced by one claim at a time, which keeps it while it works (`renewRun`); a run whose
 * replica died is taken over, from its cursor, once the lease ran out. A run is never re-entered on the strength of
 * the replica id alone: two processes given the same `SIGNALS_REPLICA_ID` still take turns.
 */
export async function claimRuns(store: Store, c: Claimant, limit: number): Promise<RunRow[]> {
  const pick = store.db.select({ id: runs.id }).from(runs).where(claimable(c.now)).orderBy(runs.createdAt).limit(limit);
  const rows = await store.db
    .update(runs)
    .set({ leaseOwner: c.owner, leaseUntil: c.now + c.leaseMs, leaseToken: newLeaseToken() })
    .where(and(pickedBy(store, runs.id, pick), claimable(c.now)))
    .returning();
  return rows.sort((a, b) => a.createdAt - b.createdAt);
}

/** Claims one run (see `claimRuns`); undefined when it is finished or held under another claim. */
export async function claimRun(store: Store, id: string, c: Claimant): Promise<RunRow | undefined> {
  const [row] = await store.db
    .update(runs)
    .set({ leaseOwner: c.owner, leaseUntil: c.now + c.leaseMs, leaseToken: newLeaseToken() })
    .where(and(eq(runs.id, id), claimable(c.now)))
    .returning();
  return row;
}

/** Extends the claim `token` on a run until `now + leaseMs`; false once another claim replaced it or the run finished. */
export async function renewRun(store: Store, id: string, token: string, c: Claimant): Promise<boolean> {
  const rows = await store.db
    .update(runs)
    .set({ leaseUntil: c.now + c.leaseMs })
    .where(and(heldBy(id, token), inArray(runs.status, ['queued', 'running'])))
    .returning({ id: runs.id });
  return rows.length > 0;
}

/** Gives back the claim `token` on a run after a batch, so the next batch may run on any replica or process. */
export async function releaseRun(store: Store, id: string, token: string): Promise<void> {
  await store.db.update(runs).set({ leaseUntil: 0 }).where(heldBy(id, token));
}

/** The fence of a batch's writes (see `claimFence`): they commit only while the run carries the claim `token`. */
export function runFence(store: Store, id: string, token: string): ClaimFence {
  return claimFence(store, store.db.select({ id: runs.id }).from(runs).where(heldBy(id, token)));
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

/**
 * Sets a run's status (and error / finish time) unless it is already finished; with `token`, only while the run
 * carries that claim (a batch's own outcome), without it whoever holds it (the operator cancelling). A `paused` run
 * with `resumeAt` goes on by itself from then (`resumeDueRuns`).
 */
export async function finishRun(
  store: Store,
  id: string,
  status: RunRow['status'],
  now: number,
  error: string | null = null,
  token?: string,
  resumeAt: number | null = null,
): Promise<void> {
  await store.db
    .update(runs)
    .set({ status, error, updatedAt: now, finishedAt: status === 'running' || status === 'queued' ? null : now, resumeAt: status === 'paused' ? resumeAt : null })
    .where(and(token === undefined ? eq(runs.id, id) : heldBy(id, token), inArray(runs.status, ['queued', 'running', 'paused'])));
}

/** Puts the paused runs `which` selects back to running from their cursor; returns their ids. */
async function resumeWhere(store: Store, which: SQL | undefined, now: number): Promise<string[]> {
  const rows = await store.db
    .update(runs)
    .set({ status: 'running', error: null, resumeAt: null, finishedAt: null, updatedAt: now })
    .where(and(eq(runs.status, 'paused'), which))
    .returning({ id: runs.id });
  return rows.map((r) => r.id);
}

/**
 * Puts back to running the runs a day cap paused whose day has ended (`resume_at <= now`); returns their ids. The
 * run goes on from its cursor; if the cap holds again (a new day's spend), it pauses again until the next day.
 */
export async function resumeDueRuns(store: Store, now: number): Promise<string[]> {
  return resumeWhere(store, lte(runs.resumeAt, now), now);
}

/** Runs a day cap paused that wait for a later time (`resume_at > now`). */
export async function runsWaitingForDay(store: Store, now: number): Promise<RunRow[]> {
  return store.db.select().from(runs).where(and(eq(runs.status, 'paused'), gt(runs.resumeAt, now)));
}

/** Puts one run a day cap paused back to running now (its cap was raised); false when it is no longer paused. */
export async function resumeRun(store: Store, id: string, now: number): Promise<boolean> {
  return (await resumeWhere(store, eq(runs.id, id), now)).length > 0;
}
