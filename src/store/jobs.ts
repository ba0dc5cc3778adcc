import { and, count, eq, inArray, lte, or } from 'drizzle-orm';
import { type Claimant, type ClaimFence, claimFence, newLeaseToken, pickedBy } from './claims.js';
import { llmJobs } from './schema.js';
import { chunk, columnCount } from './traffic.js';
import type { Store, StoreStatement } from './types.js';

/** A queued LLM judging job. */
export type LlmJobRow = typeof llmJobs.$inferSelect;

/** A job to queue (its state columns start empty). */
export type NewLlmJob = Omit<LlmJobRow, 'status' | 'attempts' | 'leaseUntil' | 'leaseOwner' | 'leaseToken' | 'error'>;

/** Statements enqueueing jobs; a job already queued (same label key) is left as it is. */
export function enqueueJobs(store: Store, jobs: NewLlmJob[]): StoreStatement[] {
  const rows = jobs.map((j) => ({ ...j, status: 'pending' as const, attempts: 0, leaseUntil: 0, leaseOwner: null, leaseToken: null, error: null }));
  return chunk(rows, columnCount(llmJobs), store.maxParams).map((part) => store.db.insert(llmJobs).values(part).onConflictDoNothing());
}

/** Label key of a job: one per signal version and target (kind, agent, id) revision; JSON so no two keys collide. */
export function jobId(signalId: string, version: number, kind: string, agent: string, targetId: string, revision: string): string {
  return JSON.stringify([signalId, version, kind, agent, targetId, revision]);
}

const ready = (now: number) => or(eq(llmJobs.status, 'pending'), and(eq(llmJobs.status, 'running'), lte(llmJobs.leaseUntil, now)));

/** How many jobs are ready (pending, or running with an expired lease) per signal version. */
export async function readyJobGroups(store: Store, now: number): Promise<{ signalId: string; version: number; n: number }[]> {
  return store.db
    .select({ signalId: llmJobs.signalId, version: llmJobs.version, n: count() })
    .from(llmJobs)
    .where(ready(now))
    .groupBy(llmJobs.signalId, llmJobs.version);
}

/**
 * Claims up to `limit` ready jobs (of one signal version when `of` is given), oldest first, leasing them to the
 * claimant until `now + leaseMs` under a new claim token (on each row returned): one conditional UPDATE, so two
 * replicas never take the same job (on PostgreSQL the pick skips rows another replica is claiming), and a job whose
 * replica died or stalled is taken again once its lease ran out.
 */
export async function claimJobs(store: Store, c: Claimant, limit: number, of?: { signalId: string; version: number }): Promise<LlmJobRow[]> {
  const where = of === undefined ? ready(c.now) : and(ready(c.now), eq(llmJobs.signalId, of.signalId), eq(llmJobs.version, of.version));
  const pick = store.db.select({ id: llmJobs.id }).from(llmJobs).where(where).orderBy(llmJobs.createdAt).limit(limit);
  const rows = await store.db
    .update(llmJobs)
    .set({ status: 'running', leaseUntil: c.now + c.leaseMs, leaseOwner: c.owner, leaseToken: newLeaseToken() })
    .where(and(pickedBy(store, llmJobs.id, pick), ready(c.now)))
    .returning();
  return rows.sort((a, b) => a.createdAt - b.createdAt);
}

/** A job running under the claim `token`, as long as no other claim replaced it. */
const heldBy = (id: string, token: string) => and(eq(llmJobs.id, id), eq(llmJobs.status, 'running'), eq(llmJobs.leaseToken, token));

/** Extends the claim `token` on a running job (a long LLM call) until `now + leaseMs`; false once it was taken over. */
export async function renewJob(store: Store, id: string, token: string, c: Claimant): Promise<boolean> {
  const rows = await store.db
    .update(llmJobs)
    .set({ leaseUntil: c.now + c.leaseMs })
    .where(heldBy(id, token))
    .returning({ id: llmJobs.id });
  return rows.length > 0;
}

/**
 * Statement closing a job held under the claim `token`: a replica whose lease ran out and whose job another took
 * changes nothing. Commit it behind `jobFence` with the job's label, so the label is not written either.
 */
export function closeJob(store: Store, id: string, token: string, status: 'done' | 'failed' | 'pending', attempts: number, error: string | null): StoreStatement {
  return store.db
    .update(llmJobs)
    .set({ status, attempts, error, leaseUntil: 0, leaseOwner: null, leaseToken: null })
    .where(heldBy(id, token));
}

/** The fence of a job's writes (see `claimFence`): they commit only while the job runs under the claim `token`. */
export function jobFence(store: Store, id: string, token: string): ClaimFence {
  return claimFence(store, store.db.select({ id: llmJobs.id }).from(llmJobs).where(heldBy(id, token)));
}

/** Jobs per status (progress of the background judge). */
export async function jobCounts(store: Store): Promise<Record<string, number>> {
  const rows = await store.db.select({ status: llmJobs.status, n: count() }).from(llmJobs).groupBy(llmJobs.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
