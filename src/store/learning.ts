import { and, eq, inArray, sql } from 'drizzle-orm';
import { currentLabelStatements, machineLabelsWhere, targetIdsByAgent, type LabelRecord } from './labels.js';
import { labelJudges, labels } from './schema.js';
import { chunk } from './traffic.js';
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
  return newestPerTarget(rows);
}

/**
 * How many labels of each judge a signal version has, and what the LLM ones cost: the cascade's live figures, read
 * from the rollup the triggers keep (label_judges), not from the version's labels.
 */
export async function judgeCounts(store: Store, signalId: string, version: number): Promise<{ judge: string; n: number; usd: number }[]> {
  const rows = await store.db
    .select({ judge: labelJudges.judge, n: labelJudges.n, usd: labelJudges.usd })
    .from(labelJudges)
    .where(and(eq(labelJudges.signalId, signalId), eq(labelJudges.version, version)));
  // A judge whose labels were all deleted (retention) has a row of 0: no labels.
  return rows.filter((r) => Number(r.n) !== 0).map((r) => ({ judge: r.judge, n: Number(r.n), usd: Number(r.usd) }));
}

/** A human label as agreement and training read it. */
export interface HumanLabel {
  id: string;
  version: number;
  targetKind: 'span' | 'trace' | 'session';
  agent: string;
  targetId: string;
  revision: string;
  value: string;
  reviewer: string | null;
  at: number;
  labelledAt: number;
}

/** Each reviewed target's newest human label of a signal (any version), newest first; at most `MAX_TRAINING_LABELS`. */
export async function humanLabels(store: Store, signalId: string): Promise<HumanLabel[]> {
  const rows = await store.db
    .select({
      id: labels.id,
      version: labels.version,
      targetKind: labels.targetKind,
      agent: labels.agent,
      targetId: labels.targetId,
      revision: labels.revision,
      value: labels.value,
      reviewer: labels.reviewer,
      at: labels.at,
      labelledAt: labels.labelledAt,
    })
    .from(labels)
    // `judge = 'human'` as a literal, as labels_human's condition is written, so the planner reads that small index.
    .where(and(eq(labels.signalId, signalId), sql`${labels.judge} = 'human'`, eq(labels.status, 'labelled')))
    .orderBy(sql`${labels.labelledAt} desc`, sql`${labels.id} desc`)
    .limit(MAX_TRAINING_LABELS);
  return newestPerTarget(rows);
}

/** A machine verdict on a reviewed target. */
export interface MachineLabel {
  version: number;
  judge: string;
  agent: string;
  targetId: string;
  value: string;
}

/**
 * The machine labels (every version, `labelled` only) of some targets of one kind, newest first: what each
 * version's judge said about the targets reviewers labelled.
 */
export async function machineLabelsOf(
  store: Store,
  signalId: string,
  kind: 'span' | 'trace' | 'session',
  targets: { agent: string; targetId: string }[],
): Promise<MachineLabel[]> {
  const out: (MachineLabel & { labelledAt: number; id: string })[] = [];
  for (const [agent, ids] of targetIdsByAgent(targets)) {
    for (const part of chunk(ids, 1, store.maxParams - 5)) {
      const rows = await store.db
        .select({ version: labels.version, judge: labels.judge, agent: labels.agent, targetId: labels.targetId, value: labels.value, labelledAt: labels.labelledAt, id: labels.id })
        .from(labels)
        .where(and(machineLabelsWhere(signalId, kind, agent, part), eq(labels.status, 'labelled')));
      for (const r of rows) if (r.value !== null) out.push({ ...r, value: r.value });
    }
  }
  // Newest first over all parts, as callers read the first of each version and target.
  out.sort((a, b) => b.labelledAt - a.labelledAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return out.map(({ labelledAt: _l, id: _i, ...m }) => m);
}

/** Where a review queue page starts: after this label in queue order. */
export interface ReviewCursor {
  reviewKey: number;
  id: string;
}

/**
 * Review keys below this (a 16th of the 28-bit keys) make the queue's indexed sample (labels_review's condition,
 * written as a literal in the queries so both planners see the index applies).
 */
export const REVIEW_SAMPLE_KEYS = 16_777_216;

/**
 * The review queue: current machine labels (targets no reviewer labelled yet) of a signal in review-key order (a
 * hash of the target, labels.reviewKey), so every reviewer walks the same pseudo-random sample of targets; `after`
 * pages on. The targets of the first 16th of the keys come from `labels_review` (a walk from the cursor, no sort,
 * however many labels the signal has); after them the rest, sorted (a 1M-label signal has 60,000 targets before).
 */
export async function reviewQueueRows(store: Store, signalId: string, limit: number, after?: ReviewCursor): Promise<LabelRecord[]> {
  if (after !== undefined && after.reviewKey >= REVIEW_SAMPLE_KEYS) return reviewQueueQuery(store, signalId, limit, 'rest', after);
  const sampled = await reviewQueueQuery(store, signalId, limit, 'sample', after);
  if (sampled.length === limit) return sampled;
  return [...sampled, ...(await reviewQueueQuery(store, signalId, limit - sampled.length, 'rest'))];
}

/** The queries of {@link reviewQueueRows}: the indexed sample, or the rest (their plans are checked in a test). */
export function reviewQueueQuery(store: Store, signalId: string, limit: number, part: 'sample' | 'rest', after?: ReviewCursor) {
  return store.db
    .select()
    .from(labels)
    .where(
      and(
        eq(labels.signalId, signalId),
        eq(labels.superseded, false),
        // As written in the partial index's condition (literals, not parameters), so both planners can use it.
        part === 'sample'
          ? sql`${labels.judge} <> 'human' and ${labels.reviewKey} < ${sql.raw(String(REVIEW_SAMPLE_KEYS))}`
          : sql`${labels.judge} <> 'human' and ${labels.reviewKey} >= ${sql.raw(String(REVIEW_SAMPLE_KEYS))}`,
        after === undefined ? undefined : sql`(${labels.reviewKey}, ${labels.id}) > (${after.reviewKey}, ${after.id})`,
      ),
    )
    .orderBy(labels.reviewKey, labels.id)
    .limit(limit);
}

/** One human label by id (undefined when there is none, or it is a machine's). */
export async function humanLabelById(store: Store, signalId: string, id: string): Promise<LabelRecord | undefined> {
  const [row] = await store.db
    .select()
    .from(labels)
    .where(and(eq(labels.id, id), eq(labels.signalId, signalId), eq(labels.judge, 'human')))
    .limit(1);
  return row;
}

/** Removes one human label and makes the target's label before it current again (the reviewer's undo). */
export async function removeHumanLabel(store: Store, row: LabelRecord): Promise<void> {
  await store.batch([
    store.db.delete(labels).where(and(eq(labels.id, row.id), eq(labels.judge, 'human'))),
    ...currentLabelStatements(store, row),
  ]);
}

/** A target's newest human label of a signal (what a review just stored). */
export async function newestHumanLabel(
  store: Store,
  t: { signalId: string; targetKind: 'span' | 'trace' | 'session'; agent: string; targetId: string },
): Promise<LabelRecord | undefined> {
  const [row] = await store.db
    .select()
    .from(labels)
    .where(and(eq(labels.signalId, t.signalId), eq(labels.judge, 'human'), eq(labels.targetKind, t.targetKind), eq(labels.agent, t.agent), eq(labels.targetId, t.targetId)))
    .orderBy(sql`${labels.labelledAt} desc`, sql`${labels.id} desc`)
    .limit(1);
  return row;
}

/** The first (newest) valued row of each target, from rows ordered newest first. */
function newestPerTarget<R extends { targetKind: string; agent: string; targetId: string; value: string | null }>(rows: R[]): (R & { value: string })[] {
  const seen = new Set<string>();
  const out: (R & { value: string })[] = [];
  for (const r of rows) {
    const key = `${r.targetKind}\0${r.agent}\0${r.targetId}`;
    if (r.value === null || seen.has(key)) continue;
    seen.add(key);
    out.push({ ...r, value: r.value });
  }
  return out;
}
