import { and, desc, eq, gte, inArray, lt, ne, or, sql } from 'drizzle-orm';
import { labels } from './schema.js';
import { chunk, columnCount } from './traffic.js';
import type { Store, StoreStatement } from './types.js';

/** A stored label row. */
export type LabelRecord = typeof labels.$inferSelect;
/** A label to insert (`id` and `superseded` are filled in). */
export type NewLabel = Omit<typeof labels.$inferInsert, 'id' | 'superseded'>;

const LABEL_COLUMNS = columnCount(labels);

/**
 * Statements writing labels: inserted unless that (signal, version, target, revision) is labelled already, then
 * every older label of a target that had labels before is marked superseded (the latest stays shown).
 * Returned as statements so callers commit them in the same batch as their progress (run cursor, job state).
 */
export async function labelStatements(store: Store, rows: NewLabel[]): Promise<StoreStatement[]> {
  if (rows.length === 0) return [];
  const statements: StoreStatement[] = [];
  const withIds = rows.map((r) => ({ ...r, id: crypto.randomUUID(), superseded: false }));
  for (const part of chunk(withIds, LABEL_COLUMNS, store.maxParams)) {
    statements.push(store.db.insert(labels).values(part).onConflictDoNothing());
  }
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
      const found = await store.db
        .selectDistinct({ targetId: labels.targetId })
        .from(labels)
        .where(
          and(eq(labels.signalId, signalId), eq(labels.targetKind, targetKind), eq(labels.agent, agent), inArray(labels.targetId, part.map((r) => r.targetId))),
        );
      for (const f of found) seen.add(`${signalId}\0${targetKind}\0${agent}\0${f.targetId}`);
    }
  }
  const done = new Set<string>();
  for (const r of rows) {
    const key = `${r.signalId}\0${r.targetKind}\0${r.agent}\0${r.targetId}`;
    if (!seen.has(key) || done.has(key)) continue;
    done.add(key);
    // Inserted rows are current already; only the others need marking.
    statements.push(currentLabelStatements(store, r)[0]);
  }
  return statements;
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

/** Which of these targets this signal version's judge has labelled already at that revision, as `agent\0id\0revision` keys. */
export async function labelledTargets(
  store: Store,
  signalId: string,
  version: number,
  kind: 'span' | 'trace' | 'session',
  targets: { agent: string; id: string; revision: string }[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunk(targets, 1, store.maxParams - 3)) {
    const rows = await store.db
      .select({ agent: labels.agent, targetId: labels.targetId, revision: labels.revision })
      .from(labels)
      .where(
        and(
          eq(labels.signalId, signalId),
          eq(labels.version, version),
          eq(labels.targetKind, kind),
          inArray(labels.targetId, part.map((t) => t.id)),
          // Machine labels only (what labels_key covers): a reviewer's label does not stop the judge labelling.
          ne(labels.judge, 'human'),
        ),
      );
    for (const r of rows) out.add(`${r.agent}\0${r.targetId}\0${r.revision}`);
  }
  return out;
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
        f.before === undefined ? undefined : or(lt(labels.at, f.before.at), and(eq(labels.at, f.before.at), lt(labels.id, f.before.id))),
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

/** Current (non-superseded) label counts per value and per bucket of `bucketMs` over [since, until). */
export async function labelBuckets(
  store: Store,
  signalId: string,
  since: number,
  until: number,
  bucketMs: number,
): Promise<{ bucket: number; key: string; n: number }[]> {
  const rows = await labelBucketsQuery(store, signalId, since, until, bucketMs);
  return rows.map((r) => ({ bucket: Number(r.bucket), key: r.key, n: Number(r.n) }));
}

/** The query of {@link labelBuckets}: an index-only scan of `labels_signal_current` over the window. */
export function labelBucketsQuery(store: Store, signalId: string, since: number, until: number, bucketMs: number) {
  // Integer division buckets the traffic time; Drizzle has no builder for arithmetic, hence sql``.
  const bucket = sql<number>`cast((${labels.at} - ${since}) / ${bucketMs} as integer)`;
  return store.db
    .select({ bucket, key: countKey, n: sql<number>`count(*)` })
    .from(labels)
    .where(and(eq(labels.signalId, signalId), eq(labels.superseded, false), gte(labels.at, since), lt(labels.at, until)))
    // By position: PostgreSQL does not see the bucket's expression with fresh parameters as the one selected.
    .groupBy(sql`1`, sql`2`);
}

/** Headline numbers per signal: labelled targets (all time) and counts per value since `since`. */
export async function labelHeadlines(
  store: Store,
  signalIds: string[],
  since: number,
): Promise<Map<string, { labelled: number; recent: Record<string, number> }>> {
  const out = new Map<string, { labelled: number; recent: Record<string, number> }>();
  for (const id of signalIds) out.set(id, { labelled: 0, recent: {} });
  if (signalIds.length === 0) return out;
  for (const part of chunk(signalIds, 1, store.maxParams - 2)) {
    const queries = labelHeadlineQueries(store, part, since);
    for (const t of await queries.totals) out.get(t.signalId)!.labelled = Number(t.n);
    for (const r of await queries.recent) out.get(r.signalId)!.recent[r.key] = Number(r.n);
  }
  return out;
}

/** The two queries of {@link labelHeadlines} for some signals (index-only scans of `labels_signal_current`). */
export function labelHeadlineQueries(store: Store, signalIds: string[], since: number) {
  return {
    totals: store.db
      .select({ signalId: labels.signalId, n: sql<number>`count(*)` })
      .from(labels)
      .where(and(inArray(labels.signalId, signalIds), eq(labels.superseded, false)))
      .groupBy(labels.signalId),
    recent: store.db
      .select({ signalId: labels.signalId, key: countKey, n: sql<number>`count(*)` })
      .from(labels)
      .where(and(inArray(labels.signalId, signalIds), eq(labels.superseded, false), gte(labels.at, since)))
      .groupBy(labels.signalId, countKey),
  };
}
