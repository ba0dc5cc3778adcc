import { and, asc, count as sqlCount, desc, eq, getTableColumns, gt, gte, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { appendAll } from '../formats/append-all.js';
import type { CapturedSpan } from '../formats/captured-span.js';
import { agents, sessions, spanLogs, spans, traces } from './schema.js';
import type { Store, StoreStatement } from './types.js';
import { larger, smaller } from './sql.js';
import { insertIgnoring, jsonRowParts } from './json-insert.js';
import { inList, listParts } from './json-list.js';
import { conversationOf, MessageCollector, messageStatements, readMessages } from './span-messages.js';

/** A span row as the spans table holds it (messages by reference). */
export type StoredSpanRow = typeof spans.$inferSelect;
/** A stored span with its messages read back (what every reader of span content gets). */
export type SpanRow = Omit<StoredSpanRow, 'messageRefs'> & { messages: unknown[] };
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

/** A stored span row back as the span reader produced it. */
export function capturedOf(r: SpanRow): CapturedSpan {
  return {
    traceId: r.traceId,
    spanId: r.spanId,
    parentSpanId: r.parentSpanId,
    name: r.name,
    agent: r.agent,
    ...(r.agentFallback ? { agentFallback: true } : {}),
    ...(r.service !== null ? { service: r.service } : {}),
    sessionId: r.sessionId,
    convention: r.convention as CapturedSpan['convention'],
    kind: r.kind,
    startTimeUnixNano: r.startNs,
    endTimeUnixNano: r.endNs,
    model: r.model,
    messages: r.messages as CapturedSpan['messages'],
    unreadable: r.unreadable,
  };
}

/** The row of a captured span received at `now` (its conversation: its own session, else its trace). */
export function spanRow(s: CapturedSpan, now: number): SpanRow {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    agent: s.agent,
    agentFallback: s.agentFallback === true,
    service: s.service ?? null,
    sessionId: s.sessionId,
    convention: s.convention,
    conversation: conversationOf(s.traceId, s.sessionId),
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

/** A trace, session or span target as stored: identified by its id within its agent. */
export interface TargetKey {
  agent: string;
  id: string;
}

/** Map key of a (agent, id) pair. */
export function keyOf(agent: string, id: string): string {
  return `${agent}\0${id}`;
}

/** Orders keys by code unit, the same in every process (no locale). */
function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The statements storing the spans not stored yet, with their traces, sessions and agents, for the caller to
 * commit in one batch with what must not be lost apart from them (their span-scope labels and LLM jobs).
 * Everything is keyed within the span's agent: two agents sending the same trace or session id never share a
 * row. Trace and session revisions are recounted from the spans table and the log records joined to those spans
 * (not incremented), so they are exact even if a batch is retried, and content that arrives later as log records
 * makes a new revision (labelled again). `tick` (the caller's slicer) is awaited between spans while their
 * messages are serialized and hashed.
 */
export async function spanStatements(
  store: Store,
  input: CapturedSpan[],
  now: number,
  tick: () => Promise<void> = async () => {},
): Promise<{ fresh: CapturedSpan[]; statements: StoreStatement[] }> {
  // Duplicates inside one export count once.
  const spanKey = (agent: string, traceId: string, spanId: string) => `${agent}\0${traceId}\0${spanId}`;
  const unique = new Map<string, CapturedSpan>();
  for (const s of input) unique.set(spanKey(s.agent, s.traceId, s.spanId), s);
  const candidates = [...unique.values()];
  if (candidates.length === 0) return { fresh: [], statements: [] };

  const existing = new Set<string>();
  for (const part of listParts(store, [...new Set(candidates.map((s) => s.spanId))])) {
    const rows = await store.db
      .select({ agent: spans.agent, traceId: spans.traceId, spanId: spans.spanId })
      .from(spans)
      .where(inList(store, spans.spanId, part));
    for (const r of rows) existing.add(spanKey(r.agent, r.traceId, r.spanId));
  }
  const fresh = candidates.filter((s) => !existing.has(spanKey(s.agent, s.traceId, s.spanId)));
  if (fresh.length === 0) return { fresh, statements: [] };

  // In key order, as every row this batch writes: concurrent batches on PostgreSQL then take their row locks in one
  // order and wait for each other instead of deadlocking (SQLite serialises writers; PostgreSQL does not).
  const keyed = fresh.map((s) => ({ key: spanKey(s.agent, s.traceId, s.spanId), row: spanRow(s, now) }));
  const rows = keyed.sort((a, b) => byKey(a.key, b.key)).map((k) => k.row);
  await withConversations(store, rows);
  const collector = new MessageCollector();
  // Serializing and hashing every span's history is the longest piece of an export's statements (~200 ms for a
  // 4 MB export): `tick` lets the caller's event loop run between spans.
  const stored: StoredSpanRow[] = [];
  for (const { messages, ...r } of rows) {
    stored.push({ ...r, ...collector.add(r.agent, r.conversation, messages) });
    await tick();
  }
  const statements = await messageStatements(store, collector.rows());
  await tick();
  statements.push(...insertIgnoring(store, spans, stored));
  statements.push(...rollupStatements(store, rows, now));
  return { fresh, statements };
}

/**
 * Sets the conversation of spans that name no session to their trace's session where another span of the batch or
 * the stored trace names it (an LLM span under an agent span that carries the session id), so a session's traces
 * share their messages.
 */
async function withConversations(store: Store, rows: SpanRow[]): Promise<void> {
  const sessionOf = new Map<string, string>();
  for (const r of rows) if (r.sessionId !== null) sessionOf.set(keyOf(r.agent, r.traceId), r.sessionId);
  const unknown = rows.filter((r) => r.sessionId === null && r.messageCount > 0 && !sessionOf.has(keyOf(r.agent, r.traceId)));
  if (unknown.length > 0) {
    const wanted = new Set(unknown.map((r) => keyOf(r.agent, r.traceId)));
    for (const part of listParts(store, [...new Set(unknown.map((r) => r.traceId))])) {
      const found = await store.db.select({ agent: traces.agent, id: traces.id, sessionId: traces.sessionId }).from(traces).where(inList(store, traces.id, part));
      for (const t of found) if (t.sessionId !== null && wanted.has(keyOf(t.agent, t.id))) sessionOf.set(keyOf(t.agent, t.id), t.sessionId);
    }
  }
  for (const r of rows) {
    const session = r.sessionId ?? sessionOf.get(keyOf(r.agent, r.traceId)) ?? null;
    r.conversation = conversationOf(r.traceId, session);
  }
}

/**
 * The statements replacing the messages of stored spans (log records that joined them), in each span's conversation.
 */
export async function spanContentStatements(store: Store, rows: SpanRow[]): Promise<StoreStatement[]> {
  const collector = new MessageCollector();
  const updates = rows.map((r) => ({ r, content: collector.add(r.agent, r.conversation, r.messages) }));
  const statements = await messageStatements(store, collector.rows());
  for (const { r, content } of updates) {
    statements.push(
      store.db
        .update(spans)
        .set({ messageRefs: content.messageRefs, messageCount: r.messageCount, unreadable: r.unreadable, convention: r.convention, kind: r.kind })
        .where(and(eq(spans.agent, r.agent), eq(spans.traceId, r.traceId), eq(spans.spanId, r.spanId))),
    );
  }
  return statements;
}

/** Stored span rows with their messages read back; a span whose messages are not all stored reads as unreadable. */
export async function withMessages(store: Store, rows: StoredSpanRow[]): Promise<SpanRow[]> {
  const read = await readMessages(store, rows);
  return rows.map(({ messageRefs, ...r }) => {
    const messages = read({ agent: r.agent, conversation: r.conversation, messageRefs });
    return messages === null ? { ...r, messages: [], unreadable: true } : { ...r, messages };
  });
}

/**
 * Statements upserting the trace, session and agent rows of `rows` (spans being stored, or moved) and recounting
 * the revisions of their traces and sessions from the spans table.
 */
export function rollupStatements(store: Store, rows: SpanRow[], now: number): StoreStatement[] {
  const statements: StoreStatement[] = [];
  const byTrace = new Map<string, { agent: string; id: string; sessionId: string | null; root: SpanRow | null; start: number; end: number }>();
  for (const r of rows) {
    const key = keyOf(r.agent, r.traceId);
    let t = byTrace.get(key);
    if (t === undefined) {
      t = { agent: r.agent, id: r.traceId, sessionId: r.sessionId, root: null, start: r.startMs, end: r.endMs };
      byTrace.set(key, t);
    }
    t.sessionId ??= r.sessionId;
    if (r.parentSpanId === '') t.root = r;
    t.start = Math.min(t.start, r.startMs);
    t.end = Math.max(t.end, r.endMs);
  }
  // Upserts, then one recount per table: revisions come from the stored spans (exact even if a batch is retried).
  // Upserts in key order, so concurrent batches lock their rows in the same order (see spanStatements).
  const traceRows = [...byTrace.entries()].sort(([a], [b]) => byKey(a, b)).map(([, t]) => ({
    agent: t.agent,
    id: t.id,
    sessionId: t.sessionId,
    rootName: t.root?.name ?? null,
    rootEnded: t.root !== null,
    startMs: t.start,
    endMs: t.end,
    revision: 0,
    lastActivity: now,
  }));
  const sessionRows = sessionRowsOf(byTrace.values(), now);
  statements.push(...((store.dialect === 'sqlite' ? sqliteRollupStatements(store, traceRows, sessionRows, now) : null) ?? builtRollupStatements(store, traceRows, sessionRows, now)));

  const byAgent = new Map<string, { first: number; last: number }>();
  for (const r of rows) {
    const a = byAgent.get(r.agent);
    if (a === undefined) byAgent.set(r.agent, { first: r.startMs, last: r.endMs });
    else {
      a.first = Math.min(a.first, r.startMs);
      a.last = Math.max(a.last, r.endMs);
    }
  }
  for (const [id, a] of [...byAgent].sort(([x], [y]) => byKey(x, y))) {
    statements.push(
      store.db
        .insert(agents)
        .values({ id, firstSeen: a.first, lastSeen: a.last })
        .onConflictDoUpdate({
          target: agents.id,
          set: { firstSeen: smaller(agents.firstSeen, sql`excluded.first_seen`), lastSeen: larger(agents.lastSeen, sql`excluded.last_seen`) },
        }),
    );
  }
  return statements;
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
export function markTraceSettled(store: Store, key: TargetKey, revision: number): StoreStatement {
  return store.db
    .update(traces)
    .set({ settledRevision: revision })
    .where(and(eq(traces.agent, key.agent), eq(traces.id, key.id), lt(traces.settledRevision, revision)));
}

/** Statement recording that a session was labelled at `revision`. */
export function markSessionSettled(store: Store, key: TargetKey, revision: number): StoreStatement {
  return store.db
    .update(sessions)
    .set({ settledRevision: revision })
    .where(and(eq(sessions.agent, key.agent), eq(sessions.id, key.id), lt(sessions.settledRevision, revision)));
}

/**
 * Statements recording that these traces or sessions were labelled at their revisions (none moves back), for a
 * whole settle page: on SQLite one statement (the keys and revisions as one JSON parameter) where a statement per
 * target cost a compile each; PostgreSQL, and keys that must be bound, a statement per target in key order.
 */
export function settledStatements(store: Store, kind: 'trace' | 'session', rows: readonly (TargetKey & { revision: number })[]): StoreStatement[] {
  const sorted = [...rows].sort((a, b) => byKey(keyOf(a.agent, a.id), keyOf(b.agent, b.id)));
  const parts = store.dialect === 'sqlite' ? jsonRowParts(sorted.map((r) => [r.agent, r.id, r.revision])) : null;
  if (parts === null) return sorted.map((r) => (kind === 'trace' ? markTraceSettled(store, r, r.revision) : markSessionSettled(store, r, r.revision)));
  const table = kind === 'trace' ? traces : sessions;
  return parts.map((part) =>
    store.db
      .update(table)
      .set({ settledRevision: sql`j.value ->> 2` })
      .from(sql`json_each(${part}) as j`)
      .where(and(sql`${table.agent} = j.value ->> 0`, sql`${table.id} = j.value ->> 1`, sql`${table.settledRevision} < j.value ->> 2`)),
  );
}

/** One trace row. */
export async function traceById(store: Store, key: TargetKey): Promise<TraceRow | undefined> {
  const [row] = await store.db.select().from(traces).where(and(eq(traces.agent, key.agent), eq(traces.id, key.id))).limit(1);
  return row;
}

/** One session row. */
export async function sessionById(store: Store, key: TargetKey): Promise<SessionRow | undefined> {
  const [row] = await store.db.select().from(sessions).where(and(eq(sessions.agent, key.agent), eq(sessions.id, key.id))).limit(1);
  return row;
}

/** The agents that have a target of this kind with this id (at most `limit`), for callers that did not name one. */
export async function agentsWithTarget(store: Store, kind: 'span' | 'trace' | 'session', id: string, limit = 10): Promise<string[]> {
  const rows =
    kind === 'span'
      ? await store.db.selectDistinct({ agent: spans.agent }).from(spans).where(eq(spans.spanId, id)).orderBy(asc(spans.agent)).limit(limit)
      : kind === 'trace'
        ? await store.db.select({ agent: traces.agent }).from(traces).where(eq(traces.id, id)).orderBy(asc(traces.agent)).limit(limit)
        : await store.db.select({ agent: sessions.agent }).from(sessions).where(eq(sessions.id, id)).orderBy(asc(sessions.agent)).limit(limit);
  return rows.map((r) => r.agent);
}

/** A target reference listed from stored traffic, in (`at`, `agent`, `id`) order so a cursor can resume after it. */
export interface TargetRef {
  id: string;
  agent: string;
  at: number;
  revision: number;
}

/** Window and agent of a target listing; `after` is the last target of a previous page. */
export interface TargetWindow {
  agent: string;
  since: number;
  until: number;
  after?: { at: number; agent: string; id: string };
  limit: number;
  /** Newest first (the most recent `limit` targets); `after` is for the oldest-first order only. */
  newest?: boolean;
  /** Traces only: those without a session id (what session-scope signals judge per trace). */
  withoutSession?: boolean;
}

/**
 * Targets of one kind of one agent (`*` for all) whose traffic time (end) falls in [since, until), ordered by
 * time, agent then id: LLM-call spans with messages, complete traces, sessions.
 */
export async function listTargets(store: Store, kind: 'span' | 'trace' | 'session', w: TargetWindow): Promise<TargetRef[]> {
  const order = (column: AnySQLiteColumn) => (w.newest ? desc(column) : asc(column));
  const after = (end: AnySQLiteColumn, agent: AnySQLiteColumn, id: AnySQLiteColumn) =>
    w.after === undefined
      ? undefined
      : or(
          gt(end, w.after.at),
          and(eq(end, w.after.at), or(gt(agent, w.after.agent), and(eq(agent, w.after.agent), gt(id, w.after.id)))),
        );
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
          after(spans.endMs, spans.agent, spans.spanId),
        ),
      )
      .orderBy(...[spans.endMs, spans.agent, spans.spanId].map(order))
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
        kind === 'trace' && w.withoutSession ? isNull(traces.sessionId) : undefined,
        after(table.endMs, table.agent, table.id),
      ),
    )
    .orderBy(...[table.endMs, table.agent, table.id].map(order))
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
    // By position, as labelBuckets does.
    .groupBy(sql`1`, sql`2`);
  return rows.map((r) => ({ agent: r.agent, bucket: Number(r.bucket), n: Number(r.n) }));
}

/** Order of a target's spans: start time, then span id (a stable order; `assembleConversations` orders by causality). */
function byStart(a: SpanRow, b: SpanRow): number {
  return a.startMs - b.startMs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}

/** The spans of many traces at once (each within its agent), grouped by `keyOf(agent, traceId)`, each group in start order. */
export async function spansOfTraces(store: Store, keys: TargetKey[]): Promise<Map<string, SpanRow[]>> {
  const wanted = new Set(keys.map((k) => keyOf(k.agent, k.id)));
  const out = new Map<string, SpanRow[]>();
  for (const part of listParts(store, [...new Set(keys.map((k) => k.id))])) {
    const stored = (await store.db.select().from(spans).where(inList(store, spans.traceId, part))).filter((r) => wanted.has(keyOf(r.agent, r.traceId)));
    for (const r of await withMessages(store, stored)) {
      const key = keyOf(r.agent, r.traceId);
      if (!wanted.has(key)) continue;
      const list = out.get(key);
      if (list === undefined) out.set(key, [r]);
      else list.push(r);
    }
  }
  for (const list of out.values()) list.sort(byStart);
  return out;
}

/** The spans of many sessions at once (through their traces, within their agent), grouped by `keyOf(agent, sessionId)`, each in start order. */
export async function spansOfSessions(store: Store, keys: TargetKey[]): Promise<Map<string, SpanRow[]>> {
  const wanted = new Set(keys.map((k) => keyOf(k.agent, k.id)));
  const sessionOf = new Map<string, string>();
  const traceKeys: TargetKey[] = [];
  for (const part of listParts(store, [...new Set(keys.map((k) => k.id))])) {
    const rows = await store.db
      .select({ agent: traces.agent, id: traces.id, sessionId: traces.sessionId })
      .from(traces)
      .where(inList(store, traces.sessionId, part));
    for (const r of rows) {
      if (r.sessionId === null || !wanted.has(keyOf(r.agent, r.sessionId))) continue;
      sessionOf.set(keyOf(r.agent, r.id), keyOf(r.agent, r.sessionId));
      traceKeys.push({ agent: r.agent, id: r.id });
    }
  }
  const out = new Map<string, SpanRow[]>();
  for (const [traceKey, list] of await spansOfTraces(store, traceKeys)) {
    const key = sessionOf.get(traceKey)!;
    const all = out.get(key);
    if (all === undefined) out.set(key, list);
    else appendAll(all, list);
  }
  for (const list of out.values()) list.sort(byStart);
  return out;
}

/** Spans by (agent, span id), each as a one-span group keyed by `keyOf(agent, spanId)`. */
export async function spansBySpanId(store: Store, keys: TargetKey[]): Promise<Map<string, SpanRow[]>> {
  const wanted = new Set(keys.map((k) => keyOf(k.agent, k.id)));
  const out = new Map<string, SpanRow[]>();
  for (const part of listParts(store, [...new Set(keys.map((k) => k.id))])) {
    const stored = (await store.db.select().from(spans).where(inList(store, spans.spanId, part))).filter((r) => wanted.has(keyOf(r.agent, r.spanId)));
    for (const r of await withMessages(store, stored)) {
      const key = keyOf(r.agent, r.spanId);
      if (!out.has(key)) out.set(key, [r]);
    }
  }
  return out;
}

type TraceRollupRow = { agent: string; id: string; sessionId: string | null; rootName: string | null; rootEnded: boolean; startMs: number; endMs: number; revision: number; lastActivity: number };
type SessionRollupRow = { agent: string; id: string; startMs: number; endMs: number; revision: number; lastActivity: number };

/** The sessions of these traces (each with the time span of its traces here), in key order. */
function sessionRowsOf(traceList: Iterable<{ agent: string; sessionId: string | null; start: number; end: number }>, now: number): SessionRollupRow[] {
  const bySession = new Map<string, { agent: string; id: string; start: number; end: number }>();
  for (const t of traceList) {
    if (t.sessionId === null) continue;
    const key = keyOf(t.agent, t.sessionId);
    const s = bySession.get(key);
    if (s === undefined) bySession.set(key, { agent: t.agent, id: t.sessionId, start: t.start, end: t.end });
    else {
      s.start = Math.min(s.start, t.start);
      s.end = Math.max(s.end, t.end);
    }
  }
  return [...bySession.entries()].sort(([a], [b]) => byKey(a, b)).map(([, s]) => ({ agent: s.agent, id: s.id, startMs: s.start, endMs: s.end, revision: 0, lastActivity: now }));
}

/**
 * The rollup statements on SQLite (libsql, D1), or null when a value holds a NUL: the rows travel as one JSON
 * parameter (`json_each`), so the statements have the same short text for any number of traces, where Drizzle built
 * a chunk per value, SQLite compiled a placeholder per value, and each recount had an `or` of a condition per trace,
 * on every export. Same effect as `builtRollupStatements`, in the same order (sessions sum the recounted traces).
 */
function sqliteRollupStatements(store: Store, traceRows: TraceRollupRow[], sessionRows: SessionRollupRow[], now: number): StoreStatement[] | null {
  const traceParts = jsonRowParts(traceRows.map((t) => [t.agent, t.id, t.sessionId, t.rootName, t.rootEnded ? 1 : 0, t.startMs, t.endMs]));
  const sessionParts = jsonRowParts(sessionRows.map((s) => [s.agent, s.id, s.startMs, s.endMs]));
  if (traceParts === null || sessionParts === null) return null;
  // Selected in the tables' column order (insert ... select names every column).
  return [
    ...traceParts.map((rows) =>
      store.db
        .insert(traces)
        .select(sql`select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, 0, 0, ${now}, 0 from json_each(${rows}) where true`)
        .onConflictDoUpdate(traceUpsert(now)),
    ),
    ...traceParts.map((rows) => store.db.update(traces).set({ revision: traceRevision() }).where(sql`(${traces.agent}, ${traces.id}) in (select value ->> 0, value ->> 1 from json_each(${rows}))`)),
    ...sessionParts.map((rows) =>
      store.db
        .insert(sessions)
        .select(sql`select value ->> 0, value ->> 1, value ->> 2, value ->> 3, 0, 0, ${now}, 0 from json_each(${rows}) where true`)
        .onConflictDoUpdate(sessionUpsert(now)),
    ),
    ...sessionParts.map((rows) => store.db.update(sessions).set({ revision: sessionRevision() }).where(sql`(${sessions.agent}, ${sessions.id}) in (select value ->> 0, value ->> 1 from json_each(${rows}))`)),
  ];
}

/** A trace row meeting its stored self: the session and root as soon as known, the widest time span. */
function traceUpsert(now: number) {
  return {
    target: [traces.agent, traces.id],
    set: {
      sessionId: sql`coalesce(${traces.sessionId}, excluded.session_id)`,
      rootName: sql`coalesce(excluded.root_name, ${traces.rootName})`,
      rootEnded: larger(traces.rootEnded, sql`excluded.root_ended`),
      startMs: smaller(traces.startMs, sql`excluded.start_ms`),
      endMs: larger(traces.endMs, sql`excluded.end_ms`),
      lastActivity: now,
    },
  };
}

/** A session row meeting its stored self: the widest time span. */
function sessionUpsert(now: number) {
  return {
    target: [sessions.agent, sessions.id],
    set: { startMs: smaller(sessions.startMs, sql`excluded.start_ms`), endMs: larger(sessions.endMs, sql`excluded.end_ms`), lastActivity: now },
  };
}

/** A trace's revision: its spans and the log records joined to them, and what late-agent moves took out of it. */
function traceRevision(): SQL {
  return sql`${traceCount()} + ${traces.movedOut}`;
}

/** A log record joins only the span of its own service (a span stored without one stands for it by its agent). */
export function logJoinsSpan(): SQL {
  return sql`${spanLogs.service} = coalesce(${spans.service}, ${spans.agent})`;
}

/** What a trace holds: its spans and the log records joined to them (its revision less what moves took out). */
export function traceCount(): SQL {
  return sql`(select count(*) from ${spans} where ${spans.agent} = ${traces.agent} and ${spans.traceId} = ${traces.id}) + (select count(*) from ${spanLogs} inner join ${spans} on ${spans.traceId} = ${spanLogs.traceId} and ${spans.spanId} = ${spanLogs.spanId} and ${logJoinsSpan()} where ${spans.agent} = ${traces.agent} and ${spans.traceId} = ${traces.id})`;
}

/**
 * A session's revision: the sum of its traces' revisions, recounted just before it (a trace's revision changes only
 * with its spans and log records, which always recount it): one index range of its traces, where counting the spans
 * through a join led SQLite to scan every span of the agent per session.
 */
function sessionRevision(): SQL {
  return sql`${sessionCount()} + ${sessions.movedOut}`;
}

/** The sum of a session's traces' revisions (its revision less what moves took out of it). */
export function sessionCount(): SQL {
  return sql`(select coalesce(sum(${traces.revision}), 0) from ${traces} where ${traces.agent} = ${sessions.agent} and ${traces.sessionId} = ${sessions.id})`;
}

/**
 * The rollup statements as Drizzle builds them (PostgreSQL, and SQLite rows holding a NUL): multi-row upserts, then
 * one recount per table. Drizzle has no builder for scalar subqueries or min/max of two values, hence the sql``
 * fragments (./sql.ts for the ones the dialects spell differently).
 */
function builtRollupStatements(store: Store, traceRows: TraceRollupRow[], sessionRows: SessionRollupRow[], now: number): StoreStatement[] {
  const statements: StoreStatement[] = [];
  for (const part of chunk(traceRows, columnCount(traces), store.maxParams - 1)) statements.push(store.db.insert(traces).values(part).onConflictDoUpdate(traceUpsert(now)));
  for (const part of chunk(traceRows, 2, store.maxParams)) {
    statements.push(store.db.update(traces).set({ revision: traceRevision() }).where(or(...part.map((t) => and(eq(traces.agent, t.agent), eq(traces.id, t.id))))));
  }
  for (const part of chunk(sessionRows, columnCount(sessions), store.maxParams - 1)) statements.push(store.db.insert(sessions).values(part).onConflictDoUpdate(sessionUpsert(now)));
  for (const part of chunk(sessionRows, 2, store.maxParams)) {
    statements.push(store.db.update(sessions).set({ revision: sessionRevision() }).where(or(...part.map((s) => and(eq(sessions.agent, s.agent), eq(sessions.id, s.id))))));
  }
  return statements;
}
