import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateExport, validateLogsExport } from '../otlp/validate.js';
import { ApiError } from './errors.js';
import { parseJsonLossless } from './lossless-json.js';
import { parseOtlpJson } from './otlp-json.js';

const encoder = new TextEncoder();

/** The result of `f`, or the error it threw (class and message), for comparing two ways of doing one thing. */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (err) {
    return { error: (err as Error).constructor.name, message: (err as Error).message, status: err instanceof ApiError ? err.status : undefined };
  }
}

// Numbers written as bare literals, where JSON.parse rounds some of them: timestamps, intValue, counts, strings' places.
const number = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n + 5n }).map(String),
  fc.bigInt({ min: -(2n ** 63n) - 3n, max: 2n ** 63n }).map(String),
  fc.constantFrom('9007199254740991', '9007199254740992', '9007199254740993', '1e300', '12345678901234567.5', '1.0', '-0', '1700000000000000000', '0'),
);
const scalar = fc.oneof(number, fc.constantFrom('"1700000000000000001"', '"x"', 'null', 'true', '"NaN"'));
const anyValue = fc.oneof(
  scalar.map((v) => `{"intValue":${v}}`),
  scalar.map((v) => `{"doubleValue":${v}}`),
  scalar.map((v) => `{"stringValue":${v}}`),
  scalar.map((v) => `{"boolValue":${v}}`),
);
const span = fc
  .record({ start: scalar, end: scalar, kind: scalar, count: scalar, value: anyValue, event: scalar, id: fc.nat(5) })
  .map(
    (s) =>
      `{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"${String(s.id + 1).padStart(16, '0')}","name":"chat","startTimeUnixNano":${s.start},` +
      `"endTimeUnixNano":${s.end},"kind":${s.kind},"droppedAttributesCount":${s.count},"attributes":[{"key":"a","value":${s.value}}],` +
      `"events":[{"timeUnixNano":${s.event},"name":"e"}]}`,
  );
const traces = fc.array(span, { minLength: 1, maxLength: 4 }).map((spans) => `{"resourceSpans":[{"scopeSpans":[{"spans":[${spans.join(',')}]}]}]}`);
const logs = fc
  .array(fc.record({ time: scalar, severity: scalar, body: anyValue }), { minLength: 1, maxLength: 4 })
  .map((records) => `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${records.map((r) => `{"timeUnixNano":${r.time},"severityNumber":${r.severity},"body":${r.body}}`).join(',')}]}]}]}`);

describe('parseOtlpJson', () => {
  it('validates a trace export as validateExport(parseJsonLossless(text)) does, big integers anywhere', () => {
    fc.assert(
      fc.property(traces, (text) => {
        expect(outcome(() => parseOtlpJson(encoder.encode(text), validateExport))).toStrictEqual(outcome(() => validateExport(parseJsonLossless(text))));
      }),
      { numRuns: 2000 },
    );
  });

  it('validates a logs export as validateLogsExport(parseJsonLossless(text)) does', () => {
    fc.assert(
      fc.property(logs, (text) => {
        expect(outcome(() => parseOtlpJson(encoder.encode(text), validateLogsExport))).toStrictEqual(outcome(() => validateLogsExport(parseJsonLossless(text))));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a bare 19-digit timestamp exact', () => {
    const text = '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000001","startTimeUnixNano":1700000000000000001}]}]}]}';
    expect(parseOtlpJson(encoder.encode(text), validateExport).request.resourceSpans[0].scopeSpans?.[0].spans?.[0].startTimeUnixNano).toBe('1700000000000000001');
  });

  it('words errors as the lossless parse does: invalid UTF-8, not JSON, too deep, empty', () => {
    for (const body of [new Uint8Array([0x7b, 0xff, 0x7d]), encoder.encode('{"resourceSpans":['), encoder.encode('['.repeat(1001)), encoder.encode('  ')]) {
      const text = new TextDecoder().decode(body);
      const ours = outcome(() => parseOtlpJson(body, validateExport)) as { status?: number; message: string };
      expect(ours.status).toBe(400);
      if (body[1] !== 0xff) expect(ours).toStrictEqual(outcome(() => validateExport(parseJsonLossless(text))));
    }
  });
});
