import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryTracer } from '../../test/helpers/memory-tracer.js';
import { OtlpShapeError } from './path.js';
import { validateExport } from './validate.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN_A = 'eee19b7ec3c1b174';
const SPAN_B = 'eee19b7ec3c1b173';

function goodSpan(spanId = SPAN_A, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE,
    spanId,
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000001000000000',
    attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }],
    ...extra,
  };
}

function exportOf(...spans: unknown[]): { resourceSpans: unknown[] } {
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans }] }] };
}

function nested(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

const P = 'resourceSpans[0].scopeSpans[0].spans[1]';

describe('validateExport', () => {
  it('keeps what the official JSON serializer writes, with int64 values as strings', async () => {
    const t = memoryTracer();
    const span = t.tracer.startSpan('root', { attributes: { s: 'x', i: 3, d: 1.5, b: true, arr: ['a', 'b'] } });
    span.addEvent('e', { n: 2 });
    span.end();
    const json = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(await t.finishedSpans())));
    await t.shutdown();
    const { request, acceptedSpans, rejected } = validateExport(json);
    expect(rejected).toEqual([]);
    expect(acceptedSpans).toBe(1);
    const text = JSON.stringify(json).replace('{"intValue":3}', '{"intValue":"3"}').replace('{"intValue":2}', '{"intValue":"2"}');
    expect(request).toEqual(JSON.parse(text));
  });

  it('reads proto field names and enum names, lowercases ids, treats null as absent', () => {
    const { request } = validateExport({
      resource_spans: [
        {
          scope_spans: [
            { spans: [{ trace_id: TRACE.toUpperCase(), span_id: SPAN_A, parent_span_id: null, kind: 'SPAN_KIND_CLIENT', start_time_unix_nano: 5, status: { code: 'STATUS_CODE_ERROR' } }] },
          ],
        },
      ],
    });
    expect(request).toEqual({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN_A, kind: 3, startTimeUnixNano: '5', status: { code: 2 } }] }] }] });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['events as a number', { events: 3 }, `${P}.events: expected an array, got number`],
    ['events as an object', { events: { name: 'x' } }, `${P}.events: expected an array, got object`],
    ['events as a string', { events: 'abc' }, `${P}.events: expected an array, got string`],
    ['attributes as an object', { attributes: { key: 'a' } }, `${P}.attributes: expected an array, got object`],
    ['attributes as a string', { attributes: 'a=b' }, `${P}.attributes: expected an array, got string`],
    ['attributes with null', { attributes: [{ key: 'a', value: { stringValue: 'x' } }, null] }, `${P}.attributes[1]: expected an object, got null`],
    ['a name that is an object', { name: { text: 'x' } }, `${P}.name: expected a string, got object`],
    ['an attribute value of two kinds', { attributes: [{ key: 'a', value: { stringValue: 'x', intValue: '1' } }] }, `${P}.attributes[0].value: an AnyValue holds one kind, got stringValue and intValue`],
    ['an intValue that is not an integer', { attributes: [{ key: 'a', value: { intValue: '1.5' } }] }, `${P}.attributes[0].value.intValue: expected a 64-bit integer, got string`],
    ['an event attribute key that is a number', { events: [{ name: 'e', attributes: [{ key: 1 }] }] }, `${P}.events[0].attributes[0].key: expected a string, got number`],
    ['a time that is negative', { startTimeUnixNano: '-1' }, `${P}.startTimeUnixNano: expected an unsigned 64-bit integer, got string`],
    ['a parent id of the wrong length', { parentSpanId: 'abc' }, `${P}.parentSpanId: expected a 16-digit hex id, got "abc"`],
    ['a link without ids', { links: [{ attributes: [] }] }, `${P}.links[0].traceId: missing (every span needs a 32-digit hex traceId)`],
    ['a status that is a string', { status: 'ERROR' }, `${P}.status: expected an object, got string`],
  ])('rejects the span with %s, keeps the others', (_name, bad, message) => {
    const { request, acceptedSpans, rejected } = validateExport(exportOf(goodSpan(), goodSpan(SPAN_B, bad), goodSpan('0000000000000001')));
    expect(rejected).toEqual([{ span: P, message }]);
    expect(acceptedSpans).toBe(2);
    const spans = (request.resourceSpans[0].scopeSpans ?? [])[0].spans ?? [];
    expect(spans.map((s) => s.spanId)).toEqual([SPAN_A, '0000000000000001']);
  });

  it('rejects spans without ids and duplicate ids, so two conversations never share one span', () => {
    const noIds = { name: 'chat', attributes: [] };
    const { acceptedSpans, rejected } = validateExport(exportOf(noIds, noIds, goodSpan(), goodSpan()));
    expect(acceptedSpans).toBe(1);
    expect(rejected.map((r) => r.message)).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[0].traceId: missing (every span needs a 32-digit hex traceId)',
      'resourceSpans[0].scopeSpans[0].spans[1].traceId: missing (every span needs a 32-digit hex traceId)',
      `resourceSpans[0].scopeSpans[0].spans[3].spanId: duplicate span id ${SPAN_A} in trace ${TRACE}`,
    ]);
    expect(validateExport(exportOf({ traceId: '0'.repeat(32), spanId: SPAN_A })).rejected[0].message).toContain('all-zero');
  });

  it.each<[string, unknown, string]>([
    ['an array body', [], '$: an OTLP export must be an object, got array'],
    ['no resourceSpans', { hello: 'world' }, '$: an OTLP export must have a "resourceSpans" array'],
    ['resourceSpans as an object', { resourceSpans: {} }, 'resourceSpans: expected an array, got object'],
    ['scopeSpans as a string', { resourceSpans: [{ scopeSpans: 'x' }] }, 'resourceSpans[0].scopeSpans: expected an array, got string'],
    ['spans as an object', { resourceSpans: [{ scopeSpans: [{ spans: {} }] }] }, 'resourceSpans[0].scopeSpans[0].spans: expected an array, got object'],
    ['a resource attribute of null', { resourceSpans: [{ resource: { attributes: [null] } }] }, 'resourceSpans[0].resource.attributes[0]: expected an object, got null'],
  ])('throws for %s, naming the path', (_name, body, message) => {
    expect(() => validateExport(body)).toThrowError(new OtlpShapeError(undefined, 'x').constructor as typeof OtlpShapeError);
    expect(() => validateExport(body)).toThrow(message);
  });

  it('20,000-deep nesting: refused inside attribute values, ignored inside unknown fields', () => {
    const deepArray = nested(20_000, { stringValue: 'x' }, (inner) => ({ arrayValue: { values: [inner] } }));
    const deepKvlist = nested(20_000, { stringValue: 'x' }, (inner) => ({ kvlistValue: { values: [{ key: 'k', value: inner }] } }));
    const deepJunk = nested(20_000, 1, (inner) => [inner]);
    const result = validateExport({
      ...exportOf(goodSpan(SPAN_A, { attributes: [{ key: 'a', value: deepArray }] }), goodSpan(SPAN_B, { events: [{ attributes: [{ key: 'k', value: deepKvlist }] }] }), goodSpan('0000000000000002', { extra: deepJunk })),
      junk: deepJunk,
    });
    expect(result.rejected.map((r) => r.message.replace(/(\.arrayValue\.values\[0\]|\.kvlistValue\.values\[0\]\.value)+/, '…'))).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value…: values nested deeper than 32 levels',
      'resourceSpans[0].scopeSpans[0].spans[1].events[0].attributes[0].value…: values nested deeper than 32 levels',
    ]);
    expect(result.acceptedSpans).toBe(1);
    expect(JSON.stringify(result.request)).not.toContain('extra');
  });

  it('property: any JSON anywhere in a span gives a validated export or OtlpShapeError, and validation is idempotent', () => {
    const fieldNames = ['traceId', 'spanId', 'parentSpanId', 'name', 'kind', 'startTimeUnixNano', 'attributes', 'events', 'links', 'status', 'flags', 'droppedAttributesCount'];
    fc.assert(
      fc.property(fc.constantFrom(...fieldNames), fc.jsonValue(), fc.constantFrom('span', 'attribute', 'event'), (name, junk, where) => {
        const span = goodSpan();
        if (where === 'span') span[name] = junk;
        if (where === 'attribute') span.attributes = [{ key: 'k', value: { [name.endsWith('Id') ? 'arrayValue' : 'kvlistValue']: junk } }];
        if (where === 'event') span.events = [{ name: junk, attributes: junk }];
        let result;
        try {
          result = validateExport(exportOf(span));
        } catch (err) {
          expect(err).toBeInstanceOf(OtlpShapeError);
          return;
        }
        expect(result.acceptedSpans + result.rejected.length).toBe(1);
        const again = validateExport(JSON.parse(JSON.stringify(result.request)));
        expect(again.rejected).toEqual([]);
        expect(again.request).toEqual(JSON.parse(JSON.stringify(result.request)));
      }),
      { numRuns: 300 },
    );
  });

  it('worst case is linear: 10× the spans at the deepest accepted nesting takes under 50× the CPU time', () => {
    // A quadratic walk would be ~100×. CPU time, best of several runs: wall time on a shared machine, and the
    // garbage collection of a 1,000-span result, vary several-fold between runs.
    const deepest = nested(31, { stringValue: 'x' }, (inner) => ({ arrayValue: { values: [inner, { intValue: '1' }] } }));
    const spans = (n: number) =>
      Array.from({ length: n }, (_, i) => goodSpan((i + 1).toString(16).padStart(16, '0'), { attributes: [{ key: 'a', value: deepest }], junk: [[[[[]]]]] }));
    const fastest = (body: unknown, runs: number) => {
      let best = Infinity;
      for (let i = 0; i < runs; i++) {
        const start = process.cpuUsage();
        validateExport(body);
        const used = process.cpuUsage(start);
        best = Math.min(best, used.user + used.system);
      }
      return best;
    };
    const small = exportOf(...spans(100));
    const large = exportOf(...spans(1000));
    expect(validateExport(large).acceptedSpans).toBe(1000);
    fastest(small, 20); // warm up
    expect(fastest(large, 5) / fastest(small, 20)).toBeLessThan(50);
  });
});
