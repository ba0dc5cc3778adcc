import { and, asc, count as sqlCount, eq, getTableColumns, gt, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { CapturedSpan } from '../formats/captured-span.js';
import { agents, sessions, spans, traces } from './schema.js';
import type { Store, StoreStatement } from './types.js';

/** A stored span row. */
export type SpanRow = typeof spans.$inferSelect;
/** A stored trace row. */
export type TraceRow = typeof traces.$inferSelect;
/** A stored session row. */
export type SessionRow = typeof sessions.$inferSelect;

/** Unix nanoseconds (decimal string) → milliseconds; 0 for a malformed value. */
export function nsToMs(ns: string): number {
  return /^\d+$/.test(ns) ? Number(BigInt(ns) / 1_000_000n) : 0;
}

/** Columns of a table: a multi-row insert binds one parameter per column per row (defaults included). */
export function columnCount(table: Parameters<typeof getTableColumns>[0]): number {
  return Object.keys(getTableColumns(table)).length;
}

/** Splits rows so one multi-row statement stays under the driver's parameter cap. */
export function chunk<T>(rows: T[], columns: number, maxParams: number): T[][] {
  const size = Math.max(1, Math.floor(maxParams / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** The stored row of a captured span received at `now`. */
export function spanRow(s: CapturedSpan, now: number): SpanRow {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    agent: s.agent,
    sessionId: s.sessionId,
    convention: s.convention,
    kind: s.kind,
    model: s.model,
    startNs: s.startTimeUnixNano,
    endNs: s.endTimeUnixNano,
    startMs: nsToMs(s.startTimeUnixNano),
    endMs: nsToMs(s.endTimeUnixNano),
    messages: s.messages,
    messageCount: s.messages.length,
    unreadable: s.unreadable,
    receivedAt: now,
  };
}

const SPAN_COLUMNS = columnCount(spans);

/**
 * The statements storing the spans not stored yet, with their traces, sessions and agents, for the caller to
 * commit in one batch with what must not be lost apart from them (their span-scope labels and LLM jobs).
 * Trace and session revisions are recounted from the spans table (not incremented), so they are exact even if
 * a batch is retried.
 */
export async function spanStatements(store: Store, input: CapturedSpan[], now: number): Promise<{ fresh: CapturedSpan[]; statements: StoreStatement[] }> {
  // Duplicates inside one export count once.
  const unique = new Map<string, CapturedSpan>();
  for (const s of input) unique.set(`${s.traceId}\0${s.spanId}`, s);
  const candidates = [...unique.values()];
  if (candidates.length === 0) return { fresh: [], statements: [] };

  const existing = new Set<string>();
  for (const part of chunk(candidates, 1, store.maxParams)) {
    const rows = await store.db
      .select({ traceId: spans.traceId, spanId: spans.spanId })
      .from(spans)
      .where(inArray(spans.spanId, part.map((s) => s.spanId)));
    for (const r of rows) existing.add(`${r.traceId}\0${r.spanId}`);
  }
  const fresh = candidates.filter((s) => !existing.has(`${s.traceId}\0${s.spanId}`));
  if (fresh.length === 0) return { fresh, statements: [] };

  const statements: StoreStatement[] = [];
  const rows = fresh.map((s) => spanRow(s, now));
  for (const part of chunk(rows, SPAN_COLUMNS, store.maxParams)) {
    statements.push(store.db.insert(spans).values(part).onConflictDoNothing());
  }

  const byTrace = new Map<string, { agent: string; sessionId: string | null; root: SpanRow | null; start: number; end: number }>();
  for (const r of rows) {
    let t = byTrace.get(r.traceId);
    if (t === undefined) {
      t = { agent: r.agent, sessionId: r.sessionId, root: null, start: r.startMs, end: r.endMs };
      byTrace.set(r.traceId, t);
    }
    t.sessionId ??= r.sessionId;
    if (r.parentSpanId === '') t.root = r;
    t.start = Math.min(t.start, r.startMs);
    t.end = Math.max(t.end, r.endMs);
  }
  // Multi-row upserts, then one recount per table: revisions come from the stored spans (exact even if a batch
  // is retried). Drizzle has no builder for scalar subqueries or min/max of two values, hence the sql`` fragments.
  const traceRows = [...byTrace].map(([id, t]) => ({
    id,
    agent: t.agent,
    sessionId: t.sessionId,
    rootName: t.root?.name ?? null,
    rootEnded: t.root !== null,
    startMs: t.start,
    endMs: t.end,
    revision: 0,
    lastActivity: now,
  }));
  for (const part of chunk(traceRows, columnCount(traces), store.maxParams - 1)) {
    statements.push(
      store.db
        .insert(traces)
        .values(part)
        .onConflictDoUpdate({
          target: traces.id,
          set: {
            sessionId: sql`coalesce(${traces.sessionId}, excluded.session_id)`,
            rootName: sql`coalesce(excluded.root_name, ${traces.rootName})`,
            rootEnded: sql`max(${traces.rootEnded}, excluded.root_ended)`,
            startMs: sql`min(${traces.startMs}, excluded.start_ms)`,
            endMs: sql`max(${traces.endMs}, excluded.end_ms)`,
            lastActivity: now,
          },
        }),
    );
  }
  for (const part of chunk([...byTrace.keys()], 1, store.maxParams)) {
    statements.push(
      store.db
        .update(traces)
        .set({ revision: sql`(select count(*) from ${spans} where ${spans.traceId} = ${traces.id})` })
        .where(inArray(traces.id, part)),
    );
  }

  const bySession = new Map<string, { agent: string; start: number; end: number }>();
  for (const t of byTrace.values()) {
    if (t.sessionId === null) continue;
    const s = bySession.get(t.sessionId);
    if (s === undefined) bySession.set(t.sessionId, { agent: t.agent, start: t.start, end: t.end });
    else {
      s.start = Math.min(s.start, t.start);
      s.end = Math.max(s.end, t.end);
    }
  }
  const sessionRows = [...bySession].map(([id, s]) => ({ id, agent: s.agent, startMs: s.start, endMs: s.end, revision: 0, lastActivity: now }));
  for (const part of chunk(sessionRows, columnCount(sessions), store.maxParams - 1)) {
    statements.push(
      store.db
        .insert(sessions)
        .values(part)
        .onConflictDoUpdate({
          target: sessions.id,
          set: { startMs: sql`min(${sessions.startMs}, excluded.start_ms)`, endMs: sql`max(${sessions.endMs}, excluded.end_ms)`, lastActivity: now },
        }),
    );
  }
  for (const part of chunk([...bySession.keys()], 1, store.maxParams)) {
    statements.push(
      store.db
        .update(sessions)
        .set({
          revision: sql`(select count(*) from ${spans} where ${spans.traceId} in (select ${traces.id} from ${traces} where ${traces.sessionId} = ${sessions.id}))`,
        })
        .where(inArray(sessions.id, part)),
    );
  }

  const byAgent = new Map<string, { first: number; last: number }>();
  for (const r of rows) {
    const a = byAgent.get(r.agent);
    if (a === undefined) byAgent.set(r.agent, { first: r.startMs, last: r.endMs });
    else {
      a.first = Math.min(a.first, r.startMs);
      a.last = Math.max(a.last, r.endMs);
    }
  }
  for (const [id, a] of byAgent) {
    statements.push(
      store.db
        .insert(agents)
        .values({ id, firstSeen: a.first, lastSeen: a.last })
        .onConflictDoUpdate({
          target: agents.id,
          set: { firstSeen: sql`min(${agents.firstSeen}, excluded.first_seen)`, lastSeen: sql`max(${agents.lastSeen}, excluded.last_seen)` },
        }),
    );
  }

  return { fresh, statements };
}

/** Traces whose root span has ended, quiet since `quietBefore`, with spans not yet labelled at trace scope. */
export async function dueTraces(store: Store, quietBefore: number, limit: number): Promise<TraceRow[]> {
  return store.db
    .select()
    .from(traces)
    .where(and(lte(traces.lastActivity, quietBefore), eq(traces.rootEnded, true), gt(traces.revision, traces.settledRevision)))
    .orderBy(asc(traces.lastActivity))
    .limit(limit);
}

/** Sessions idle since `quietBefore` with spans not yet labelled at session scope (new or resumed). */
export async function dueSessions(store: Store, quietBefore: number, limit: number): Promise<SessionRow[]> {
  return store.db
    .select()
    .from(sessions)
    .where(and(lte(sessions.lastActivity, quietBefore), gt(sessions.revision, sessions.settledRevision)))
    .orderBy(asc(sessions.lastActivity))
    .limit(limit);
}

/** Statement recording that a trace was labelled at `revision`. */
export function markTraceSettled(store: Store, id: string, revision: number): StoreStatement {
  return store.db.update(traces).set({ settledRevision: revision }).where(and(eq(traces.id, id), lt(traces.settledRevision, revision)));
}

/** Statement recording that a session was labelled at `revision`. */
export function markSessionSettled(store: Store, id: string, revision: number): StoreStatement {
  return store.db
    .update(sessions)
    .set({ settledRevision: revision })
    .where(and(eq(sessions.id, id), lt(sessions.settledRevision, revision)));
}

/** The spans of one trace in start order. */
export async function traceSpans(store: Store, traceId: string): Promise<SpanRow[]> {
  return store.db.select().from(spans).where(eq(spans.traceId, traceId)).orderBy(asc(spans.startMs), asc(spans.spanId));
}

/** The spans of every trace of one session, in start order. */
export async function sessionSpans(store: Store, sessionId: string): Promise<SpanRow[]> {
  return store.db
    .select()
    .from(spans)
    .where(inArray(spans.traceId, store.db.select({ id: traces.id }).from(traces).where(eq(traces.sessionId, sessionId))))
    .orderBy(asc(spans.startMs), asc(spans.spanId));
}

/** One span by its span id. */
export async function spanById(store: Store, spanId: string): Promise<SpanRow | undefined> {
  const [row] = await store.db.select().from(spans).where(eq(spans.spanId, spanId)).limit(1);
  return row;
}

/** One trace row. */
export async function traceById(store: Store, id: string): Promise<TraceRow | undefined> {
  const [row] = await store.db.select().from(traces).where(eq(traces.id, id)).limit(1);
  return row;
}

/** One session row. */
export async function sessionById(store: Store, id: string): Promise<SessionRow | undefined> {
  const [row] = await store.db.select().from(sessions).where(eq(sessions.id, id)).limit(1);
  return row;
}

/** A target reference listed from stored traffic, in (`at`, `id`) order so a cursor can resume after it. */
export interface TargetRef {
  id: string;
  agent: string;
  at: number;
  revision: number;
}

/** Window and agent of a target listing; `after` is a cursor `at:id` from a previous page. */
export interface TargetWindow {
  agent: string;
  since: number;
  until: number;
  after?: { at: number; id: string };
  limit: number;
}

/**
 * Targets of one kind of one agent (`*` for all) whose traffic time (end) falls in [since, until), ordered by
 * time then id: LLM-call spans with messages, complete traces, sessions.
 */
export async function listTargets(store: Store, kind: 'span' | 'trace' | 'session', w: TargetWindow): Promise<TargetRef[]> {
  if (kind === 'span') {
    const rows = await store.db
      .select({ id: spans.spanId, agent: spans.agent, at: spans.endMs })
      .from(spans)
      .where(
        and(
          w.agent === '*' ? undefined : eq(spans.agent, w.agent),
          gte(spans.endMs, w.since),
          lt(spans.endMs, w.until),
          eq(spans.kind, 'llm'),
          gt(spans.messageCount, 0),
          w.after === undefined ? undefined : or(gt(spans.endMs, w.after.at), and(eq(spans.endMs, w.after.at), gt(spans.spanId, w.after.id))),
        ),
      )
      .orderBy(asc(spans.endMs), asc(spans.spanId))
      .limit(w.limit);
    return rows.map((r) => ({ ...r, revision: 1 }));
  }
  const table = kind === 'trace' ? traces : sessions;
  return store.db
    .select({ id: table.id, agent: table.agent, at: table.endMs, revision: table.revision })
    .from(table)
    .where(
      and(
        w.agent === '*' ? undefined : eq(table.agent, w.agent),
        gte(table.endMs, w.since),
        lt(table.endMs, w.until),
        kind === 'trace' ? eq(traces.rootEnded, true) : undefined,
        w.after === undefined ? undefined : or(gt(table.endMs, w.after.at), and(eq(table.endMs, w.after.at), gt(table.id, w.after.id))),
      ),
    )
    .orderBy(asc(table.endMs), asc(table.id))
    .limit(w.limit);
}

/** How many targets `listTargets` would list over the whole window. */
export async function countTargets(store: Store, kind: 'span' | 'trace' | 'session', w: Omit<TargetWindow, 'limit' | 'after'>): Promise<number> {
  const table = kind === 'span' ? spans : kind === 'trace' ? traces : sessions;
  const end = kind === 'span' ? spans.endMs : kind === 'trace' ? traces.endMs : sessions.endMs;
  const agent = kind === 'span' ? spans.agent : kind === 'trace' ? traces.agent : sessions.agent;
  const [row] = await store.db
    .select({ n: sqlCount() })
    .from(table)
    .where(
      and(
        w.agent === '*' ? undefined : eq(agent, w.agent),
        gte(end, w.since),
        lt(end, w.until),
        kind === 'span' ? and(eq(spans.kind, 'llm'), gt(spans.messageCount, 0)) : kind === 'trace' ? eq(traces.rootEnded, true) : undefined,
      ),
    );
  return Number(row?.n ?? 0);
}

/** Per-agent traffic counts and first/last seen. */
export async function agentTotals(store: Store): Promise<{ agent: string; firstSeen: number; lastSeen: number; sessions: number; traces: number; spans: number }[]> {
  const list = await store.db.select().from(agents).orderBy(asc(agents.id));
  const count = async (rows: Promise<{ agent: string; n: number }[]>) => new Map((await rows).map((r) => [r.agent, r.n]));
  const [sp, tr, se] = await Promise.all([
    count(store.db.select({ agent: spans.agent, n: sqlCount() }).from(spans).groupBy(spans.agent)),
    count(store.db.select({ agent: traces.agent, n: sqlCount() }).from(traces).groupBy(traces.agent)),
    count(store.db.select({ agent: sessions.agent, n: sqlCount() }).from(sessions).groupBy(sessions.agent)),
  ]);
  return list.map((a) => ({
    agent: a.id,
    firstSeen: a.firstSeen,
    lastSeen: a.lastSeen,
    sessions: se.get(a.id) ?? 0,
    traces: tr.get(a.id) ?? 0,
    spans: sp.get(a.id) ?? 0,
  }));
}

/** Traces per agent and per bucket of `bucketMs` over [since, until), by trace end (the dashboard's traffic chart). */
export async function trafficBuckets(
  store: Store,
  w: { agent?: string; since: number; until: number; bucketMs: number },
): Promise<{ agent: string; bucket: number; n: number }[]> {
  // Integer division buckets the end time, as labelBuckets does; Drizzle has no builder for arithmetic, hence sql``.
  const bucket = sql<number>`cast((${traces.endMs} - ${w.since}) / ${w.bucketMs} as integer)`;
  const rows = await store.db
    .select({ agent: traces.agent, bucket, n: sqlCount() })
    .from(traces)
    .where(and(w.agent === undefined ? undefined : eq(traces.agent, w.agent), gte(traces.endMs, w.since), lt(traces.endMs, w.until)))
    .groupBy(traces.agent, bucket);
  return rows.map((r) => ({ agent: r.agent, bucket: Number(r.bucket), n: Number(r.n) }));
}

/** The spans of many traces at once, grouped by trace id, each group in start order. */
export async function spansOfTraces(store: Store, traceIds: string[]): Promise<Map<string, SpanRow[]>> {
  const out = new Map<string, SpanRow[]>();
  for (const part of chunk(traceIds, 1, store.maxParams)) {
    const rows = await store.db.select().from(spans).where(inArray(spans.traceId, part)).orderBy(asc(spans.startMs), asc(spans.spanId));
    for (const r of rows) {
      const list = out.get(r.traceId);
      if (list === undefined) out.set(r.traceId, [r]);
      else list.push(r);
    }
  }
  return out;
}

/** The spans of many sessions at once (through their traces), grouped by session id, each group in start order. */
export async function spansOfSessions(store: Store, sessionIds: string[]): Promise<Map<string, SpanRow[]>> {
  const sessionOf = new Map<string, string>();
  for (const part of chunk(sessionIds, 1, store.maxParams)) {
    const rows = await store.db.select({ id: traces.id, sessionId: traces.sessionId }).from(traces).where(inArray(traces.sessionId, part));
    for (const r of rows) if (r.sessionId !== null) sessionOf.set(r.id, r.sessionId);
  }
  const out = new Map<string, SpanRow[]>();
  for (const [traceId, list] of await spansOfTraces(store, [...sessionOf.keys()])) {
    const id = sessionOf.get(traceId)!;
    const all = out.get(id);
    if (all === undefined) out.set(id, list);
    else all.push(...list);
  }
  for (const list of out.values()) list.sort((a, b) => a.startMs - b.startMs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0));
  return out;
}

/** Spans by span id, each as a one-span group. */
export async function spansBySpanId(store: Store, spanIds: string[]): Promise<Map<string, SpanRow[]>> {
  const out = new Map<string, SpanRow[]>();
  for (const part of chunk(spanIds, 1, store.maxParams)) {
    for (const r of await store.db.select().from(spans).where(inArray(spans.spanId, part))) if (!out.has(r.spanId)) out.set(r.spanId, [r]);
  }
  return out;
}
