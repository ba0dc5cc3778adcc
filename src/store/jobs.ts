import { and, count, eq, inArray, lte, or } from 'drizzle-orm';
import { llmJobs } from './schema.js';
import { chunk, columnCount } from './traffic.js';
import type { Store, StoreStatement } from './types.js';

/** A queued LLM judging job. */
export type LlmJobRow = typeof llmJobs.$inferSelect;

/** Statements enqueueing jobs; a job already queued (same label key) is left as it is. */
export function enqueueJobs(store: Store, jobs: Omit<LlmJobRow, 'status' | 'attempts' | 'leaseUntil' | 'error'>[]): StoreStatement[] {
  const rows = jobs.map((j) => ({ ...j, status: 'pending' as const, attempts: 0, leaseUntil: 0, error: null }));
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
 * Takes up to `limit` ready jobs (of one signal version when `of` is given), oldest first, leasing them until
 * `now + leaseMs`: a job whose worker died is taken again once its lease ran out.
 */
export async function claimJobs(
  store: Store,
  now: number,
  leaseMs: number,
  limit: number,
  of?: { signalId: string; version: number },
): Promise<LlmJobRow[]> {
  const where = of === undefined ? ready(now) : and(ready(now), eq(llmJobs.signalId, of.signalId), eq(llmJobs.version, of.version));
  const rows = await store.db.select().from(llmJobs).where(where).orderBy(llmJobs.createdAt).limit(limit);
  if (rows.length === 0) return [];
  await store.db
    .update(llmJobs)
    .set({ status: 'running', leaseUntil: now + leaseMs })
    .where(and(inArray(llmJobs.id, rows.map((r) => r.id)), ready(now)));
  return rows.map((r) => ({ ...r, status: 'running' as const, leaseUntil: now + leaseMs }));
}

/** Statement closing a job. */
export function closeJob(store: Store, id: string, status: 'done' | 'failed' | 'pending', attempts: number, error: string | null): StoreStatement {
  return store.db.update(llmJobs).set({ status, attempts, error, leaseUntil: 0 }).where(eq(llmJobs.id, id));
}

/** Jobs per status (progress of the background judge). */
export async function jobCounts(store: Store): Promise<Record<string, number>> {
  const rows = await store.db.select({ status: llmJobs.status, n: count() }).from(llmJobs).groupBy(llmJobs.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
