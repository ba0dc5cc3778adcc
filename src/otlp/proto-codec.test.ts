import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { memoryTracer } from '../../test/helpers/memory-tracer.js';
import { OtlpShapeError } from './path.js';
import { decodeExportTraceRequest } from './proto-decode.js';
import { encodeExportTraceRequest } from './proto-encode.js';
import { decodeExportTraceResponse, encodeExportTraceResponse, encodeRpcStatus } from './proto-response.js';

const LEN = WireType.LengthDelimited;

async function sdkSpans(): Promise<ReadableSpan[]> {
  const t = memoryTracer();
  const root = t.tracer.startSpan('root', {
    kind: SpanKind.SERVER,
    attributes: { s: 'x', i: 3, big: 2 ** 40, neg: -7, d: 1.5, b: true, arr: ['a', 'b'], nums: [1, 2.5], unicode: 'héllo ✓' },
  });
  const child = t.tracer.startSpan('chat gpt-4o', { links: [{ context: root.spanContext(), attributes: { why: 'retry' } }] }, trace.setSpan(context.active(), root));
  child.addEvent('gen_ai.choice', { index: 0, 'gen_ai.message': '{"role":"assistant"}' });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream 503' });
  child.end();
  root.end();
  const spans = await t.finishedSpans();
  await t.shutdown();
  return spans;
}

/**
 * The official JSON serializer's output in proto3-JSON canonical form: int64 `intValue` as strings, and empty
 * repeated fields dropped (protobuf has no way to send an empty list, so a decoder cannot produce one).
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (Array.isArray(field) && field.length === 0) continue;
    out[key] = key === 'intValue' ? String(field) : canonical(field);
  }
  return out;
}

describe('decodeExportTraceRequest', () => {
  it('decodes what the official protobuf serializer writes into what the official JSON serializer writes', async () => {
    const spans = await sdkSpans();
    const json = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)));
    const decoded = decodeExportTraceRequest(ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(decoded).toEqual(canonical(json));
    const root = decoded.resourceSpans[0].scopeSpans![0].spans![1];
    expect(root.attributes!.find((a) => a.key === 'big')!.value).toEqual({ intValue: '1099511627776' });
    expect(root.attributes!.find((a) => a.key === 'neg')!.value).toEqual({ intValue: '-7' });
  });

  it('re-encodes to bytes that decode to the same export', async () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(await sdkSpans())!;
    const decoded = decodeExportTraceRequest(bytes);
    expect(decodeExportTraceRequest(encodeExportTraceRequest(decoded))).toEqual(decoded);
  });

  it('reads kvlist, bytes, nested arrays and non-finite doubles, and skips unknown fields', () => {
    // Built field by field from trace.proto / common.proto numbers.
    const value = (write: (w: BinaryWriter) => void) => {
      const w = new BinaryWriter();
      write(w);
      return w.finish();
    };
    const anyString = (s: string) => value((w) => w.tag(1, LEN).string(s));
    const kv = (key: string, v: Uint8Array) => value((w) => w.tag(1, LEN).string(key).tag(2, LEN).bytes(v));
    const kvlist = value((w) => w.tag(6, LEN).bytes(value((l) => l.tag(1, LEN).bytes(kv('role', anyString('user'))).tag(1, LEN).bytes(kv('n', value((n) => n.tag(3, WireType.Varint).int64(-2)))))));
    const bytesValue = value((w) => w.tag(7, LEN).bytes(new Uint8Array([0, 255, 16])));
    const nestedArray = value((w) => w.tag(5, LEN).bytes(value((a) => a.tag(1, LEN).bytes(value((x) => x.tag(5, LEN).bytes(value((b) => b.tag(1, LEN).bytes(anyString('deep')))))))));
    const nan = value((w) => w.tag(4, WireType.Bit64).double(Number.NaN));
    const span = value((w) =>
      w
        .tag(1, LEN).bytes(new Uint8Array(16).fill(0xab))
        .tag(2, LEN).bytes(new Uint8Array(8).fill(0x01))
        .tag(99, WireType.Varint).uint32(5) // unknown field
        .tag(5, LEN).string('s')
        .tag(9, LEN).bytes(kv('kv', kvlist))
        .tag(9, LEN).bytes(kv('raw', bytesValue))
        .tag(9, LEN).bytes(kv('nested', nestedArray))
        .tag(9, LEN).bytes(kv('nan', nan))
        .tag(7, WireType.Bit64).fixed64('18446744073709551615'),
    );
    const request = value((w) => w.tag(1, LEN).bytes(value((r) => r.tag(2, LEN).bytes(value((s) => s.tag(2, LEN).bytes(span))))));
    expect(decodeExportTraceRequest(request)).toEqual({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'ab'.repeat(16),
                  spanId: '01'.repeat(8),
                  name: 's',
                  startTimeUnixNano: '18446744073709551615',
                  attributes: [
                    { key: 'kv', value: { kvlistValue: { values: [{ key: 'role', value: { stringValue: 'user' } }, { key: 'n', value: { intValue: '-2' } }] } } },
                    { key: 'raw', value: { bytesValue: 'AP8Q' } },
                    { key: 'nested', value: { arrayValue: { values: [{ arrayValue: { values: [{ stringValue: 'deep' }] } }] } } },
                    { key: 'nan', value: { doubleValue: 'NaN' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const decoded = decodeExportTraceRequest(request);
    expect(decodeExportTraceRequest(encodeExportTraceRequest(decoded))).toEqual(decoded);
  });

  it('an empty body is an empty export', () => {
    expect(decodeExportTraceRequest(new Uint8Array())).toEqual({ resourceSpans: [] });
  });

  function shapeError(bytes: Uint8Array): OtlpShapeError {
    try {
      decodeExportTraceRequest(bytes);
    } catch (err) {
      expect(err).toBeInstanceOf(OtlpShapeError);
      return err as OtlpShapeError;
    }
    throw new Error('expected an OtlpShapeError');
  }

  it('names the field of truncated input, a wrong wire type and invalid UTF-8', async () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(await sdkSpans())!;
    expect(shapeError(bytes.subarray(0, bytes.length - 3)).path).toMatch(/^(\$|resourceSpans\[0\])/);
    const wrongType = new BinaryWriter().tag(1, LEN).bytes(new BinaryWriter().tag(2, LEN).bytes(new BinaryWriter().tag(2, LEN).bytes(new BinaryWriter().tag(5, WireType.Varint).uint32(1).finish()).finish()).finish()).finish();
    expect(shapeError(wrongType).message).toBe('resourceSpans[0].scopeSpans[0].spans[0].name: expected length-delimited, got wire type varint');
    const badUtf8 = new BinaryWriter().tag(1, LEN).bytes(new BinaryWriter().tag(3, LEN).bytes(new Uint8Array([0xff, 0xfe])).finish()).finish();
    expect(shapeError(badUtf8).path).toBe('resourceSpans[0].schemaUrl');
    expect(shapeError(new Uint8Array([0x0a, 0x05, 0x01])).path).toBe('$');
  });

  it('refuses 20,000 levels of nested arrayValue with a path, without deep recursion', () => {
    // Only headers: level k's content is exactly the headers of the levels inside it.
    const levels = 20_000;
    const sizes: number[] = new Array(levels * 2 + 1).fill(0);
    const varintSize = (n: number) => (n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4);
    for (let i = levels * 2 - 1; i >= 0; i--) sizes[i] = 1 + varintSize(sizes[i + 1]) + sizes[i + 1];
    const w = new BinaryWriter();
    for (let i = 0; i < levels * 2; i++) w.tag(i % 2 === 0 ? 5 : 1, LEN).uint32(sizes[i + 1]);
    const deepValue = w.finish();
    const kv = new BinaryWriter().tag(1, LEN).string('deep').tag(2, LEN).bytes(deepValue).finish();
    const spanBytes = new BinaryWriter().tag(9, LEN).bytes(kv).finish();
    const request = new BinaryWriter().tag(1, LEN).bytes(new BinaryWriter().tag(2, LEN).bytes(new BinaryWriter().tag(2, LEN).bytes(spanBytes).finish()).finish()).finish();
    const error = shapeError(request);
    expect(error.message).toMatch(/^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value(\.arrayValue\.values\[0\])+: values nested deeper than 32 levels$/);
  });
});

describe('ExportTraceServiceResponse', () => {
  it('round-trips partial success and encodes {} as no bytes', () => {
    expect(encodeExportTraceResponse({})).toEqual(new Uint8Array());
    const partial = { partialSuccess: { rejectedSpans: 2, errorMessage: 'spans[1].events: expected an array' } };
    expect(decodeExportTraceResponse(encodeExportTraceResponse(partial))).toEqual(partial);
    // rejected_spans = 1 (varint 2), error_message = 2 inside field 1.
    expect([...encodeExportTraceResponse({ partialSuccess: { rejectedSpans: 2 } })]).toEqual([0x0a, 0x02, 0x08, 0x02]);
  });

  it('encodes google.rpc.Status with the gRPC code of the HTTP status', () => {
    expect([...encodeRpcStatus(400, 'x')]).toEqual([0x08, 3, 0x12, 1, 0x78]);
    expect(encodeRpcStatus(504, '')[1]).toBe(4);
  });
});
