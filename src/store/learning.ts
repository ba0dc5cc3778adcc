import { and, eq, inArray, sql } from 'drizzle-orm';
import { labels } from './schema.js';
import type { Store } from './types.js';

/** A machine label a learned judge can train on, or measure a cascade with. */
export interface TrainingLabel {
  targetKind: 'span' | 'trace' | 'session';
  agent: string;
  targetId: string;
  revision: string;
  value: string;
  at: number;
  labelledAt: number;
  usd: number;
}

/** At most this many labels are read for one training (the newest first). */
export const MAX_TRAINING_LABELS = 50_000;

/**
 * The labelled verdicts of one judge (`llm` for distillation) of a signal's given versions, newest first; each
 * target once (its newest label).
 */
export async function judgeLabels(store: Store, signalId: string, versions: number[], judge: 'llm' | 'learned' | 'rules'): Promise<TrainingLabel[]> {
  if (versions.length === 0) return [];
  const rows = await store.db
    .select({
      targetKind: labels.targetKind,
      agent: labels.agent,
      targetId: labels.targetId,
      revision: labels.revision,
      value: labels.value,
      at: labels.at,
      labelledAt: labels.labelledAt,
      usd: labels.usd,
    })
    .from(labels)
    .where(and(eq(labels.signalId, signalId), inArray(labels.version, versions), eq(labels.judge, judge), eq(labels.status, 'labelled')))
    .orderBy(sql`${labels.labelledAt} desc`, sql`${labels.id} desc`)
    .limit(MAX_TRAINING_LABELS);
  const seen = new Set<string>();
  const out: TrainingLabel[] = [];
  for (const r of rows) {
    const key = `${r.targetKind}\0${r.agent}\0${r.targetId}`;
    if (r.value === null || seen.has(key)) continue;
    seen.add(key);
    out.push({ ...r, value: r.value });
  }
  return out;
}

/** How many labels of each judge a signal version has, and what the LLM ones cost: the cascade's live figures. */
export async function judgeCounts(store: Store, signalId: string, version: number): Promise<{ judge: string; n: number; usd: number }[]> {
  const rows = await store.db
    .select({ judge: labels.judge, n: sql<number>`count(*)`, usd: sql<number>`coalesce(sum(${labels.usd}), 0)` })
    .from(labels)
    .where(and(eq(labels.signalId, signalId), eq(labels.version, version), eq(labels.status, 'labelled')))
    .groupBy(labels.judge);
  return rows.map((r) => ({ judge: r.judge, n: Number(r.n), usd: Number(r.usd) }));
}
