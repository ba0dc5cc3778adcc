/**
 * Validation of an OTLP/JSON `ExportTraceServiceRequest` (and `ExportLogsServiceRequest`, at the end) (as `JSON.parse` gives it) into the canonical shape of
 * {@link ExportTraceRequestJson}, before any reader sees it. Pure and linear: every known field is visited once,
 * unknown fields are dropped without being walked (so nesting inside them costs nothing), and `AnyValue`
 * nesting stops at {@link MAX_ANY_VALUE_DEPTH}, so recursion stays shallow whatever the input.
 *
 * A problem above the span level (the request, a `resourceSpans` / `scopeSpans` entry, a resource or scope) throws
 * {@link OtlpShapeError}: the request as a whole is malformed. A problem inside a span rejects that span only;
 * it is left out of the result and listed in `rejected` with the path of its first problem, for an
 * `ExportTraceServiceResponse.partialSuccess`. Both camelCase and the proto field names (`trace_id`) are read,
 * as proto3 JSON parsers do; `null` counts as absent.
 */
import { OtlpShapeError, pathText, step, type PathStep } from './path.js';
import {
  MAX_ANY_VALUE_DEPTH,
  type AnyValueJson,
  type EventJson,
  type ExportLogsRequestJson,
  type ExportTraceRequestJson,
  type KeyValueJson,
  type LinkJson,
  type LogRecordJson,
  type ResourceJson,
  type ResourceLogsJson,
  type ResourceSpansJson,
  type ScopeJson,
  type ScopeLogsJson,
  type ScopeSpansJson,
  type SpanJson,
  type StatusJson,
} from './types.js';

/** A span left out of the validated export. */
export interface RejectedSpan {
  /** Path of the span, e.g. `resourceSpans[0].scopeSpans[0].spans[3]`. */
  span: string;
  /** The first problem, starting with its path: `resourceSpans[0]...spans[3].events: expected an array, got string`. */
  message: string;
}

/** The result of {@link validateExport}. */
export interface ValidatedExport {
  /** The export holding only the accepted spans, in canonical OTLP/JSON. */
  request: ExportTraceRequestJson;
  /** Spans kept. */
  acceptedSpans: number;
  /** Spans left out, in document order. */
  rejected: RejectedSpan[];
}

type Json = Record<string, unknown>;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Thrown instead of rejecting a value when {@link ValidateOptions.roundedIntegers} is set and the value is an integer
 * beyond 2^53: `JSON.parse` may have rounded it, and the lossless parse may read it differently (as a string).
 */
export class RoundedIntegerError extends Error {
  constructor() {
    super('an integer beyond 2^53 read by JSON.parse: parse the body losslessly');
    this.name = 'RoundedIntegerError';
  }
}

/** Options of {@link validateExport} and {@link validateLogsExport}. */
export interface ValidateOptions {
  /**
   * The value comes from plain `JSON.parse`, which rounds integers beyond 2^53: validation throws
   * {@link RoundedIntegerError} where it would reject or read such a number, so the caller parses again without loss.
   */
  roundedIntegers?: boolean;
}

/** Whether the export being validated came from plain `JSON.parse` (set for the length of one synchronous call). */
let fromJsonParse = false;

function fail(path: PathStep | undefined, problem: string): never {
  throw new OtlpShapeError(path, problem);
}

function expected(path: PathStep | undefined, what: string, value: unknown, lead = `expected ${what}`): never {
  if (fromJsonParse && typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) throw new RoundedIntegerError();
  return fail(path, `${lead}, got ${typeName(value)}`);
}

/** Runs `validate` with {@link fromJsonParse} set as `options` say, restoring it after. */
function withOptions<T>(options: ValidateOptions, validate: () => T): T {
  const before = fromJsonParse;
  fromJsonParse = options.roundedIntegers === true;
  try {
    return validate();
  } finally {
    fromJsonParse = before;
  }
}

const SNAKE = new Map<string, string>();
function snake(camel: string): string {
  let name = SNAKE.get(camel);
  if (name === undefined) {
    name = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    SNAKE.set(camel, name);
  }
  return name;
}

/** A field by its JSON name or proto name; `null` is absent (proto3 JSON). */
function field(object: Json, name: string): unknown {
  const value = Object.hasOwn(object, name) ? object[name] : object[snake(name)];
  return value === null ? undefined : value;
}

function object(value: unknown, path: PathStep): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : expected(path, 'an object', value);
}

function list(value: unknown, path: PathStep): unknown[] {
  return Array.isArray(value) ? value : expected(path, 'an array', value);
}

function optString(object: Json, name: string, at: PathStep | undefined): string | undefined {
  const value = field(object, name);
  if (value === undefined || typeof value === 'string') return value;
  return expected(step(at, name), 'a string', value);
}

const UINT = /^\d{1,20}$/;
const INT = /^-?\d{1,19}$/;
const MAX_UINT64 = 2n ** 64n - 1n;
const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/** A 64-bit integer (unsigned for timestamps) as a decimal string; proto3 JSON allows a number or a string. */
function int64(value: unknown, path: PathStep, unsigned: boolean): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' ? value : undefined;
  if (text === undefined || !(unsigned ? UINT : INT).test(text)) return expected(path, unsigned ? 'an unsigned 64-bit integer' : 'a 64-bit integer', value);
  const n = BigInt(text);
  if (unsigned ? n > MAX_UINT64 : n < MIN_INT64 || n > MAX_INT64) fail(path, `integer ${text} out of range`);
  return n.toString();
}

function optTime(object: Json, name: string, at: PathStep): string | undefined {
  const value = field(object, name);
  return value === undefined ? undefined : int64(value, step(at, name), true);
}

/** A 32-bit integer field (counts, flags, enums given as numbers). */
function int32(value: unknown, path: PathStep, min: number, max: number): number {
  const n = typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) return expected(path, `an integer from ${min} to ${max}`, value);
  return n;
}

function optCount(object: Json, name: string, at: PathStep | undefined): number | undefined {
  const value = field(object, name);
  return value === undefined ? undefined : int32(value, step(at, name), 0, 0xffffffff);
}

/** An enum: its number, or its name from `names` (proto3 JSON readers accept both). */
function optEnum(object: Json, name: string, at: PathStep, names: readonly string[]): number | undefined {
  const value = field(object, name);
  if (value === undefined) return undefined;
  if (typeof value === 'string' && names.includes(value)) return names.indexOf(value);
  return int32(value, step(at, name), -0x80000000, 0x7fffffff);
}

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** A hex id of `bytes` bytes, lowercased; `allowEmpty` for `parentSpanId` ("" = root). */
function hexId(value: unknown, path: PathStep, bytes: number, allowEmpty: boolean): string {
  if (typeof value !== 'string') return expected(path, `a ${bytes * 2}-digit hex id`, value);
  if (value === '' && allowEmpty) return value;
  if (value.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(value)) fail(path, `expected a ${bytes * 2}-digit hex id, got ${JSON.stringify(value.slice(0, 40))}`);
  if (/^0+$/.test(value) && !allowEmpty) fail(path, 'an all-zero id is invalid');
  return value.toLowerCase();
}

function requiredId(object: Json, name: string, at: PathStep, bytes: number): string {
  const value = field(object, name);
  return value === undefined ? fail(step(at, name), `missing (every span needs a ${bytes * 2}-digit hex ${name})`) : hexId(value, step(at, name), bytes, false);
}

const DOUBLE_WORDS = new Set(['NaN', 'Infinity', '-Infinity']);
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const VALUE_KINDS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] as const;

/** Each kind's bit, by its JSON name and its proto name. */
const KIND_BITS = new Map<string, number>(VALUE_KINDS.flatMap((kind, i) => [[kind, 1 << i] as const, [snake(kind), 1 << i] as const]));

/** The kinds set in an AnyValue, in {@link VALUE_KINDS} order: only its own keys are looked at (usually one). */
function kindsOf(source: Json): Array<(typeof VALUE_KINDS)[number]> {
  let bits = 0;
  for (const key of Object.keys(source)) bits |= KIND_BITS.get(key) ?? 0;
  const kinds: Array<(typeof VALUE_KINDS)[number]> = [];
  for (let i = 0; bits !== 0; i++, bits >>= 1) if (bits & 1 && field(source, VALUE_KINDS[i]) !== undefined) kinds.push(VALUE_KINDS[i]);
  return kinds;
}

function anyValue(value: unknown, path: PathStep, depth: number): AnyValueJson {
  if (depth > MAX_ANY_VALUE_DEPTH) fail(path, `values nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  const source = object(value, path);
  const kinds = kindsOf(source);
  if (kinds.length > 1) fail(path, `an AnyValue holds one kind, got ${kinds.join(' and ')}`);
  if (kinds.length === 0) return {};
  const kind = kinds[0];
  const at = step(path, kind);
  const raw = field(source, kind);
  switch (kind) {
    case 'stringValue':
      return typeof raw === 'string' ? { stringValue: raw } : expected(at, 'a string', raw);
    case 'boolValue':
      return typeof raw === 'boolean' ? { boolValue: raw } : expected(at, 'a boolean', raw);
    case 'intValue':
      return { intValue: int64(raw, at, false) };
    case 'doubleValue':
      if (typeof raw === 'number') return { doubleValue: raw };
      if (typeof raw === 'string' && DOUBLE_WORDS.has(raw)) return { doubleValue: raw };
      if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return { doubleValue: Number(raw) };
      return expected(at, 'a number', raw);
    case 'bytesValue':
      return typeof raw === 'string' && BASE64.test(raw) ? { bytesValue: raw } : expected(at, 'base64 text', raw);
    case 'arrayValue': {
      const values = field(object(raw, at), 'values');
      if (values === undefined) return { arrayValue: {} };
      const valuesAt = step(at, 'values');
      return { arrayValue: { values: list(values, valuesAt).map((item, i) => anyValue(item, step(valuesAt, i), depth + 1)) } };
    }
    case 'kvlistValue': {
      const values = field(object(raw, at), 'values');
      if (values === undefined) return { kvlistValue: {} };
      const valuesAt = step(at, 'values');
      return { kvlistValue: { values: list(values, valuesAt).map((item, i) => keyValue(item, step(valuesAt, i), depth + 1)) } };
    }
  }
}

function keyValue(value: unknown, path: PathStep, depth: number): KeyValueJson {
  const source = object(value, path);
  const key = field(source, 'key');
  if (typeof key !== 'string') expected(step(path, 'key'), 'a string', key);
  const raw = field(source, 'value');
  return raw === undefined ? { key } : { key, value: anyValue(raw, step(path, 'value'), depth) };
}

function optAttributes(source: Json, at: PathStep | undefined): KeyValueJson[] | undefined {
  const raw = field(source, 'attributes');
  if (raw === undefined) return undefined;
  const path = step(at, 'attributes');
  return list(raw, path).map((item, i) => keyValue(item, step(path, i), 1));
}

/** Copies the fields that are set, leaving absent ones absent (so a round trip keeps the document's shape). */
function defined<T extends object>(fields: T): T {
  const out = {} as T;
  for (const key in fields) if (fields[key] !== undefined) out[key] = fields[key];
  return out;
}

function event(value: unknown, path: PathStep): EventJson {
  const source = object(value, path);
  return defined({
    timeUnixNano: optTime(source, 'timeUnixNano', path),
    name: optString(source, 'name', path),
    attributes: optAttributes(source, path),
    droppedAttributesCount: optCount(source, 'droppedAttributesCount', path),
  });
}

function link(value: unknown, path: PathStep): LinkJson {
  const source = object(value, path);
  return defined({
    traceId: requiredId(source, 'traceId', path, 16),
    spanId: requiredId(source, 'spanId', path, 8),
    traceState: optString(source, 'traceState', path),
    attributes: optAttributes(source, path),
    droppedAttributesCount: optCount(source, 'droppedAttributesCount', path),
    flags: optCount(source, 'flags', path),
  });
}

function status(value: unknown, path: PathStep): StatusJson {
  const source = object(value, path);
  return defined({ message: optString(source, 'message', path), code: optEnum(source, 'code', path, STATUS_CODES) });
}

function optList<T>(source: Json, name: string, at: PathStep, item: (value: unknown, path: PathStep) => T): T[] | undefined {
  const raw = field(source, name);
  if (raw === undefined) return undefined;
  const path = step(at, name);
  return list(raw, path).map((entry, i) => item(entry, step(path, i)));
}

function span(value: unknown, path: PathStep): SpanJson {
  const source = object(value, path);
  const parent = field(source, 'parentSpanId');
  const rawStatus = field(source, 'status');
  return defined({
    traceId: requiredId(source, 'traceId', path, 16),
    spanId: requiredId(source, 'spanId', path, 8),
    traceState: optString(source, 'traceState', path),
    parentSpanId: parent === undefined ? undefined : hexId(parent, step(path, 'parentSpanId'), 8, true),
    flags: optCount(source, 'flags', path),
    name: optString(source, 'name', path),
    kind: optEnum(source, 'kind', path, SPAN_KINDS),
    startTimeUnixNano: optTime(source, 'startTimeUnixNano', path),
    endTimeUnixNano: optTime(source, 'endTimeUnixNano', path),
    attributes: optAttributes(source, path),
    droppedAttributesCount: optCount(source, 'droppedAttributesCount', path),
    events: optList(source, 'events', path, event),
    droppedEventsCount: optCount(source, 'droppedEventsCount', path),
    links: optList(source, 'links', path, link),
    droppedLinksCount: optCount(source, 'droppedLinksCount', path),
    status: rawStatus === undefined ? undefined : status(rawStatus, step(path, 'status')),
  });
}

function resource(value: unknown, path: PathStep): ResourceJson {
  const source = object(value, path);
  const refs = optList(source, 'entityRefs', path, (entry, at) => {
    const ref = object(entry, at);
    const keys = (name: string) => optList(ref, name, at, (key, keyAt) => (typeof key === 'string' ? key : expected(keyAt, 'a string', key)));
    return defined({ schemaUrl: optString(ref, 'schemaUrl', at), type: optString(ref, 'type', at), idKeys: keys('idKeys'), descriptionKeys: keys('descriptionKeys') });
  });
  return defined({ attributes: optAttributes(source, path), droppedAttributesCount: optCount(source, 'droppedAttributesCount', path), entityRefs: refs });
}

function scope(value: unknown, path: PathStep): ScopeJson {
  const source = object(value, path);
  return defined({
    name: optString(source, 'name', path),
    version: optString(source, 'version', path),
    attributes: optAttributes(source, path),
    droppedAttributesCount: optCount(source, 'droppedAttributesCount', path),
  });
}

/**
 * Validates an OTLP/JSON export; see the module comment. Throws {@link OtlpShapeError} when the request is
 * malformed above the span level (including a body without a `resourceSpans` array).
 */
export function validateExport(value: unknown, options: ValidateOptions = {}): ValidatedExport {
  return withOptions(options, () => validateTraces(value));
}

function validateTraces(value: unknown): ValidatedExport {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) expected(undefined, 'an object', value, 'an OTLP export must be an object');
  const top = value as Json;
  const rawResourceSpans = field(top, 'resourceSpans');
  if (rawResourceSpans === undefined) fail(undefined, 'an OTLP export must have a "resourceSpans" array');
  const rejected: RejectedSpan[] = [];
  const seen = new Set<string>();
  let acceptedSpans = 0;
  const rsPath = step(undefined, 'resourceSpans');
  const resourceSpans = list(rawResourceSpans, rsPath).map((entry, r): ResourceSpansJson => {
    const rsAt = step(rsPath, r);
    const rs = object(entry, rsAt);
    const rawResource = field(rs, 'resource');
    const ssPath = step(rsAt, 'scopeSpans');
    const rawScopeSpans = field(rs, 'scopeSpans');
    const scopeSpans =
      rawScopeSpans === undefined
        ? undefined
        : list(rawScopeSpans, ssPath).map((scopeEntry, s): ScopeSpansJson => {
            const ssAt = step(ssPath, s);
            const ss = object(scopeEntry, ssAt);
            const rawScope = field(ss, 'scope');
            const rawSpans = field(ss, 'spans');
            let spans: SpanJson[] | undefined;
            if (rawSpans !== undefined) {
              const spansPath = step(ssAt, 'spans');
              spans = [];
              list(rawSpans, spansPath).forEach((spanEntry, i) => {
                const at = step(spansPath, i);
                try {
                  const checked = span(spanEntry, at);
                  // Two spans with one id pair would be one span to every backend, and to the enrichment.
                  const id = `${checked.traceId}/${checked.spanId}`;
                  if (seen.has(id)) fail(step(at, 'spanId'), `duplicate span id ${checked.spanId} in trace ${checked.traceId}`);
                  seen.add(id);
                  spans!.push(checked);
                  acceptedSpans++;
                } catch (err) {
                  if (!(err instanceof OtlpShapeError)) throw err;
                  rejected.push({ span: pathText(at), message: err.message });
                }
              });
            }
            return defined({ scope: rawScope === undefined ? undefined : scope(rawScope, step(ssAt, 'scope')), spans, schemaUrl: optString(ss, 'schemaUrl', ssAt) });
          });
    return defined({
      resource: rawResource === undefined ? undefined : resource(rawResource, step(rsAt, 'resource')),
      scopeSpans,
      schemaUrl: optString(rs, 'schemaUrl', rsAt),
    });
  });
  return { request: { resourceSpans }, acceptedSpans, rejected };
}

/** A log record left out of a validated logs export. */
export interface RejectedLogRecord {
  /** Path of the record, e.g. `resourceLogs[0].scopeLogs[0].logRecords[3]`. */
  record: string;
  /** The first problem, starting with its path. */
  message: string;
}

/** The result of {@link validateLogsExport}. */
export interface ValidatedLogsExport {
  request: ExportLogsRequestJson;
  acceptedRecords: number;
  rejected: RejectedLogRecord[];
}

/** A log record's optional id: "" or absent is none (log records need not belong to a span). */
function optId(source: Json, name: string, at: PathStep, bytes: number): string | undefined {
  const value = field(source, name);
  if (value === undefined || value === '') return undefined;
  return hexId(value, step(at, name), bytes, false);
}

const SEVERITIES = ['SEVERITY_NUMBER_UNSPECIFIED', 'SEVERITY_NUMBER_TRACE', 'SEVERITY_NUMBER_TRACE2', 'SEVERITY_NUMBER_TRACE3', 'SEVERITY_NUMBER_TRACE4', 'SEVERITY_NUMBER_DEBUG', 'SEVERITY_NUMBER_DEBUG2', 'SEVERITY_NUMBER_DEBUG3', 'SEVERITY_NUMBER_DEBUG4', 'SEVERITY_NUMBER_INFO', 'SEVERITY_NUMBER_INFO2', 'SEVERITY_NUMBER_INFO3', 'SEVERITY_NUMBER_INFO4', 'SEVERITY_NUMBER_WARN', 'SEVERITY_NUMBER_WARN2', 'SEVERITY_NUMBER_WARN3', 'SEVERITY_NUMBER_WARN4', 'SEVERITY_NUMBER_ERROR', 'SEVERITY_NUMBER_ERROR2', 'SEVERITY_NUMBER_ERROR3', 'SEVERITY_NUMBER_ERROR4', 'SEVERITY_NUMBER_FATAL', 'SEVERITY_NUMBER_FATAL2', 'SEVERITY_NUMBER_FATAL3', 'SEVERITY_NUMBER_FATAL4'];

function logRecord(value: unknown, path: PathStep): LogRecordJson {
  const source = object(value, path);
  const body = field(source, 'body');
  return defined({
    timeUnixNano: optTime(source, 'timeUnixNano', path),
    observedTimeUnixNano: optTime(source, 'observedTimeUnixNano', path),
    severityNumber: optEnum(source, 'severityNumber', path, SEVERITIES),
    severityText: optString(source, 'severityText', path),
    body: body === undefined ? undefined : anyValue(body, step(path, 'body'), 1),
    attributes: optAttributes(source, path),
    droppedAttributesCount: optCount(source, 'droppedAttributesCount', path),
    flags: optCount(source, 'flags', path),
    traceId: optId(source, 'traceId', path, 16),
    spanId: optId(source, 'spanId', path, 8),
    eventName: optString(source, 'eventName', path),
  });
}

/**
 * Validates an OTLP/JSON `ExportLogsServiceRequest` as {@link validateExport} does a trace export: a problem above
 * the record level throws {@link OtlpShapeError}; a problem inside a log record leaves that record out and lists it
 * in `rejected`.
 */
export function validateLogsExport(value: unknown, options: ValidateOptions = {}): ValidatedLogsExport {
  return withOptions(options, () => validateLogs(value));
}

function validateLogs(value: unknown): ValidatedLogsExport {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) expected(undefined, 'an object', value, 'an OTLP logs export must be an object');
  const top = value as Json;
  const raw = field(top, 'resourceLogs');
  if (raw === undefined) fail(undefined, 'an OTLP logs export must have a "resourceLogs" array');
  const rejected: RejectedLogRecord[] = [];
  let acceptedRecords = 0;
  const rlPath = step(undefined, 'resourceLogs');
  const resourceLogs = list(raw, rlPath).map((entry, r): ResourceLogsJson => {
    const rlAt = step(rlPath, r);
    const rl = object(entry, rlAt);
    const rawResource = field(rl, 'resource');
    const slPath = step(rlAt, 'scopeLogs');
    const rawScopeLogs = field(rl, 'scopeLogs');
    const scopeLogs =
      rawScopeLogs === undefined
        ? undefined
        : list(rawScopeLogs, slPath).map((scopeEntry, s): ScopeLogsJson => {
            const slAt = step(slPath, s);
            const sl = object(scopeEntry, slAt);
            const rawScope = field(sl, 'scope');
            const rawRecords = field(sl, 'logRecords');
            let logRecords: LogRecordJson[] | undefined;
            if (rawRecords !== undefined) {
              const recordsPath = step(slAt, 'logRecords');
              logRecords = [];
              list(rawRecords, recordsPath).forEach((recordEntry, i) => {
                const at = step(recordsPath, i);
                try {
                  logRecords!.push(logRecord(recordEntry, at));
                  acceptedRecords++;
                } catch (err) {
                  if (!(err instanceof OtlpShapeError)) throw err;
                  rejected.push({ record: pathText(at), message: err.message });
                }
              });
            }
            return defined({ scope: rawScope === undefined ? undefined : scope(rawScope, step(slAt, 'scope')), logRecords, schemaUrl: optString(sl, 'schemaUrl', slAt) });
          });
    return defined({
      resource: rawResource === undefined ? undefined : resource(rawResource, step(rlAt, 'resource')),
      scopeLogs,
      schemaUrl: optString(rl, 'schemaUrl', rlAt),
    });
  });
  return { request: { resourceLogs }, acceptedRecords, rejected };
}
