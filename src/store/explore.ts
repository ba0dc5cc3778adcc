// The traffic explorer's reads: traces and sessions newest first with filters, their counts, labels and built-in
// summaries. Each page walks the (agent, end_ms) or (end_ms) index from the cursor and examines at most SCAN rows,
// so a filter that matches rarely costs a bounded page (possibly short, with a cursor to go on), never a full scan.
import { and, count as sqlCount, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { labels, sessions, spans, summaries, summarySignals, traces } from './schema.js';
import { insertIgnoring, jsonRowParts } from './json-insert.js';
import { chunk } from './traffic.js';
import type { Store, StoreStatement } from './types.js';

/** Rows one page examines at most (index order), whatever the filters. */
export const SCAN = 2000;

/** A unit the explorer lists. */
export type ExploreKind = 'trace' | 'session';

/** Filters of a listing, already resolved (times in ms, the signal by id and scope). */
export interface ExploreFilter {
  agent?: string;
  /** This unit only. */
  id?: string;
  /** Traces of this session (traces only). */
  session?: string;
  since?: number;
  until?: number;
  quality?: string;
  /** A built-in signal type glob (`*` any characters), e.g. `execution.failure.*`. */
  builtin?: string;
  /** A custom signal's label: `value` null means any labelled value. */
  signal?: { id: string; scope: 'span' | 'trace' | 'session'; value: string | null };
  /** Units without a labelled verdict of this signal. */
  unlabelled?: { id: string; scope: 'span' | 'trace' | 'session' };
  /** Text in the messages (case-insensitive for ASCII). */
  q?: string;
  /** Resume after this key (`[endMs, agent, id]` of the last row seen). */
  after?: [number, string, string];
  limit: number;
}

/** One listed unit: its row with the summary columns (null until it settled once). */
export interface ExploreRow {
  agent: string;
  id: string;
  sessionId: string | null;
  startMs: number;
  endMs: number;
  revision: number;
  settledRevision: number;
  lastActivity: number;
  rootEnded: boolean;
  turns: number | null;
  toolCalls: number | null;
  messages: number | null;
  quality: string | null;
  score: number | null;
  summaryRevision: number | null;
}

/** A page of rows and the key to resume after (null at the end). */
export interface ExplorePage {
  rows: ExploreRow[];
  next: [number, string, string] | null;
}

/** A `*` glob as a LIKE pattern (escape `\`), every other character literal. */
function globLike(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

/** `%text%` for LIKE with `\` escaping, the text as it appears inside stored JSON strings. */
function likeText(q: string): string {
  return `%${JSON.stringify(q).slice(1, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The span rows of a unit `u` (alias) as a subquery condition on `sp`. */
function spansOf(kind: ExploreKind): SQL {
  return kind === 'trace'
    ? sql`sp.agent = u.agent and sp.trace_id = u.id`
    : sql`sp.agent = u.agent and sp.trace_id in (select t2.id from traces t2 where t2.agent = u.agent and t2.session_id = u.id)`;
}

/** Labels of signal `id` (scope `scope`) that fall on unit `u` of `kind`, as a condition on alias `l`. */
function labelsOn(kind: ExploreKind, scope: 'span' | 'trace' | 'session', signalId: string): SQL {
  const base = sql`l.signal_id = ${signalId} and l.superseded = false and l.agent = u.agent`;
  if (scope === kind) return sql`${base} and l.target_kind = ${scope} and l.target_id = u.id`;
  if (scope === 'session') return sql`${base} and l.target_kind = 'session' and l.target_id = u.session_id`;
  if (scope === 'trace') return sql`${base} and l.target_kind = 'trace' and l.target_id in (select t2.id from traces t2 where t2.agent = u.agent and t2.session_id = u.id)`;
  return sql`${base} and l.target_kind = 'span' and l.target_id in (select sp.span_id from spans sp where ${spansOf(kind)})`;
}

/**
 * One page of traces or sessions, newest end first (ties by agent then id, descending), filtered. At most SCAN
 * rows are examined; `next` resumes after the last row returned, or after the last row examined when the scan
 * budget ran out first.
 */
export async function explorePage(store: Store, kind: ExploreKind, f: ExploreFilter): Promise<ExplorePage> {
  const table = kind === 'trace' ? sql`traces` : sql`sessions`;
  const where: SQL[] = [];
  if (f.agent !== undefined) where.push(sql`agent = ${f.agent}`);
  if (f.id !== undefined) where.push(sql`id = ${f.id}`);
  if (f.session !== undefined && kind === 'trace') where.push(sql`session_id = ${f.session}`);
  if (f.since !== undefined) where.push(sql`end_ms >= ${f.since}`);
  if (f.until !== undefined) where.push(sql`end_ms < ${f.until}`);
  if (f.after !== undefined) {
    const [end, agent, id] = f.after;
    where.push(sql`(end_ms < ${end} or (end_ms = ${end} and (agent < ${agent} or (agent = ${agent} and id < ${id}))))`);
  }
  const scanWhere = where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``;
  const sessionCol = kind === 'trace' ? sql`session_id` : sql`null`;
  const rootCol = kind === 'trace' ? sql`root_ended` : sql`true`;
  // The candidates: one index range, newest first, at most SCAN of them.
  const scanned = sql`select agent, id, ${sessionCol} as session_id, start_ms, end_ms, revision, settled_revision, last_activity, ${rootCol} as root_ended
    from ${table} ${scanWhere} order by end_ms desc, agent desc, id desc limit ${SCAN}`;

  const filters: SQL[] = [];
  if (f.quality !== undefined) filters.push(sql`m.quality = ${f.quality}`);
  if (f.builtin !== undefined) {
    filters.push(sql`exists (select 1 from summary_signals x where x.kind = ${kind} and x.agent = u.agent and x.id = u.id and x.type like ${globLike(f.builtin)} escape '\\')`);
  }
  if (f.signal !== undefined) {
    const value = f.signal.value === null ? sql`l.status = 'labelled'` : sql`l.value = ${f.signal.value}`;
    filters.push(sql`exists (select 1 from labels l where ${labelsOn(kind, f.signal.scope, f.signal.id)} and ${value})`);
  }
  if (f.unlabelled !== undefined) {
    filters.push(sql`not exists (select 1 from labels l where ${labelsOn(kind, f.unlabelled.scope, f.unlabelled.id)} and l.status = 'labelled')`);
  }
  if (f.q !== undefined) {
    // A message of the unit's conversations that contains the text and that one of the unit's spans lists (refs are a
    // JSON list of quoted hashes, so the LIKE matches a whole hash).
    filters.push(sql`exists (select 1 from messages mm where mm.agent = u.agent and mm.conversation in (select sp.conversation from spans sp where ${spansOf(kind)})
      and lower(mm.content) like ${likeText(f.q.toLowerCase())} escape '\\'
      and exists (select 1 from spans sp where ${spansOf(kind)} and sp.conversation = mm.conversation and sp.message_refs like '%"' || mm.hash || '"%'))`);
  }
  const filterWhere = filters.length > 0 ? sql`where ${sql.join(filters, sql` and `)}` : sql``;
  const rows = await rawRows(store, sql`select u.*, m.turns, m.tool_calls, m.messages, m.quality, m.score, m.revision as summary_revision
    from (${scanned}) u left join summaries m on m.kind = ${kind} and m.agent = u.agent and m.id = u.id
    ${filterWhere} order by u.end_ms desc, u.agent desc, u.id desc limit ${f.limit + 1}`);
  const out = rows.slice(0, f.limit).map(exploreRow);
  if (rows.length > f.limit) {
    const last = out[out.length - 1];
    return { rows: out, next: [last.endMs, last.agent, last.id] };
  }
  // Fewer matches than asked: the end, unless the scan stopped at its budget with rows left beyond it.
  const [edge] = await rawRows(store, sql`select end_ms, agent, id from ${table} ${scanWhere} order by end_ms desc, agent desc, id desc limit 1 offset ${SCAN - 1}`);
  if (edge === undefined) return { rows: out, next: null };
  return { rows: out, next: [Number(edge.end_ms), String(edge.agent), String(edge.id)] };
}

/** Rows of one read written in SQL both dialects share (libsql/D1 answer `all`, PostgreSQL `execute`). */
async function rawRows(store: Store, query: SQL): Promise<Record<string, unknown>[]> {
  const db = store.db as unknown as { all?: (q: SQL) => Promise<Record<string, unknown>[]>; execute: (q: SQL) => Promise<{ rows: Record<string, unknown>[] }> };
  return db.all !== undefined ? db.all(query) : (await db.execute(query)).rows;
}

function exploreRow(r: Record<string, unknown>): ExploreRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    agent: String(r.agent),
    id: String(r.id),
    sessionId: r.session_id === null || r.session_id === undefined ? null : String(r.session_id),
    startMs: Number(r.start_ms),
    endMs: Number(r.end_ms),
    revision: Number(r.revision),
    settledRevision: Number(r.settled_revision),
    lastActivity: Number(r.last_activity),
    rootEnded: Boolean(Number(r.root_ended)),
    turns: num(r.turns),
    toolCalls: num(r.tool_calls),
    messages: num(r.messages),
    quality: r.quality === null || r.quality === undefined ? null : String(r.quality),
    score: num(r.score),
    summaryRevision: num(r.summary_revision),
  };
}

/** Spans per kind (LLM calls, tool calls, all) and traces of each listed unit, keyed `agent\0id`. */
export async function unitCounts(
  store: Store,
  kind: ExploreKind,
  units: { agent: string; id: string }[],
): Promise<Map<string, { spans: number; llm: number; tool: number; traces: number }>> {
  const out = new Map<string, { spans: number; llm: number; tool: number; traces: number }>();
  const entry = (key: string) => {
    let e = out.get(key);
    if (e === undefined) out.set(key, (e = { spans: 0, llm: 0, tool: 0, traces: 0 }));
    return e;
  };
  for (const [agent, ids] of byAgent(units)) {
    for (const part of chunk(ids, 1, store.maxParams - 2)) {
      if (kind === 'trace') {
        const rows = await store.db
          .select({ id: spans.traceId, kind: spans.kind, n: sqlCount() })
          .from(spans)
          .where(and(eq(spans.agent, agent), inArray(spans.traceId, part)))
          .groupBy(spans.traceId, spans.kind);
        for (const r of rows) add(entry(`${agent}\0${r.id}`), r.kind, Number(r.n));
        for (const id of part) entry(`${agent}\0${id}`).traces = 1;
      } else {
        const rows = await store.db
          .select({ id: traces.sessionId, kind: spans.kind, n: sqlCount() })
          .from(spans)
          .innerJoin(traces, and(eq(traces.agent, spans.agent), eq(traces.id, spans.traceId)))
          .where(and(eq(traces.agent, agent), inArray(traces.sessionId, part)))
          .groupBy(traces.sessionId, spans.kind);
        for (const r of rows) add(entry(`${agent}\0${r.id}`), r.kind, Number(r.n));
        const tr = await store.db
          .select({ id: traces.sessionId, n: sqlCount() })
          .from(traces)
          .where(and(eq(traces.agent, agent), inArray(traces.sessionId, part)))
          .groupBy(traces.sessionId);
        for (const r of tr) entry(`${agent}\0${r.id}`).traces = Number(r.n);
      }
    }
  }
  return out;
}

function add(e: { spans: number; llm: number; tool: number }, kind: string, n: number): void {
  e.spans += n;
  if (kind === 'llm') e.llm += n;
  else if (kind === 'tool') e.tool += n;
}

function byAgent(units: { agent: string; id: string }[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const u of units) {
    const list = m.get(u.agent);
    if (list === undefined) m.set(u.agent, [u.id]);
    else list.push(u.id);
  }
  return m;
}

/** Built-in signal types (with counts) of each listed unit's summary, keyed `agent\0id`. */
export async function unitSignalTypes(store: Store, kind: ExploreKind, units: { agent: string; id: string }[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  for (const [agent, ids] of byAgent(units)) {
    for (const part of chunk(ids, 1, store.maxParams - 2)) {
      const rows = await store.db
        .select()
        .from(summarySignals)
        .where(and(eq(summarySignals.kind, kind), eq(summarySignals.agent, agent), inArray(summarySignals.id, part)));
      for (const r of rows) {
        const key = `${agent}\0${r.id}`;
        const types = out.get(key) ?? {};
        types[r.type] = r.count;
        out.set(key, types);
      }
    }
  }
  return out;
}

/** The current (not superseded) labels on each listed unit itself, keyed `agent\0id`. */
export async function unitLabels(
  store: Store,
  kind: ExploreKind | 'span',
  units: { agent: string; id: string }[],
): Promise<Map<string, { signalId: string; value: string | null; status: string; version: number }[]>> {
  const out = new Map<string, { signalId: string; value: string | null; status: string; version: number }[]>();
  for (const [agent, ids] of byAgent(units)) {
    for (const part of chunk(ids, 1, store.maxParams - 3)) {
      const rows = await store.db
        .select({ targetId: labels.targetId, signalId: labels.signalId, value: labels.value, status: labels.status, version: labels.version })
        .from(labels)
        .where(and(eq(labels.targetKind, kind), eq(labels.agent, agent), inArray(labels.targetId, part), eq(labels.superseded, false)));
      for (const r of rows) {
        const key = `${agent}\0${r.targetId}`;
        const list = out.get(key) ?? [];
        list.push({ signalId: r.signalId, value: r.value, status: r.status, version: r.version });
        out.set(key, list);
      }
    }
  }
  return out;
}

/** The built-in summary of a trace or session as the explorer lists it. */
export interface UnitSummary {
  kind: ExploreKind;
  agent: string;
  id: string;
  revision: number;
  turns: number;
  toolCalls: number;
  messages: number;
  quality: string;
  score: number;
  /** Built-in signal types present, with how many of each. */
  types: Record<string, number>;
}

/**
 * Statements storing the summaries of settled traces and sessions (each replacing the unit's former summary and
 * signal types): a few statements for a whole settle page, in key order, where a statement per summary, per delete
 * and per insert cost a compile each. On SQLite the keys whose types are replaced travel as one JSON parameter.
 */
export function summaryStatements(store: Store, list: readonly UnitSummary[]): StoreStatement[] {
  if (list.length === 0) return [];
  const sorted = [...list].sort((a, b) => byText(`${a.kind}\0${a.agent}\0${a.id}`, `${b.kind}\0${b.agent}\0${b.id}`));
  const rows = sorted.map((s) => ({ kind: s.kind, agent: s.agent, id: s.id, revision: s.revision, turns: s.turns, toolCalls: s.toolCalls, messages: s.messages, quality: s.quality, score: s.score }));
  const set = {
    revision: sql`excluded.revision`,
    turns: sql`excluded.turns`,
    toolCalls: sql`excluded.tool_calls`,
    messages: sql`excluded.messages`,
    quality: sql`excluded.quality`,
    score: sql`excluded.score`,
  };
  const types = sorted.flatMap((s) => Object.entries(s.types).map(([type, count]) => ({ kind: s.kind, agent: s.agent, id: s.id, type, count })));
  const out: StoreStatement[] = [];
  // SQLite: every list as one JSON parameter, so each statement's text is short and the same for any page (a
  // multi-row list of placeholders costs a compile that grows with its rows).
  const keys = store.dialect === 'sqlite' ? jsonRowParts(sorted.map((s) => [s.kind, s.agent, s.id])) : null;
  const values = keys === null ? null : jsonRowParts(rows.map((r) => [r.kind, r.agent, r.id, r.revision, r.turns, r.toolCalls, r.messages, r.quality, r.score]));
  if (keys !== null && values !== null) {
    for (const part of values) {
      out.push(
        store.db
          .insert(summaries)
          .select(sql`select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8 from json_each(${part}) where true`)
          .onConflictDoUpdate({ target: [summaries.kind, summaries.agent, summaries.id], set }),
      );
    }
    for (const part of keys) {
      out.push(store.db.delete(summarySignals).where(sql`(${summarySignals.kind}, ${summarySignals.agent}, ${summarySignals.id}) in (select value ->> 0, value ->> 1, value ->> 2 from json_each(${part}))`));
    }
    out.push(...insertIgnoring(store, summarySignals, types));
    return out;
  }
  for (const part of chunk(rows, 9, store.maxParams)) out.push(store.db.insert(summaries).values(part).onConflictDoUpdate({ target: [summaries.kind, summaries.agent, summaries.id], set }));
  for (const s of sorted) out.push(store.db.delete(summarySignals).where(and(eq(summarySignals.kind, s.kind), eq(summarySignals.agent, s.agent), eq(summarySignals.id, s.id))));
  for (const part of chunk(types, 5, store.maxParams)) out.push(store.db.insert(summarySignals).values(part));
  return out;
}

/** Orders by code unit, the same in every process (no locale). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Traces and sessions waiting to settle, per agent: how many and the oldest last activity among them. */
export async function waitingToSettle(store: Store): Promise<{ kind: ExploreKind; agent: string; n: number; oldestActivity: number }[]> {
  const out: { kind: ExploreKind; agent: string; n: number; oldestActivity: number }[] = [];
  const tr = await store.db
    .select({ agent: traces.agent, n: sqlCount(), oldest: sql<number>`min(${traces.lastActivity})` })
    .from(traces)
    .where(sql`${traces.revision} > ${traces.settledRevision}`)
    .groupBy(traces.agent);
  for (const r of tr) out.push({ kind: 'trace', agent: r.agent, n: Number(r.n), oldestActivity: Number(r.oldest) });
  const se = await store.db
    .select({ agent: sessions.agent, n: sqlCount(), oldest: sql<number>`min(${sessions.lastActivity})` })
    .from(sessions)
    .where(sql`${sessions.revision} > ${sessions.settledRevision}`)
    .groupBy(sessions.agent);
  for (const r of se) out.push({ kind: 'session', agent: r.agent, n: Number(r.n), oldestActivity: Number(r.oldest) });
  return out;
}
