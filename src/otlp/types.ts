/**
 * The OTLP/JSON `ExportTraceServiceRequest` as this package reads and writes it, after validation
 * ({@link ./validate.ts}) or protobuf decoding ({@link ./proto-decode.ts}): ids are lowercase hex, 64-bit integers
 * decimal strings, enums numbers, `bytesValue` base64; fields absent on the wire are absent here.
 */

/** `AnyValue`: at most one kind set (none: an empty value). */
export interface AnyValueJson {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  /** A number, or `"NaN"`, `"Infinity"`, `"-Infinity"` as proto3 JSON writes those. */
  doubleValue?: number | string;
  arrayValue?: { values?: AnyValueJson[] };
  kvlistValue?: { values?: KeyValueJson[] };
  bytesValue?: string;
}

/** `KeyValue`. */
export interface KeyValueJson {
  key: string;
  value?: AnyValueJson;
}

/** `Span.Event`. */
export interface EventJson {
  timeUnixNano?: string;
  name?: string;
  attributes?: KeyValueJson[];
  droppedAttributesCount?: number;
}

/** `Span.Link`. */
export interface LinkJson {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: KeyValueJson[];
  droppedAttributesCount?: number;
  flags?: number;
}

/** `Status`. */
export interface StatusJson {
  message?: string;
  code?: number;
}

/** `Span`. */
export interface SpanJson {
  traceId: string;
  spanId: string;
  traceState?: string;
  parentSpanId?: string;
  flags?: number;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: KeyValueJson[];
  droppedAttributesCount?: number;
  events?: EventJson[];
  droppedEventsCount?: number;
  links?: LinkJson[];
  droppedLinksCount?: number;
  status?: StatusJson;
}

/** `EntityRef` of a resource. */
export interface EntityRefJson {
  schemaUrl?: string;
  type?: string;
  idKeys?: string[];
  descriptionKeys?: string[];
}

/** `Resource`. */
export interface ResourceJson {
  attributes?: KeyValueJson[];
  droppedAttributesCount?: number;
  entityRefs?: EntityRefJson[];
}

/** `InstrumentationScope`. */
export interface ScopeJson {
  name?: string;
  version?: string;
  attributes?: KeyValueJson[];
  droppedAttributesCount?: number;
}

/** `ScopeSpans`. */
export interface ScopeSpansJson {
  scope?: ScopeJson;
  spans?: SpanJson[];
  schemaUrl?: string;
}

/** `ResourceSpans`. */
export interface ResourceSpansJson {
  resource?: ResourceJson;
  scopeSpans?: ScopeSpansJson[];
  schemaUrl?: string;
}

/** `ExportTraceServiceRequest`. */
export interface ExportTraceRequestJson {
  resourceSpans: ResourceSpansJson[];
}

/** `ExportTraceServiceResponse`; `rejectedSpans` is a number (OTLP/JSON receivers accept numbers and strings). */
export interface ExportTraceResponseJson {
  partialSuccess?: { rejectedSpans?: number; errorMessage?: string };
}

/** Deepest `arrayValue` / `kvlistValue` nesting accepted, in JSON and protobuf alike (keeps every walk shallow). */
export const MAX_ANY_VALUE_DEPTH = 32;

/** `LogRecord` (opentelemetry-proto `logs/v1/logs.proto`); `traceId` / `spanId` hex, absent when not set. */
export interface LogRecordJson {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: AnyValueJson;
  attributes?: KeyValueJson[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: string;
  spanId?: string;
  /** The event name (OTLP 1.5); older emitters put it in the `event.name` attribute instead. */
  eventName?: string;
}

/** `ScopeLogs`. */
export interface ScopeLogsJson {
  scope?: ScopeJson;
  logRecords?: LogRecordJson[];
  schemaUrl?: string;
}

/** `ResourceLogs`. */
export interface ResourceLogsJson {
  resource?: ResourceJson;
  scopeLogs?: ScopeLogsJson[];
  schemaUrl?: string;
}

/** `ExportLogsServiceRequest`. */
export interface ExportLogsRequestJson {
  resourceLogs: ResourceLogsJson[];
}
