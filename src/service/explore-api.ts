// The traffic explorer's side of SignalsApi: sessions and traces listed with filters, a unit's spans for the
// timeline, and the work the service is still waiting to do.
import { analyze } from '../core/analyze.js';
import type { Message } from '../core/types.js';
import { desc, eq } from 'drizzle-orm';
import { allActiveSignals, listSignalRows, type SignalRow } from '../store/signals.js';
import { explorePage, unitCounts, unitLabels, unitSignalTypes, waitingToSettle, type ExploreFilter, type ExploreKind } from '../store/explore.js';
import { deliveryCounts } from '../store/deliveries.js';
import { jobCounts } from '../store/jobs.js';
import { llmJobs } from '../store/schema.js';
import { capturedOf, keyOf, spansOfSessions, spansOfTraces, type SpanRow } from '../store/traffic.js';
import { ServiceError, type PendingWork, type SignalsApi, type SpanView, type TrafficItem, type TrafficLabel, type TrafficQuery } from './api.js';
import type { ServiceContext } from './context.js';
import { loadSignal, resolveAgent } from './loading.js';
import { iso, parseTime } from './time.js';
import { assembleConversations } from '../formats/traces/assemble.js';

const QUALITIES = new Set(['excellent', 'good', 'neutral', 'poor', 'severe']);
const MAX_LIMIT = 200;

/** A page cursor: the key of the last row seen, opaque to callers. */
function encodeCursor(key: [number, string, string]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function decodeCursor(cursor: string): [number, string, string] {
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const key = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))) as unknown;
    if (Array.isArray(key) && key.length === 3 && Number.isSafeInteger(key[0]) && typeof key[1] === 'string' && typeof key[2] === 'string') {
      return key as [number, string, string];
    }
  } catch {
    // fall through to the error below
  }
  throw new ServiceError('invalid', 'cursor: not a cursor from a previous page (pass nextCursor back as it came)');
}

/** The explorer methods of the API over a service context. */
export function createExploreMethods(ctx: ServiceContext): Pick<SignalsApi, 'sessions' | 'traces' | 'spans' | 'pending'> {
  const { store } = ctx;

  const signalNames = async (): Promise<Map<string, string>> => new Map((await listSignalRows(store, { includeArchived: true })).map((r) => [r.id, r.name]));
  const labelView = (names: Map<string, string>) => (l: { signalId: string; value: string | null; status: string; version: number }): TrafficLabel => ({
    signal: names.get(l.signalId) ?? l.signalId,
    signalId: l.signalId,
    value: l.value,
    status: l.status as TrafficLabel['status'],
    version: l.version,
  });

  const filterOf = async (query: TrafficQuery): Promise<ExploreFilter> => {
    const now = ctx.now();
    const text = (v: unknown, name: string): string | undefined => {
      if (v === undefined || v === null || v === '') return undefined;
      if (typeof v !== 'string') throw new ServiceError('invalid', `${name}: expected a string`);
      if (v.length > 500) throw new ServiceError('invalid', `${name}: at most 500 characters`);
      return v;
    };
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new ServiceError('invalid', `limit: a whole number from 1 to ${MAX_LIMIT}, got ${String(query.limit)}`);
    const f: ExploreFilter = { limit };
    f.agent = text(query.agent, 'agent');
    f.id = text(query.id, 'id');
    f.session = text(query.session, 'session');
    const since = text(query.since, 'since');
    const until = text(query.until, 'until');
    if (since !== undefined) f.since = parseTime(since, 'since', now);
    if (until !== undefined) f.until = parseTime(until, 'until', now);
    const quality = text(query.quality, 'quality');
    if (quality !== undefined) {
      if (!QUALITIES.has(quality)) throw new ServiceError('invalid', `quality: one of ${[...QUALITIES].join(', ')}, got "${quality}"`);
      f.quality = quality;
    }
    f.builtin = text(query.builtin, 'builtin');
    f.q = text(query.q, 'q');
    const signal = text(query.signal, 'signal');
    const value = text(query.value, 'value');
    if (value !== undefined && signal === undefined) throw new ServiceError('invalid', 'value: give the signal it is a label of (signal=NAME)');
    if (signal !== undefined) {
      const s = await loadSignal(ctx, signal);
      f.signal = { id: s.row.id, scope: s.row.scope, value: value ?? null };
    }
    const unlabelled = text(query.unlabelled, 'unlabelled');
    if (unlabelled !== undefined) {
      const s = await loadSignal(ctx, unlabelled);
      f.unlabelled = { id: s.row.id, scope: s.row.scope };
    }
    const cursor = text(query.cursor, 'cursor');
    if (cursor !== undefined) f.after = decodeCursor(cursor);
    return f;
  };

  const list = async (kind: ExploreKind, query: TrafficQuery = {}) => {
    if (kind === 'session' && query.session !== undefined && query.session !== '') throw new ServiceError('invalid', 'session: a filter of traces (GET /v1/traces?session=ID)');
    const page = await explorePage(store, kind, await filterOf(query));
    const [counts, types, labels, names] = await Promise.all([
      unitCounts(store, kind, page.rows),
      unitSignalTypes(store, kind, page.rows),
      unitLabels(store, kind, page.rows),
      signalNames(),
    ]);
    const items: TrafficItem[] = page.rows.map((r) => {
      const key = `${r.agent}\0${r.id}`;
      const c = counts.get(key) ?? { spans: 0, llm: 0, tool: 0, traces: 0 };
      // Keys and labels in a fixed order, so every front end (and every process) shows the same item.
      const signalTypes = Object.fromEntries(Object.entries(types.get(key) ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      return {
        kind,
        id: r.id,
        agent: r.agent,
        sessionId: kind === 'trace' ? r.sessionId : null,
        start: iso(r.startMs),
        end: iso(r.endMs),
        traces: c.traces,
        spans: c.spans,
        llmCalls: c.llm,
        // The calls the model made, from the settled conversation; tool spans counted live until then.
        toolCalls: r.toolCalls ?? c.tool,
        turns: r.turns,
        quality: r.quality,
        score: r.score,
        builtin: [...new Set(Object.keys(signalTypes).map((t) => t.split('.').slice(0, 2).join('.')))].sort(),
        signalTypes,
        labels: (labels.get(key) ?? []).map(labelView(names)).sort((a, b) => (a.signal < b.signal ? -1 : a.signal > b.signal ? 1 : a.signalId < b.signalId ? -1 : 1)),
        settled: r.summaryRevision !== null && r.summaryRevision >= r.revision,
      };
    });
    return { items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
  };

  return {
    sessions: (query) => list('session', query),
    traces: (query) => list('trace', query),

    async spans(kind, id, agent) {
      if (kind !== 'trace' && kind !== 'session') throw new ServiceError('invalid', `kind must be trace or session, got "${String(kind)}"`);
      const owner = agent ?? (await resolveAgent(ctx, kind, id));
      const key = { agent: owner ?? '', id };
      const mine = owner === undefined ? [] : ((kind === 'trace' ? await spansOfTraces(store, [key]) : await spansOfSessions(store, [key])).get(keyOf(key.agent, id)) ?? []);
      if (mine.length === 0) throw new ServiceError('not_found', `No ${kind} "${id}"${agent === undefined ? '' : ` of agent "${agent}"`} in the store`);
      const names = await signalNames();
      const labels = await unitLabels(store, 'span', mine.map((r) => ({ agent: r.agent, id: r.spanId })));
      return mine.map((r): SpanView => ({
        traceId: r.traceId,
        spanId: r.spanId,
        parentSpanId: r.parentSpanId,
        agent: r.agent,
        name: r.name,
        kind: r.kind,
        model: r.model,
        start: iso(r.startMs),
        end: iso(r.endMs),
        durationMs: Math.max(0, r.endMs - r.startMs),
        messages: r.messageCount,
        tool: r.kind === 'tool' ? toolStatus(r) : null,
        labels: (labels.get(`${r.agent}\0${r.spanId}`) ?? []).map(labelView(names)),
      }));
    },

    async pending() {
      const now = ctx.now();
      const [active, waiting, jobs, failures, notifications] = await Promise.all([
        allActiveSignals(store),
        waitingToSettle(store),
        jobCounts(store),
        store.db.select().from(llmJobs).where(eq(llmJobs.status, 'failed')).orderBy(desc(llmJobs.createdAt)).limit(5),
        deliveryCounts(store),
      ]);
      const settle: PendingWork['settle'] = [];
      for (const s of active as SignalRow[]) {
        if (s.scope === 'span') continue;
        const mine = waiting.filter((w) => w.kind === s.scope && (s.agent === '*' || w.agent === s.agent));
        const n = mine.reduce((a, w) => a + w.n, 0);
        const quietMs = s.scope === 'trace' ? ctx.traceSettleMs : ctx.sessionIdleMs;
        const oldest = mine.length === 0 ? null : Math.min(...mine.map((w) => w.oldestActivity));
        settle.push({
          signal: s.name,
          signalId: s.id,
          scope: s.scope,
          agent: s.agent,
          waiting: n,
          rule: s.scope === 'trace' ? `${Math.round(ctx.traceSettleMs / 1000)} s after the root span ends` : `${humanMinutes(ctx.sessionIdleMs)} idle`,
          nextAt: oldest === null ? null : iso(Math.max(now, oldest + quietMs)),
        });
      }
      const total = (kind: ExploreKind) => waiting.filter((w) => w.kind === kind).reduce((a, w) => a + w.n, 0);
      return {
        settle,
        waiting: { traces: total('trace'), sessions: total('session') },
        llm: {
          queued: jobs.pending ?? 0,
          running: jobs.running ?? 0,
          failed: jobs.failed ?? 0,
          recentFailures: failures.map((j) => ({ signalId: j.signalId, targetKind: j.targetKind, targetId: j.targetId, error: j.error, at: iso(j.createdAt) })),
        },
        notifications: {
          pending: notifications.pending,
          failed: notifications.failed,
          oldestDueAt: notifications.oldestDueAt === null ? null : iso(notifications.oldestDueAt),
        },
      };
    },
  };
}

function humanMinutes(ms: number): string {
  const min = ms / 60_000;
  return min >= 1 ? `${Math.round(min * 10) / 10} min` : `${Math.round(ms / 1000)} s`;
}

/** A tool span's tool name and whether its result shows a built-in failure or exhaustion signal. */
function toolStatus(r: SpanRow): SpanView['tool'] {
  // Grouped as a trace: a span grouping keeps only LLM calls, so a tool span alone would assemble to nothing.
  const [conversation] = assembleConversations([capturedOf(r)], 'trace');
  const rows: Message[] = conversation?.messages ?? [];
  const call = rows.find((m) => m.from === 'function_call');
  let name = r.name;
  try {
    const parsed = JSON.parse(call?.value ?? '') as { name?: unknown };
    if (typeof parsed.name === 'string' && parsed.name !== '') name = parsed.name;
  } catch {
    // keep the span name
  }
  const report = analyze(rows);
  const failing = [...report.execution_signals.failure.signals, ...report.environment_signals.exhaustion.signals][0];
  return { name, status: failing === undefined ? 'ok' : 'error', signal: failing?.signal_type ?? null };
}
