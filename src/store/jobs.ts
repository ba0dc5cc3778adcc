import { and, count, eq, inArray, lte, or } from 'drizzle-orm';
import { type Claimant, forClaim } from './claims.js';
import { llmJobs } from './schema.js';
import { chunk, columnCount } from './traffic.js';
import type { Store, StoreStatement } from './types.js';

/** A queued LLM judging job. */
export type LlmJobRow = typeof llmJobs.$inferSelect;

/** A job to queue (its state columns start empty). */
export type NewLlmJob = Omit<LlmJobRow, 'status' | 'attempts' | 'leaseUntil' | 'leaseOwner' | 'error'>;

/** Statements enqueueing jobs; a job already queued (same label key) is left as it is. */
export function enqueueJobs(store: Store, jobs: NewLlmJob[]): StoreStatement[] {
  const rows = jobs.map((j) => ({ ...j, status: 'pending' as const, attempts: 0, leaseUntil: 0, leaseOwner: null, error: null }));
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
 * claimant until `now + leaseMs`: one conditional UPDATE, so two replicas never take the same job (on PostgreSQL
 * the pick skips rows another replica is claiming), and a job whose replica died is taken again once its lease
 * ran out.
 */
export async function claimJobs(store: Store, c: Claimant, limit: number, of?: { signalId: string; version: number }): Promise<LlmJobRow[]> {
  const where = of === undefined ? ready(c.now) : and(ready(c.now), eq(llmJobs.signalId, of.signalId), eq(llmJobs.version, of.version));
  const pick = forClaim(store, store.db.select({ id: llmJobs.id }).from(llmJobs).where(where).orderBy(llmJobs.createdAt).limit(limit));
  const rows = await store.db
    .update(llmJobs)
    .set({ status: 'running', leaseUntil: c.now + c.leaseMs, leaseOwner: c.owner })
    .where(and(inArray(llmJobs.id, pick), ready(c.now)))
    .returning();
  return rows.sort((a, b) => a.createdAt - b.createdAt);
}

/** Statement extending the lease of jobs the claimant still holds (a long LLM call); returns the ids still held. */
export async function renewJobs(store: Store, ids: string[], c: Claimant): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await store.db
    .update(llmJobs)
    .set({ leaseUntil: c.now + c.leaseMs })
    .where(and(inArray(llmJobs.id, ids), eq(llmJobs.status, 'running'), eq(llmJobs.leaseOwner, c.owner)))
    .returning({ id: llmJobs.id });
  return rows.map((r) => r.id);
}

/**
 * Statement closing a job the replica `owner` holds: a replica whose lease ran out and whose job another took
 * changes nothing (its label, keyed like the other's, is not written twice either).
 */
export function closeJob(store: Store, id: string, owner: string, status: 'done' | 'failed' | 'pending', attempts: number, error: string | null): StoreStatement {
  return store.db
    .update(llmJobs)
    .set({ status, attempts, error, leaseUntil: 0, leaseOwner: null })
    .where(and(eq(llmJobs.id, id), eq(llmJobs.leaseOwner, owner)));
}

/** Jobs per status (progress of the background judge). */
export async function jobCounts(store: Store): Promise<Record<string, number>> {
  const rows = await store.db.select({ status: llmJobs.status, n: count() }).from(llmJobs).groupBy(llmJobs.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
