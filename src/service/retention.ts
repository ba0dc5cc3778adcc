import { and, eq, inArray, lt, notExists } from 'drizzle-orm';
import { pruneDeliveries } from '../store/deliveries.js';
import { agents, alertTransitions, labels, llmJobs, runs, sessions, spanLogs, spans, traces } from '../store/schema.js';
import { orphanMessageStatements } from '../store/span-messages.js';
import { chunk } from '../store/traffic.js';
import { pruneUsage } from '../store/usage.js';
import { utcDay } from '../custom/llm/budget.js';
import type { StoreStatement } from '../store/types.js';
import type { ServiceContext } from './context.js';
import { groupBy } from '../formats/group-by.js';

/** What one retention pass deleted. */
export interface PruneResult {
  traces: number;
  sessions: number;
}

/** Targets deleted per batch, so one pass never holds the database for long. */
const PAGE = 200;

/**
 * Deletes what is older than the retention, by the time the service received it (never the client's timestamps:
 * a span dated 1970 is kept for the full retention, one dated 2100 goes when its receipt is old): traces whose
 * last span arrived before the cutoff with their spans, every label of them and the messages no other span refers to,
 * idle sessions with their labels,
 * then GenAI log records (joined or still waiting for their span), finished runs, alert transitions, sent or
 * failed deliveries and done or failed LLM jobs older than the cutoff, and
 * agents left with no traffic. Each page of targets commits on its own, so a crash mid-pass loses nothing.
 */
export async function prune(ctx: ServiceContext, now: number): Promise<PruneResult> {
  const result: PruneResult = { traces: 0, sessions: 0 };
  if (ctx.retentionMs === null) return result;
  const cutoff = now - ctx.retentionMs;
  const { db } = ctx.store;
  const max = ctx.store.maxParams - 2;
  // A page's ids are bound in one statement: D1 takes 100 parameters.
  const page = Math.min(PAGE, max);

  /** Labels of one kind of target of one agent (ids are the instrumentation's, unique within an agent). */
  const labelsOf = (kind: 'span' | 'trace' | 'session', agent: string, ids: string[]): StoreStatement[] =>
    chunk(ids, 1, max).map((part) => db.delete(labels).where(and(eq(labels.targetKind, kind), eq(labels.agent, agent), inArray(labels.targetId, part))));

  for (;;) {
    const old = await db.select({ id: traces.id, agent: traces.agent }).from(traces).where(lt(traces.lastActivity, cutoff)).limit(page);
    if (old.length === 0) break;
    const statements: StoreStatement[] = [];
    // Traces are identified within their agent: every statement names both.
    for (const [agent, list] of groupBy(old, (t) => t.agent)) {
      const ids = list.map((t) => t.id);
      const gone = await db.select({ spanId: spans.spanId, conversation: spans.conversation }).from(spans).where(and(eq(spans.agent, agent), inArray(spans.traceId, ids)));
      statements.push(
        ...labelsOf('trace', agent, ids),
        ...labelsOf('span', agent, gone.map((s) => s.spanId)),
        db.delete(spans).where(and(eq(spans.agent, agent), inArray(spans.traceId, ids))),
        db.delete(traces).where(and(eq(traces.agent, agent), inArray(traces.id, ids))),
        // Messages go with the last span that refers to them (a session's messages outlive its older traces).
        ...(await orphanMessageStatements(ctx.store, agent, new Set(gone.map((s) => s.conversation)), new Set(ids))),
      );
    }
    await ctx.store.batch(statements);
    result.traces += old.length;
    if (old.length < page) break;
  }
  for (;;) {
    const old = await db.select({ id: sessions.id, agent: sessions.agent }).from(sessions).where(lt(sessions.lastActivity, cutoff)).limit(page);
    if (old.length === 0) break;
    const statements: StoreStatement[] = [];
    for (const [agent, list] of groupBy(old, (s) => s.agent)) {
      const ids = list.map((s) => s.id);
      statements.push(...labelsOf('session', agent, ids), db.delete(sessions).where(and(eq(sessions.agent, agent), inArray(sessions.id, ids))));
    }
    await ctx.store.batch(statements);
    result.sessions += old.length;
    if (old.length < page) break;
  }
  await ctx.store.batch([
    db.delete(spanLogs).where(lt(spanLogs.receivedAt, cutoff)),
    db.delete(runs).where(and(inArray(runs.status, ['done', 'failed', 'cancelled']), lt(runs.updatedAt, cutoff))),
    db.delete(alertTransitions).where(lt(alertTransitions.at, cutoff)),
    pruneDeliveries(ctx.store, cutoff),
    db.delete(llmJobs).where(and(inArray(llmJobs.status, ['done', 'failed']), lt(llmJobs.createdAt, cutoff))),
    db.delete(agents).where(notExists(db.select({ id: traces.id }).from(traces).where(eq(traces.agent, agents.id)))),
    // LLM spend of days before the cutoff's (no cap reads a past day).
    pruneUsage(ctx.store, utcDay(cutoff)),
  ]);
  return result;
}
