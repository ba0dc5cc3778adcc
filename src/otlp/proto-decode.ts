/**
 * OTLP/protobuf `ExportTraceServiceRequest` and `ExportLogsServiceRequest` → the OTLP/JSON objects the readers take. Pure JS over
 * `BinaryReader` (no generated code, no `eval`), so it runs in Workers. Field numbers follow
 * opentelemetry-proto `trace/v1/trace.proto`, `common/v1/common.proto` and `resource/v1/resource.proto`.
 * Unknown fields are skipped, as protobuf readers do; a known field with the wrong wire type, a truncated
 * message, invalid UTF-8 or values nested deeper than {@link MAX_ANY_VALUE_DEPTH} is an {@link OtlpShapeError}
 * naming the field.
 */
import { base64Encode, BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { bytesToHex } from './hex.js';
import { OtlpShapeError, step, type PathStep } from './path.js';
import {
  MAX_ANY_VALUE_DEPTH,
  type AnyValueJson,
  type EntityRefJson,
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

const WIRE_NAMES: Record<number, string> = {
  [WireType.Varint]: 'varint',
  [WireType.Bit64]: 'fixed64',
  [WireType.LengthDelimited]: 'length-delimited',
  [WireType.StartGroup]: 'group',
  [WireType.EndGroup]: 'group end',
  [WireType.Bit32]: 'fixed32',
};

/** Reads one message's fields; `field` returns false for a field it does not know, which is then skipped. */
type FieldReader = (reader: Reader, no: number) => boolean;

/** A `BinaryReader` that checks wire types and names the field of any problem. */
class Reader {
  wireType: WireType = WireType.Varint;
  path: PathStep | undefined;
  constructor(
    readonly inner: BinaryReader,
    path: PathStep | undefined,
  ) {
    this.path = path;
  }
  private want(type: WireType, name: string | PathStep): void {
    const at = typeof name === 'string' ? step(this.path, name) : name;
    if (this.wireType !== type) throw new OtlpShapeError(at, `expected ${WIRE_NAMES[type]}, got wire type ${WIRE_NAMES[this.wireType] ?? this.wireType}`);
  }
  string(name: string): string {
    this.want(WireType.LengthDelimited, name);
    try {
      return this.inner.string(true);
    } catch {
      throw new OtlpShapeError(step(this.path, name), 'invalid UTF-8 or truncated string');
    }
  }
  bytes(name: string): Uint8Array {
    this.want(WireType.LengthDelimited, name);
    return this.inner.bytes();
  }
  fixed64(name: string): string {
    this.want(WireType.Bit64, name);
    return String(this.inner.fixed64());
  }
  fixed32(name: string): number {
    this.want(WireType.Bit32, name);
    return this.inner.fixed32();
  }
  uint32(name: string): number {
    this.want(WireType.Varint, name);
    return this.inner.uint32();
  }
  int32(name: string): number {
    this.want(WireType.Varint, name);
    return this.inner.int32();
  }
  int64(name: string): string {
    this.want(WireType.Varint, name);
    return String(this.inner.int64());
  }
  bool(name: string): boolean {
    this.want(WireType.Varint, name);
    return this.inner.bool();
  }
  double(name: string): number | string {
    this.want(WireType.Bit64, name);
    const value = this.inner.double();
    // proto3 JSON spells the non-finite doubles as strings; JSON.stringify would turn them into null.
    return Number.isFinite(value) ? value : String(value);
  }
  /** The nested message at `path` (this reader's current field), read with `field`. */
  message(path: PathStep, field: FieldReader): void {
    this.want(WireType.LengthDelimited, path);
    readFields(this.inner.bytes(), path, field);
  }
}

function readFields(bytes: Uint8Array, path: PathStep | undefined, field: FieldReader): void {
  const reader = new Reader(new BinaryReader(bytes), path);
  try {
    while (reader.inner.pos < reader.inner.len) {
      const [no, wireType] = reader.inner.tag();
      reader.wireType = wireType;
      if (!field(reader, no)) reader.inner.skip(wireType, no);
    }
  } catch (err) {
    if (err instanceof OtlpShapeError) throw err;
    throw new OtlpShapeError(path, `malformed protobuf (${(err as Error).message})`);
  }
}

/** Appends `item` to `list`, creating the list on the first item. */
function push<T>(list: T[] | undefined, item: T): T[] {
  const out = list ?? [];
  out.push(item);
  return out;
}

function anyValue(r: Reader, path: PathStep, depth: number): AnyValueJson {
  if (depth > MAX_ANY_VALUE_DEPTH) throw new OtlpShapeError(path, `values nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  const value: AnyValueJson = {};
  r.message(path, (v, no) => {
    // A oneof: the last kind on the wire wins, as in every protobuf reader.
    for (const key of Object.keys(value)) delete value[key as keyof AnyValueJson];
    switch (no) {
      case 1:
        value.stringValue = v.string('stringValue');
        return true;
      case 2:
        value.boolValue = v.bool('boolValue');
        return true;
      case 3:
        value.intValue = v.int64('intValue');
        return true;
      case 4:
        value.doubleValue = v.double('doubleValue');
        return true;
      case 5: {
        const at = step(path, 'arrayValue');
        const values: AnyValueJson[] = [];
        v.message(at, (a, n) => {
          if (n !== 1) return false;
          values.push(anyValue(a, step(step(at, 'values'), values.length), depth + 1));
          return true;
        });
        value.arrayValue = { values };
        return true;
      }
      case 6: {
        const at = step(path, 'kvlistValue');
        const values: KeyValueJson[] = [];
        v.message(at, (a, n) => {
          if (n !== 1) return false;
          values.push(keyValue(a, step(step(at, 'values'), values.length), depth + 1));
          return true;
        });
        value.kvlistValue = { values };
        return true;
      }
      case 7:
        value.bytesValue = base64Encode(v.bytes('bytesValue'));
        return true;
      default:
        return false;
    }
  });
  return value;
}

function keyValue(r: Reader, path: PathStep, depth: number): KeyValueJson {
  const kv: KeyValueJson = { key: '' };
  r.message(path, (f, no) => {
    if (no === 1) kv.key = f.string('key');
    else if (no === 2) kv.value = anyValue(f, step(path, 'value'), depth);
    else return false;
    return true;
  });
  return kv;
}

function attributeList(r: Reader, list: KeyValueJson[] | undefined, path: PathStep): KeyValueJson[] {
  const out = list ?? [];
  out.push(keyValue(r, step(step(path, 'attributes'), out.length), 1));
  return out;
}

function resource(r: Reader, path: PathStep): ResourceJson {
  const res: ResourceJson = {};
  r.message(path, (f, no) => {
    if (no === 1) res.attributes = attributeList(f, res.attributes, path);
    else if (no === 2) res.droppedAttributesCount = f.uint32('droppedAttributesCount');
    else if (no === 3) res.entityRefs = push(res.entityRefs, entityRef(f, step(step(path, 'entityRefs'), res.entityRefs?.length ?? 0)));
    else return false;
    return true;
  });
  return res;
}

function entityRef(r: Reader, path: PathStep): EntityRefJson {
  const ref: EntityRefJson = {};
  r.message(path, (f, no) => {
    if (no === 1) ref.schemaUrl = f.string('schemaUrl');
    else if (no === 2) ref.type = f.string('type');
    else if (no === 3) ref.idKeys = push(ref.idKeys, f.string('idKeys'));
    else if (no === 4) ref.descriptionKeys = push(ref.descriptionKeys, f.string('descriptionKeys'));
    else return false;
    return true;
  });
  return ref;
}

function scope(r: Reader, path: PathStep): ScopeJson {
  const sc: ScopeJson = {};
  r.message(path, (f, no) => {
    if (no === 1) sc.name = f.string('name');
    else if (no === 2) sc.version = f.string('version');
    else if (no === 3) sc.attributes = attributeList(f, sc.attributes, path);
    else if (no === 4) sc.droppedAttributesCount = f.uint32('droppedAttributesCount');
    else return false;
    return true;
  });
  return sc;
}

function event(r: Reader, path: PathStep): EventJson {
  const ev: EventJson = {};
  r.message(path, (f, no) => {
    if (no === 1) ev.timeUnixNano = f.fixed64('timeUnixNano');
    else if (no === 2) ev.name = f.string('name');
    else if (no === 3) ev.attributes = attributeList(f, ev.attributes, path);
    else if (no === 4) ev.droppedAttributesCount = f.uint32('droppedAttributesCount');
    else return false;
    return true;
  });
  return ev;
}

function link(r: Reader, path: PathStep): LinkJson {
  const ln: LinkJson = {};
  r.message(path, (f, no) => {
    if (no === 1) ln.traceId = bytesToHex(f.bytes('traceId'));
    else if (no === 2) ln.spanId = bytesToHex(f.bytes('spanId'));
    else if (no === 3) ln.traceState = f.string('traceState');
    else if (no === 4) ln.attributes = attributeList(f, ln.attributes, path);
    else if (no === 5) ln.droppedAttributesCount = f.uint32('droppedAttributesCount');
    else if (no === 6) ln.flags = f.fixed32('flags');
    else return false;
    return true;
  });
  return ln;
}

function status(r: Reader, path: PathStep): StatusJson {
  const st: StatusJson = {};
  r.message(path, (f, no) => {
    if (no === 2) st.message = f.string('message');
    else if (no === 3) st.code = f.int32('code');
    else return false;
    return true;
  });
  return st;
}

function span(r: Reader, path: PathStep): SpanJson {
  // Ids are required in OTLP; an encoder that leaves them out yields "" here, which validation rejects.
  const sp: SpanJson = { traceId: '', spanId: '' };
  r.message(path, (f, no) => {
    switch (no) {
      case 1:
        sp.traceId = bytesToHex(f.bytes('traceId'));
        return true;
      case 2:
        sp.spanId = bytesToHex(f.bytes('spanId'));
        return true;
      case 3:
        sp.traceState = f.string('traceState');
        return true;
      case 4:
        sp.parentSpanId = bytesToHex(f.bytes('parentSpanId'));
        return true;
      case 5:
        sp.name = f.string('name');
        return true;
      case 6:
        sp.kind = f.int32('kind');
        return true;
      case 7:
        sp.startTimeUnixNano = f.fixed64('startTimeUnixNano');
        return true;
      case 8:
        sp.endTimeUnixNano = f.fixed64('endTimeUnixNano');
        return true;
      case 9:
        sp.attributes = attributeList(f, sp.attributes, path);
        return true;
      case 10:
        sp.droppedAttributesCount = f.uint32('droppedAttributesCount');
        return true;
      case 11:
        sp.events = push(sp.events, event(f, step(step(path, 'events'), sp.events?.length ?? 0)));
        return true;
      case 12:
        sp.droppedEventsCount = f.uint32('droppedEventsCount');
        return true;
      case 13:
        sp.links = push(sp.links, link(f, step(step(path, 'links'), sp.links?.length ?? 0)));
        return true;
      case 14:
        sp.droppedLinksCount = f.uint32('droppedLinksCount');
        return true;
      case 15:
        sp.status = status(f, step(path, 'status'));
        return true;
      case 16:
        sp.flags = f.fixed32('flags');
        return true;
      default:
        return false;
    }
  });
  return sp;
}

function scopeSpans(r: Reader, path: PathStep): ScopeSpansJson {
  const ss: ScopeSpansJson = {};
  r.message(path, (f, no) => {
    if (no === 1) ss.scope = scope(f, step(path, 'scope'));
    else if (no === 2) ss.spans = push(ss.spans, span(f, step(step(path, 'spans'), ss.spans?.length ?? 0)));
    else if (no === 3) ss.schemaUrl = f.string('schemaUrl');
    else return false;
    return true;
  });
  return ss;
}

function resourceSpans(r: Reader, path: PathStep): ResourceSpansJson {
  const rs: ResourceSpansJson = {};
  r.message(path, (f, no) => {
    if (no === 1) rs.resource = resource(f, step(path, 'resource'));
    else if (no === 2) rs.scopeSpans = push(rs.scopeSpans, scopeSpans(f, step(step(path, 'scopeSpans'), rs.scopeSpans?.length ?? 0)));
    else if (no === 3) rs.schemaUrl = f.string('schemaUrl');
    else return false;
    return true;
  });
  return rs;
}

/**
 * Decodes an OTLP/protobuf `ExportTraceServiceRequest` into its OTLP/JSON form (the shape `JSON.parse` gives for
 * the same export sent as `application/json`): hex ids, decimal-string times and `intValue`s, base64 `bytesValue`,
 * numeric enums. `resourceSpans` is always present. Throws {@link OtlpShapeError} on malformed input.
 */
export function decodeExportTraceRequest(bytes: Uint8Array): ExportTraceRequestJson {
  const request: ExportTraceRequestJson = { resourceSpans: [] };
  readFields(bytes, undefined, (f, no) => {
    if (no !== 1) return false;
    request.resourceSpans.push(resourceSpans(f, step(step(undefined, 'resourceSpans'), request.resourceSpans.length)));
    return true;
  });
  return request;
}

function logRecord(r: Reader, path: PathStep): LogRecordJson {
  const lr: LogRecordJson = {};
  r.message(path, (f, no) => {
    switch (no) {
      case 1:
        lr.timeUnixNano = f.fixed64('timeUnixNano');
        return true;
      case 11:
        lr.observedTimeUnixNano = f.fixed64('observedTimeUnixNano');
        return true;
      case 2:
        lr.severityNumber = f.int32('severityNumber');
        return true;
      case 3:
        lr.severityText = f.string('severityText');
        return true;
      case 5:
        lr.body = anyValue(f, step(path, 'body'), 1);
        return true;
      case 6:
        lr.attributes = attributeList(f, lr.attributes, path);
        return true;
      case 7:
        lr.droppedAttributesCount = f.uint32('droppedAttributesCount');
        return true;
      case 8:
        lr.flags = f.fixed32('flags');
        return true;
      case 9:
        lr.traceId = bytesToHex(f.bytes('traceId'));
        return true;
      case 10:
        lr.spanId = bytesToHex(f.bytes('spanId'));
        return true;
      case 12:
        lr.eventName = f.string('eventName');
        return true;
      default:
        return false;
    }
  });
  return lr;
}

function scopeLogs(r: Reader, path: PathStep): ScopeLogsJson {
  const sl: ScopeLogsJson = {};
  r.message(path, (f, no) => {
    if (no === 1) sl.scope = scope(f, step(path, 'scope'));
    else if (no === 2) sl.logRecords = push(sl.logRecords, logRecord(f, step(step(path, 'logRecords'), sl.logRecords?.length ?? 0)));
    else if (no === 3) sl.schemaUrl = f.string('schemaUrl');
    else return false;
    return true;
  });
  return sl;
}

function resourceLogs(r: Reader, path: PathStep): ResourceLogsJson {
  const rl: ResourceLogsJson = {};
  r.message(path, (f, no) => {
    if (no === 1) rl.resource = resource(f, step(path, 'resource'));
    else if (no === 2) rl.scopeLogs = push(rl.scopeLogs, scopeLogs(f, step(step(path, 'scopeLogs'), rl.scopeLogs?.length ?? 0)));
    else if (no === 3) rl.schemaUrl = f.string('schemaUrl');
    else return false;
    return true;
  });
  return rl;
}

/**
 * Decodes an OTLP/protobuf `ExportLogsServiceRequest` (opentelemetry-proto `logs/v1/logs.proto`) into its OTLP/JSON
 * form, as {@link decodeExportTraceRequest} does for traces: hex ids (an empty id field gives ""), decimal-string
 * times. `resourceLogs` is always present. Throws {@link OtlpShapeError} on malformed input.
 */
export function decodeExportLogsRequest(bytes: Uint8Array): ExportLogsRequestJson {
  const request: ExportLogsRequestJson = { resourceLogs: [] };
  readFields(bytes, undefined, (f, no) => {
    if (no !== 1) return false;
    request.resourceLogs.push(resourceLogs(f, step(step(undefined, 'resourceLogs'), request.resourceLogs.length)));
    return true;
  });
  return request;
}
