import { and, desc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import { labels } from './schema.js';
import { olderThan } from './sql.js';
import { insertIgnoring } from './json-insert.js';
import { storableText } from './storable.js';
import { timeOrderedId } from './time-id.js';
import { chunk } from './traffic.js';
import { ROLLUP_SLOT_MS, rollupBucketsQuery, rollupSinceQuery, rollupSlot, rollupTotalsQuery } from './rollups.js';
import type { Store, StoreStatement } from './types.js';

/** A stored label row. */
export type LabelRecord = typeof labels.$inferSelect;
/** A label to insert (`id`, `superseded` and `reviewKey` are filled in). */
export type NewLabel = Omit<typeof labels.$inferInsert, 'id' | 'superseded' | 'reviewKey'>;

/**
 * Statements writing labels: inserted unless that (signal, version, target, revision) is labelled already, then
 * every older label of a target that had labels before is marked superseded (the latest stays shown).
 * Returned as statements so callers commit them in the same batch as their progress (run cursor, job state).
 */
export async function labelStatements(store: Store, rows: NewLabel[]): Promise<StoreStatement[]> {
  if (rows.length === 0) return [];
  const statements: StoreStatement[] = [];
  // In target key order, the inserts and the supersede updates alike: on PostgreSQL a batch inserting a key another
  // batch is inserting waits for it, and each update locks its target's label rows, so two batches relabelling the
  // same targets in different orders deadlocked; in one order for every batch the later waits (SQLite serialises
  // writers).
  const byTarget = rows.map((row) => ({ key: targetKeyOf(row), row })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // Every column given (the JSON insert applies no column defaults); on SQLite the rows travel as one JSON
  // parameter (see insertIgnoring): a multi-row values list cost Drizzle ~60 ms to build for a large export.
  const withIds = byTarget.map(({ row: r }) => ({
    ...r,
    // An explanation may quote the traffic: a NUL is kept as U+FFFD, as PostgreSQL text cannot hold one.
    explanation: storableText(r.explanation),
    value: r.value == null ? null : storableText(r.value),
    reviewer: r.reviewer == null ? null : storableText(r.reviewer),
    id: timeOrderedId(),
    requests: r.requests ?? 0,
    inputTokens: r.inputTokens ?? 0,
    outputTokens: r.outputTokens ?? 0,
    usd: r.usd ?? 0,
    superseded: false,
    reviewKey: reviewKey(r),
  }));
  statements.push(...insertIgnoring(store, labels, withIds));
  // Only targets already labelled need superseding; one query finds them for the whole set.
  const seen = new Set<string>();
  const groups = new Map<string, NewLabel[]>();
  for (const r of rows) {
    const key = `${r.signalId}\0${r.targetKind}\0${r.agent}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [r]);
    else g.push(r);
  }
  for (const g of groups.values()) {
    const { signalId, targetKind, agent } = g[0];
    for (const part of chunk(g, 1, store.maxParams - 3)) {
      const found = await labelledOfSignalQuery(store, signalId, targetKind, agent, part.map((r) => r.targetId));
      for (const f of found) seen.add(targetKeyOf({ signalId, targetKind, agent, targetId: f.targetId }));
    }
  }
  const done = new Set<string>();
  for (const { key, row } of byTarget) {
    if (!seen.has(key) || done.has(key)) continue;
    done.add(key);
    // Inserted rows are current already; only the others need marking.
    statements.push(currentLabelStatements(store, row)[0]);
  }
  return statements;
}

/** A label's target within its signal (signal, kind, agent, id): compared by code unit, the same in every process. */
function targetKeyOf(r: { signalId: string; targetKind: string; agent: string; targetId: string }): string {
  return `${r.signalId}\0${r.targetKind}\0${r.agent}\0${r.targetId}`;
}

/** Which of these targets of one agent have a label of this signal (the supersede check; its plan is checked in a test). */
export function labelledOfSignalQuery(store: Store, signalId: string, kind: 'span' | 'trace' | 'session', agent: string, ids: string[]) {
  return store.db
    .selectDistinct({ targetId: labels.targetId })
    .from(labels)
    .where(and(eq(labels.targetKind, kind), eq(labels.agent, agent), inArray(labels.targetId, ids), eq(labels.signalId, signalId)));
}

/**
 * A target's place in a signal's review queue: FNV-1a over (signal, kind, agent, id), mixed (murmur3's finaliser) so
 * neighbouring ids land far apart, cut to 28 bits (the keys the migration gave earlier labels have 28 bits too).
 */
export function reviewKey(r: { signalId: string; targetKind: string; agent: string; targetId: string }): number {
  const text = targetKeyOf(r);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) >>> 4;
}

/**
 * Statements making one target's current label the only one not superseded: its newest human label if it has one
 * (a machine never overrides a reviewer), else its latest machine label. The first marks the others superseded,
 * the second un-marks the current one (needed when a label was removed).
 */
export function currentLabelStatements(store: Store, r: { signalId: string; targetKind: 'span' | 'trace' | 'session'; agent: string; targetId: string }): StoreStatement[] {
  const sameTarget = and(eq(labels.signalId, r.signalId), eq(labels.targetKind, r.targetKind), eq(labels.agent, r.agent), eq(labels.targetId, r.targetId));
  const current = store.db
    .select({ id: labels.id })
    .from(labels)
    .where(sameTarget)
    .orderBy(
      desc(sql`case when ${labels.judge} = 'human' then 1 else 0 end`),
      desc(labels.labelledAt),
      desc(labels.version),
      desc(sql`cast(${labels.revision} as integer)`),
      desc(labels.id),
    )
    .limit(1);
  return [
    store.db.update(labels).set({ superseded: true }).where(and(sameTarget, ne(labels.id, current))),
    store.db.update(labels).set({ superseded: false }).where(and(sameTarget, eq(labels.id, current))),
  ];
}

/**
 * Targets' distinct ids by agent: reads of a target's labels go agent by agent, so `labels_target` (kind, agent, id,
 * ...) finds their rows instead of every label of the kind.
 */
export function targetIdsByAgent(targets: Iterable<{ agent: string; targetId: string }>): Map<string, string[]> {
  const sets = new Map<string, Set<string>>();
  for (const t of targets) {
    const ids = sets.get(t.agent);
    if (ids === undefined) sets.set(t.agent, new Set([t.targetId]));
    else ids.add(t.targetId);
  }
  return new Map([...sets].map(([agent, ids]) => [agent, [...ids]]));
}

/** Which of these targets this signal version's judge has labelled already at that revision, as `agent\0id\0revision` keys. */
export async function labelledTargets(
  store: Store,
  signalId: string,
  version: number,
  kind: 'span' | 'trace' | 'session',
  targets: { agent: string; id: string; revision: string }[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const [agent, ids] of targetIdsByAgent(targets.map((t) => ({ agent: t.agent, targetId: t.id })))) {
    // By agent, so labels_target (kind, agent, id, signal, version, ...) finds the rows.
    for (const part of chunk(ids, 1, store.maxParams - 5)) {
      const rows = await labelledTargetsQuery(store, signalId, version, kind, agent, part);
      for (const r of rows) out.add(`${r.agent}\0${r.targetId}\0${r.revision}`);
    }
  }
  return out;
}

/**
 * Machine labels (not reviewers') of signal `signalId` on targets `ids` of one agent: the rows the one-target index
 * keeps unique, read through it.
 */
export function machineLabelsWhere(signalId: string, kind: 'span' | 'trace' | 'session', agent: string, ids: string[]) {
  return and(eq(labels.targetKind, kind), eq(labels.agent, agent), inArray(labels.targetId, ids), eq(labels.signalId, signalId), ne(labels.judge, 'human'));
}

/** The query of {@link labelledTargets} for some targets of one agent (its plan is checked in a test). */
export function labelledTargetsQuery(store: Store, signalId: string, version: number, kind: 'span' | 'trace' | 'session', agent: string, ids: string[]) {
  return store.db
    .select({ agent: labels.agent, targetId: labels.targetId, revision: labels.revision })
    .from(labels)
    // Machine labels only: a reviewer's label does not stop the judge labelling.
    .where(and(machineLabelsWhere(signalId, kind, agent, ids), eq(labels.version, version)));
}

/** Filters of a label listing. */
export interface LabelFilter {
  signalId: string;
  value?: string;
  since?: number;
  until?: number;
  /** Include superseded labels (older revisions/versions of a target). */
  all?: boolean;
  /** Cursor: list labels strictly older than this (`at`, `id`). */
  before?: { at: number; id: string };
  limit: number;
}

/** Labels of one signal, newest traffic first. */
export async function listLabels(store: Store, f: LabelFilter): Promise<LabelRecord[]> {
  return listLabelsQuery(store, f);
}

/** The query of {@link listLabels} (its plan is checked in a test). */
export function listLabelsQuery(store: Store, f: LabelFilter) {
  return store.db
    .select()
    .from(labels)
    .where(
      and(
        eq(labels.signalId, f.signalId),
        f.all === true ? undefined : eq(labels.superseded, false),
        f.value === undefined ? undefined : eq(labels.value, f.value),
        f.since === undefined ? undefined : gte(labels.at, f.since),
        f.until === undefined ? undefined : lt(labels.at, f.until),
        f.before === undefined ? undefined : olderThan(labels.at, labels.id, f.before),
      ),
    )
    .orderBy(desc(labels.at), desc(labels.id))
    .limit(f.limit);
}

/** Every label of one target (all signals, versions and revisions), newest first. */
export async function targetLabels(store: Store, kind: 'span' | 'trace' | 'session', agent: string, id: string): Promise<LabelRecord[]> {
  return store.db
    .select()
    .from(labels)
    .where(and(eq(labels.targetKind, kind), eq(labels.agent, agent), eq(labels.targetId, id)))
    .orderBy(desc(labels.labelledAt), desc(labels.id));
}

/** `value` of a label for counting: its value, or its status when it has none (`undecided`, `error`). */
const countKey = sql<string>`coalesce(${labels.value}, ${labels.status})`;

/**
 * Current (non-superseded) label counts per value and per bucket of `bucketMs` over [since, until). Buckets that are
 * whole rollup slots from a slot start read the rollups (a row per slot and value, not per label), and only the
 * slot `until` falls in from the labels; other bucket sizes count the labels of the window.
 */
export async function labelBuckets(
  store: Store,
  signalId: string,
  since: number,
  until: number,
  bucketMs: number,
): Promise<{ bucket: number; key: string; n: number }[]> {
  const rolled = bucketMs % ROLLUP_SLOT_MS === 0 && since % ROLLUP_SLOT_MS === 0;
  const edge = rolled ? Math.min(until, Math.max(since, rollupSlot(until))) : since;
  const parts = await Promise.all([
    edge > since ? rollupBucketsQuery(store, signalId, since, edge, bucketMs) : [],
    edge < until ? labelBucketsQuery(store, signalId, edge, until, bucketMs, since) : [],
  ]);
  const out = new Map<string, { bucket: number; key: string; n: number }>();
  for (const r of parts.flat()) {
    const bucket = Number(r.bucket);
    const k = `${bucket}\0${r.key}`;
    const seen = out.get(k);
    if (seen === undefined) out.set(k, { bucket, key: r.key, n: Number(r.n) });
    else seen.n += Number(r.n);
  }
  return [...out.values()];
}

/**
 * Counts of current labels per value and bucket of `bucketMs` (numbered from `origin`) over [since, until), read
 * from the labels themselves: an index-only scan of `labels_signal_current` over the window.
 */
export function labelBucketsQuery(store: Store, signalId: string, since: number, until: number, bucketMs: number, origin = since) {
  // Integer division buckets the traffic time; Drizzle has no builder for arithmetic, hence sql``.
  const bucket = sql<number>`cast((${labels.at} - ${origin}) / ${bucketMs} as integer)`;
  return store.db
    .select({ bucket, key: countKey, n: sql<number>`count(*)` })
    .from(labels)
    .where(and(eq(labels.signalId, signalId), eq(labels.superseded, false), gte(labels.at, since), lt(labels.at, until)))
    // By position: PostgreSQL does not see the bucket's expression with fresh parameters as the one selected.
    .groupBy(sql`1`, sql`2`);
}

/**
 * Headline numbers per signal: labelled targets (current labels, all time) and counts per value since `since`, from
 * the rollups (the labels of the part of a slot before the first whole one are counted from the labels).
 */
export async function labelHeadlines(
  store: Store,
  signalIds: string[],
  since: number,
): Promise<Map<string, { labelled: number; recent: Record<string, number> }>> {
  const out = new Map<string, { labelled: number; recent: Record<string, number> }>();
  for (const id of signalIds) out.set(id, { labelled: 0, recent: {} });
  if (signalIds.length === 0) return out;
  for (const part of chunk(signalIds, 1, store.maxParams - 3)) {
    const queries = labelHeadlineQueries(store, part, since);
    const [totals, recent, edge] = await Promise.all([queries.totals, queries.recent, queries.recentEdge ?? []]);
    for (const t of totals) out.get(t.signalId)!.labelled += Number(t.n);
    for (const r of [...recent, ...edge]) {
      const counts = out.get(r.signalId)!.recent;
      const n = (counts[r.key] ?? 0) + Number(r.n);
      if (n === 0) delete counts[r.key];
      else counts[r.key] = n;
    }
  }
  return out;
}

/**
 * The queries of {@link labelHeadlines} for some signals: totals and recent counts from the rollups (primary-key
 * searches), and the labels from `since` to the next slot start from `labels_signal_current` (none when aligned).
 */
export function labelHeadlineQueries(store: Store, signalIds: string[], since: number) {
  const firstSlot = rollupSlot(since) === since ? since : rollupSlot(since) + ROLLUP_SLOT_MS;
  return {
    totals: rollupTotalsQuery(store, signalIds),
    recent: rollupSinceQuery(store, signalIds, firstSlot),
    recentEdge:
      firstSlot === since
        ? undefined
        : store.db
            .select({ signalId: labels.signalId, key: countKey, n: sql<number>`count(*)` })
            .from(labels)
            .where(and(inArray(labels.signalId, signalIds), eq(labels.superseded, false), gte(labels.at, since), lt(labels.at, firstSlot)))
            .groupBy(labels.signalId, countKey),
  };
}
