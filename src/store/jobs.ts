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

/** Label key of a job: one per signal version and target revision. */
export function jobId(signalId: string, version: number, kind: string, targetId: string, revision: string): string {
  return `${signalId}:${version}:${kind}:${targetId}:${revision}`;
}

/**
 * Takes up to `limit` jobs that are pending, or running with an expired lease (their worker died), leasing them
 * until `now + leaseMs`.
 */
export async function claimJobs(store: Store, now: number, leaseMs: number, limit: number): Promise<LlmJobRow[]> {
  const ready = or(eq(llmJobs.status, 'pending'), and(eq(llmJobs.status, 'running'), lte(llmJobs.leaseUntil, now)));
  const rows = await store.db.select().from(llmJobs).where(ready).orderBy(llmJobs.createdAt).limit(limit);
  if (rows.length === 0) return [];
  await store.db
    .update(llmJobs)
    .set({ status: 'running', leaseUntil: now + leaseMs })
    .where(and(inArray(llmJobs.id, rows.map((r) => r.id)), ready));
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
