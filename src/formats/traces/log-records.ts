/**
 * GenAI content sent as OTLP log records (the OpenTelemetry contrib OpenAI instrumentation, OpenLIT: the events API
 * of the semantic conventions before 1.37, and `gen_ai.client.inference.operation.details` after): each record is
 * joined to the span it was emitted in by trace id and span id, whichever of the two arrives first, and read as
 * that span's events.
 */
import type { CapturedSpan } from '../captured-span.js';
import { FormatError } from '../format-error.js';
import type { JsonObject } from '../json-value.js';
import type { ExportLogsRequestJson, LogRecordJson } from '../../otlp/types.js';
import { fnv1a64 } from '../../triage/hash.js';
import { attributeMap, fromAnyValue } from './any-value.js';
import { readGenAIEvents } from './genai-events.js';
import { serviceNameOf } from './read-spans.js';
import { DETAILS_EVENT, readSemconv } from './semconv.js';
import type { EventView } from './span-view.js';

/** One GenAI event of a span, sent as a log record: what the store keeps until (and after) its span arrives. */
export interface SpanLogRecord {
  traceId: string;
  spanId: string;
  /**
   * Its resource's `service.name` (`"unknown"` without one), read as a span's: the record joins only a span of the same
   * service, never a span another service (another agent's exporter) sent with the same ids.
   */
  service: string;
  /** The record's identity (its position in its export and a hash of its content): a re-sent export stores it once. */
  key: string;
  /** Unix nanoseconds (decimal string): the record's time, else its observed time, else "0". */
  timeUnixNano: string;
  /** 0 for the request's messages, 1 for the answer: records of the same instant keep the conversation's order. */
  rank: number;
  /** Position in its export (records of one instant are emitted in the conversation's order). */
  position: number;
  /** The record as a span event: its event name, its attributes and its body (attribute `body`). */
  event: EventView;
}

/** What {@link readLogRecords} found in a logs export. */
export interface LogRecordsRead {
  /** GenAI events with a trace and span id, in document order. */
  records: SpanLogRecord[];
  /** Records that are not GenAI events (application logs): not kept. */
  ignored: number;
  /** GenAI events without a trace or span id: nothing to join them to, counted and not kept. */
  unjoinable: number;
}

const ANSWER_EVENTS = new Set(['gen_ai.choice', 'gen_ai.content.completion']);

function eventNameOf(record: LogRecordJson, attributes: JsonObject): string {
  if (record.eventName !== undefined && record.eventName !== '') return record.eventName;
  const named = attributes['event.name'];
  return typeof named === 'string' ? named : '';
}

function rankOf(event: EventView): number {
  if (ANSWER_EVENTS.has(event.name)) return 1;
  return event.name === DETAILS_EVENT && event.attributes['gen_ai.input.messages'] === undefined && event.attributes['gen_ai.output.messages'] !== undefined ? 1 : 0;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/**
 * The GenAI events of a validated OTLP/JSON logs export (src/otlp validateLogsExport or decodeExportLogsRequest), as
 * records keyed to their spans; other records are counted, never read further.
 */
export function readLogRecords(request: ExportLogsRequestJson): LogRecordsRead {
  const out: LogRecordsRead = { records: [], ignored: 0, unjoinable: 0 };
  let position = 0;
  for (const resourceLogs of request.resourceLogs) {
    const service = serviceNameOf(attributeMap(resourceLogs.resource?.attributes, {}));
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      for (const record of scopeLogs.logRecords ?? []) {
        const at = position++;
        const attributes = attributeMap(record.attributes, {});
        const name = eventNameOf(record, attributes);
        if (!name.startsWith('gen_ai.')) {
          out.ignored++;
          continue;
        }
        if (record.traceId === undefined || record.spanId === undefined) {
          out.unjoinable++;
          continue;
        }
        if (record.body !== undefined) attributes.body = fromAnyValue(record.body);
        const event: EventView = { name, attributes };
        const timeUnixNano = record.timeUnixNano !== undefined && record.timeUnixNano !== '0' ? record.timeUnixNano : record.observedTimeUnixNano ?? '0';
        const digest = fnv1a64(JSON.stringify([service, record.traceId, record.spanId, timeUnixNano, record.observedTimeUnixNano ?? '', event]));
        out.records.push({ traceId: record.traceId, spanId: record.spanId, service, key: `${at}:${hex(digest.hi)}${hex(digest.lo)}`, timeUnixNano, rank: rankOf(event), position: at, event });
      }
    }
  }
  return out;
}

/** Decimal strings of unsigned integers compared as numbers (no BigInt per comparison). */
function compareDecimal(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** The records of one span in conversation order: time, then request before answer, then position in the export. */
export function orderRecords(records: readonly SpanLogRecord[]): SpanLogRecord[] {
  return [...records].sort((a, b) => compareDecimal(a.timeUnixNano, b.timeUnixNano) || a.rank - b.rank || a.position - b.position || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The span's events from its records: per-message events as they are, the details events merged into one. */
function eventsOf(records: readonly SpanLogRecord[]): EventView[] {
  const events: EventView[] = [];
  let details: EventView | undefined;
  for (const { event } of orderRecords(records)) {
    if (event.name !== DETAILS_EVENT) {
      events.push(event);
      continue;
    }
    // The request's messages and the answer come as two details events: one event carries both for the reader.
    if (details === undefined) {
      details = { name: DETAILS_EVENT, attributes: {} };
      events.push(details);
    }
    for (const [key, value] of Object.entries(event.attributes)) if (details.attributes[key] === undefined) details.attributes[key] = value;
  }
  return events;
}

/**
 * The span with the GenAI events sent for it as log records: a span that carries no messages of its own takes the
 * messages of all its records (`records` must be every record of the span stored so far, in any order). A span
 * with its own messages keeps them. No readable record leaves the span unreadable, so it is never judged.
 */
export function withLogRecords(span: CapturedSpan, records: readonly SpanLogRecord[]): CapturedSpan {
  if (records.length === 0 || (span.messages.length > 0 && span.convention !== 'otlp-logs')) return span;
  const view = { name: span.name, attributes: {}, events: eventsOf(records), resource: {} };
  let read;
  try {
    read = readSemconv(view) ?? readGenAIEvents(view);
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
  }
  const messages = read?.messages ?? [];
  return { ...span, convention: 'otlp-logs', kind: messages.length > 0 ? read!.kind : span.kind, messages, unreadable: messages.length === 0 };
}
