/**
 * The OTLP/JSON export object → OTLP/protobuf `ExportTraceServiceRequest` bytes, the inverse of
 * {@link decodeExportTraceRequest}: pure JS over `BinaryWriter`, runs in Workers. Takes a validated export
 * ({@link validateExport}); fields absent in the object are absent on the wire.
 */
import { base64Decode, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { hexToBytes } from './hex.js';
import type {
  AnyValueJson,
  EntityRefJson,
  EventJson,
  ExportTraceRequestJson,
  KeyValueJson,
  LinkJson,
  ResourceJson,
  ResourceSpansJson,
  ScopeJson,
  ScopeSpansJson,
  SpanJson,
  StatusJson,
} from './types.js';

const LEN = WireType.LengthDelimited;

function nested<T>(w: BinaryWriter, no: number, value: T, write: (w: BinaryWriter, value: T) => void): void {
  w.tag(no, LEN).fork();
  write(w, value);
  w.join();
}

function str(w: BinaryWriter, no: number, value: string | undefined): void {
  if (value !== undefined) w.tag(no, LEN).string(value);
}

function u32(w: BinaryWriter, no: number, value: number | undefined): void {
  if (value !== undefined) w.tag(no, WireType.Varint).uint32(value);
}

function fx32(w: BinaryWriter, no: number, value: number | undefined): void {
  if (value !== undefined) w.tag(no, WireType.Bit32).fixed32(value);
}

function fx64(w: BinaryWriter, no: number, value: string | undefined): void {
  if (value !== undefined) w.tag(no, WireType.Bit64).fixed64(value);
}

function id(w: BinaryWriter, no: number, hex: string | undefined): void {
  if (hex !== undefined) w.tag(no, LEN).bytes(hexToBytes(hex));
}

function attributes(w: BinaryWriter, no: number, list: KeyValueJson[] | undefined): void {
  for (const kv of list ?? []) nested(w, no, kv, keyValue);
}

function anyValue(w: BinaryWriter, value: AnyValueJson): void {
  if (value.stringValue !== undefined) w.tag(1, LEN).string(value.stringValue);
  else if (value.boolValue !== undefined) w.tag(2, WireType.Varint).bool(value.boolValue);
  else if (value.intValue !== undefined) w.tag(3, WireType.Varint).int64(value.intValue);
  else if (value.doubleValue !== undefined) w.tag(4, WireType.Bit64).double(Number(value.doubleValue));
  else if (value.arrayValue !== undefined) nested(w, 5, value.arrayValue.values ?? [], (a, values) => values.forEach((v) => nested(a, 1, v, anyValue)));
  else if (value.kvlistValue !== undefined) nested(w, 6, value.kvlistValue.values ?? [], (a, values) => values.forEach((kv) => nested(a, 1, kv, keyValue)));
  else if (value.bytesValue !== undefined) w.tag(7, LEN).bytes(base64Decode(value.bytesValue));
}

function keyValue(w: BinaryWriter, kv: KeyValueJson): void {
  str(w, 1, kv.key);
  if (kv.value !== undefined) nested(w, 2, kv.value, anyValue);
}

function entityRef(w: BinaryWriter, ref: EntityRefJson): void {
  str(w, 1, ref.schemaUrl);
  str(w, 2, ref.type);
  for (const key of ref.idKeys ?? []) str(w, 3, key);
  for (const key of ref.descriptionKeys ?? []) str(w, 4, key);
}

function resource(w: BinaryWriter, res: ResourceJson): void {
  attributes(w, 1, res.attributes);
  u32(w, 2, res.droppedAttributesCount);
  for (const ref of res.entityRefs ?? []) nested(w, 3, ref, entityRef);
}

function scope(w: BinaryWriter, sc: ScopeJson): void {
  str(w, 1, sc.name);
  str(w, 2, sc.version);
  attributes(w, 3, sc.attributes);
  u32(w, 4, sc.droppedAttributesCount);
}

function event(w: BinaryWriter, ev: EventJson): void {
  fx64(w, 1, ev.timeUnixNano);
  str(w, 2, ev.name);
  attributes(w, 3, ev.attributes);
  u32(w, 4, ev.droppedAttributesCount);
}

function link(w: BinaryWriter, ln: LinkJson): void {
  id(w, 1, ln.traceId);
  id(w, 2, ln.spanId);
  str(w, 3, ln.traceState);
  attributes(w, 4, ln.attributes);
  u32(w, 5, ln.droppedAttributesCount);
  fx32(w, 6, ln.flags);
}

function status(w: BinaryWriter, st: StatusJson): void {
  str(w, 2, st.message);
  if (st.code !== undefined) w.tag(3, WireType.Varint).int32(st.code);
}

function span(w: BinaryWriter, sp: SpanJson): void {
  id(w, 1, sp.traceId);
  id(w, 2, sp.spanId);
  str(w, 3, sp.traceState);
  id(w, 4, sp.parentSpanId);
  str(w, 5, sp.name);
  if (sp.kind !== undefined) w.tag(6, WireType.Varint).int32(sp.kind);
  fx64(w, 7, sp.startTimeUnixNano);
  fx64(w, 8, sp.endTimeUnixNano);
  attributes(w, 9, sp.attributes);
  u32(w, 10, sp.droppedAttributesCount);
  for (const ev of sp.events ?? []) nested(w, 11, ev, event);
  u32(w, 12, sp.droppedEventsCount);
  for (const ln of sp.links ?? []) nested(w, 13, ln, link);
  u32(w, 14, sp.droppedLinksCount);
  if (sp.status !== undefined) nested(w, 15, sp.status, status);
  fx32(w, 16, sp.flags);
}

function scopeSpans(w: BinaryWriter, ss: ScopeSpansJson): void {
  if (ss.scope !== undefined) nested(w, 1, ss.scope, scope);
  for (const sp of ss.spans ?? []) nested(w, 2, sp, span);
  str(w, 3, ss.schemaUrl);
}

function resourceSpans(w: BinaryWriter, rs: ResourceSpansJson): void {
  if (rs.resource !== undefined) nested(w, 1, rs.resource, resource);
  for (const ss of rs.scopeSpans ?? []) nested(w, 2, ss, scopeSpans);
  str(w, 3, rs.schemaUrl);
}

/** Encodes an OTLP/JSON-shaped export (hex ids, decimal-string int64s) as OTLP/protobuf bytes. */
export function encodeExportTraceRequest(request: ExportTraceRequestJson): Uint8Array {
  const w = new BinaryWriter();
  for (const rs of request.resourceSpans) nested(w, 1, rs, resourceSpans);
  return w.finish();
}
