import { and, inArray, lt } from 'drizzle-orm';
import { labels, llmJobs, sessions, spans, traces } from '../store/schema.js';
import type { StoreStatement } from '../store/types.js';
import type { ServiceContext } from './context.js';

/** Deletes traffic (spans, traces, sessions, finished jobs) older than the retention; labels too only if asked. */
export async function prune(ctx: ServiceContext, now: number): Promise<void> {
  if (ctx.retentionMs === null) return;
  const cutoff = now - ctx.retentionMs;
  const { db } = ctx.store;
  const statements: StoreStatement[] = [
    db.delete(spans).where(lt(spans.endMs, cutoff)),
    db.delete(traces).where(lt(traces.endMs, cutoff)),
    db.delete(sessions).where(lt(sessions.endMs, cutoff)),
    db.delete(llmJobs).where(and(inArray(llmJobs.status, ['done', 'failed']), lt(llmJobs.createdAt, cutoff))),
  ];
  if (ctx.pruneLabels) statements.push(db.delete(labels).where(lt(labels.at, cutoff)));
  await ctx.store.batch(statements);
}
