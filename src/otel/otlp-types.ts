/**
 * The slice of the OTLP/JSON trace request this package writes, and the type fix-up applied after OpenTelemetry
 * JS serializes it. Pure: no `@opentelemetry/*` import.
 */
import { DOUBLE_KEYS } from './attributes.js';

/** OTLP/JSON `AnyValue`; `intValue` is a number as the JS serializer writes it, a string once fixed. */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}

/** OTLP/JSON `KeyValue`. */
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

/** OTLP/JSON span, the fields this package reads or writes. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpKeyValue[];
  events?: Array<{ name: string; timeUnixNano: string; attributes?: OtlpKeyValue[] }>;
  links?: Array<{ attributes?: OtlpKeyValue[] }>;
}

/** OTLP/JSON `ExportTraceServiceRequest`. */
export interface ExportTraceServiceRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: Array<{ scope?: { name?: string; version?: string; attributes?: OtlpKeyValue[] }; spans?: OtlpSpan[] }>;
  }>;
}

function fixValue(value: OtlpAnyValue, key: string | undefined): void {
  if (typeof value.intValue === 'number') {
    // The JS serializer picks intValue/doubleValue from the runtime value, so 62.0 arrives as intValue 62.
    if (key !== undefined && DOUBLE_KEYS.has(key)) {
      value.doubleValue = value.intValue;
      delete value.intValue;
    } else {
      // Canonical proto3 JSON writes int64 as a decimal string.
      value.intValue = String(value.intValue);
    }
  }
  for (const item of value.arrayValue?.values ?? []) fixValue(item, undefined);
  fixKeyValues(value.kvlistValue?.values);
}

function fixKeyValues(list: OtlpKeyValue[] | undefined): void {
  for (const { key, value } of list ?? []) fixValue(value, key);
}

/**
 * Rewrites, in place, the number encoding of a request made by OpenTelemetry JS's `JsonTraceSerializer`:
 * keys of {@link DOUBLE_KEYS} become `doubleValue` (the SDK cannot tell 62.0 from 62) and every other
 * `intValue` becomes a decimal string, as canonical proto3 JSON encodes int64. Returns the request.
 */
export function fixOtlpJsonTypes(request: ExportTraceServiceRequest): ExportTraceServiceRequest {
  for (const resourceSpans of request.resourceSpans ?? []) {
    fixKeyValues(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      fixKeyValues(scopeSpans.scope?.attributes);
      for (const span of scopeSpans.spans ?? []) {
        fixKeyValues(span.attributes);
        for (const event of span.events ?? []) fixKeyValues(event.attributes);
        for (const link of span.links ?? []) fixKeyValues(link.attributes);
      }
    }
  }
  return request;
}
