import { appendAll } from '../formats/append-all.js';
import type { SpanLogRecord } from '../formats/traces/log-records.js';
import type { EventView } from '../formats/traces/span-view.js';
import { spanLogs, spans } from './schema.js';
import { chunk, columnCount, keyOf, withMessages, type SpanRow } from './traffic.js';
import { inList, listParts } from './json-list.js';
import type { Store, StoreStatement } from './types.js';

const COLUMNS = columnCount(spanLogs);

/** Map key of a (trace, span) pair. */
export function spanKeyOf(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}

/** What a log record joins: a span by its ids, within the service that sent it. */
export interface LogJoinKey {
  traceId: string;
  spanId: string;
  /** The span's service (`CapturedSpan.service`, the `spans.service` column); null or absent: its agent stands for it. */
  service?: string | null;
  agent: string;
}

/** The service whose log records a span joins: the one it came from, else (formats without resources, older rows) its agent. */
export function spanServiceOf(span: LogJoinKey): string {
  return span.service ?? span.agent;
}

/** Map key of a span's log records: its service and its ids (two services may send spans with the same ids). */
export function spanLogKeyOf(service: string, traceId: string, spanId: string): string {
  return keyOf(service, spanKeyOf(traceId, spanId));
}

/** Statements storing log records (a record already stored, as when an exporter re-sends, is kept once). */
export function spanLogStatements(store: Store, records: readonly SpanLogRecord[], now: number): StoreStatement[] {
  const rows = records.map((r) => ({ traceId: r.traceId, spanId: r.spanId, service: r.service, key: r.key, timeNs: r.timeUnixNano, rank: r.rank, position: r.position, event: r.event, receivedAt: now }));
  return chunk(rows, COLUMNS, store.maxParams).map((part) => store.db.insert(spanLogs).values(part).onConflictDoNothing());
}

/**
 * The stored log records of these spans, by {@link spanLogKeyOf}: only records of each span's own service
 * ({@link spanServiceOf}); one query per chunk of traces (the key's prefix).
 */
export async function spanLogsOf(store: Store, spans: readonly LogJoinKey[]): Promise<Map<string, SpanLogRecord[]>> {
  const wanted = new Set(spans.map((s) => spanLogKeyOf(spanServiceOf(s), s.traceId, s.spanId)));
  const traces = [...new Set(spans.map((s) => s.traceId))];
  const out = new Map<string, SpanLogRecord[]>();
  for (const part of listParts(store, traces)) {
    const rows = await store.db.select().from(spanLogs).where(inList(store, spanLogs.traceId, part));
    for (const r of rows) {
      const key = spanLogKeyOf(r.service, r.traceId, r.spanId);
      if (!wanted.has(key)) continue;
      const record: SpanLogRecord = { traceId: r.traceId, spanId: r.spanId, service: r.service, key: r.key, timeUnixNano: r.timeNs, rank: r.rank, position: r.position, event: r.event as EventView };
      const list = out.get(key);
      if (list === undefined) out.set(key, [record]);
      else list.push(record);
    }
  }
  return out;
}

/** The stored spans (of any agent and service: the caller decides which a record may join) with these trace and span ids. */
export async function spansByIds(store: Store, ids: ReadonlyArray<{ traceId: string; spanId: string }>): Promise<SpanRow[]> {
  const wanted = new Set(ids.map((s) => spanKeyOf(s.traceId, s.spanId)));
  const spanIds = [...new Set(ids.map((s) => s.spanId))];
  const out: SpanRow[] = [];
  for (const part of listParts(store, spanIds)) {
    const rows = await store.db.select().from(spans).where(inList(store, spans.spanId, part));
    appendAll(out, await withMessages(store, rows.filter((r) => wanted.has(spanKeyOf(r.traceId, r.spanId)))));
  }
  return out;
}
