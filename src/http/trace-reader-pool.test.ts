import { afterAll, describe, expect, it } from 'vitest';
import { recordings } from '../../test/helpers/recorded-exports.js';
import { encodeExportTraceRequest } from '../otlp/proto-encode.js';
import type { ExportTraceRequestJson } from '../otlp/types.js';
import { ApiError } from './errors.js';
import { readTraceBody, type Encoding } from './trace-body.js';
import { traceReaderPool, traceReadWorkerBuilt } from './trace-reader-pool.js';

// The pool runs the compiled worker entry (dist/, built by `npm run build`, as the CLI tests need it).
const WORKER = new URL('../../dist/http/trace-read-worker.js', import.meta.url);
const fallbacks: unknown[] = [];
const pool = traceReaderPool({ filename: WORKER, onFallback: (err) => fallbacks.push(err) });
afterAll(() => pool.close());

const utf8 = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

/** What reading gives on this thread: the result, or the route's error as status, code and message. */
async function outcome(read: () => ReadTraceBodyLike | Promise<ReadTraceBodyLike>): Promise<unknown> {
  try {
    return { ok: await read() };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { status: err.status, code: err.code, message: err.message };
  }
}
type ReadTraceBodyLike = ReturnType<typeof readTraceBody>;

/** Every recorded export (real instrumentation packages), as OTLP/JSON and protobuf, plus one export of all their spans many times over. */
function bodies(): { name: string; bytes: Uint8Array; encoding: Encoding }[] {
  const out: { name: string; bytes: Uint8Array; encoding: Encoding }[] = [];
  const all: ExportTraceRequestJson['resourceSpans'] = [];
  for (const r of recordings()) {
    r.exports.forEach((e, k) => {
      const request = e.body as ExportTraceRequestJson;
      if (!Array.isArray(request?.resourceSpans)) return;
      all.push(...request.resourceSpans);
      out.push({ name: `${r.file} #${k} json`, bytes: utf8(request), encoding: 'json' });
      out.push({ name: `${r.file} #${k} protobuf`, bytes: encodeExportTraceRequest(request), encoding: 'protobuf' });
    });
  }
  // Far more spans than one serialized part holds (the main thread takes the parts in slices).
  // Each copy in traces of its own (the trace id's first byte is the copy's number).
  const copy = (n: number) =>
    JSON.parse(JSON.stringify(all), (key, value: unknown) => (key === 'traceId' && typeof value === 'string' && value.length === 32 ? n.toString(16).padStart(2, '0') + value.slice(2) : value)) as typeof all;
  const big: ExportTraceRequestJson = { resourceSpans: Array.from({ length: 20 }, (_, n) => copy(n)).flat() };
  out.push({ name: 'all recordings x20 json', bytes: utf8(big), encoding: 'json' });
  out.push({ name: 'all recordings x20 protobuf', bytes: encodeExportTraceRequest(big), encoding: 'protobuf' });
  return out;
}

describe('trace reader pool (POST /v1/traces bodies read on a worker thread)', () => {
  it('is built for this test run', () => {
    expect(traceReadWorkerBuilt(WORKER)).toBe(true);
  });

  it('reads every recorded export, JSON and protobuf, as this thread does: spans, unreadable spans and rejected spans', async () => {
    const cases = bodies();
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const here = await outcome(() => readTraceBody(c.bytes, c.encoding));
      expect((here as { ok?: ReadTraceBodyLike }).ok?.spans.length, c.name).toBeGreaterThan(0);
      expect(await outcome(() => pool.read(c.bytes, c.encoding)), c.name).toEqual(here);
    }
    const big = cases.at(-1)!;
    expect(((await pool.read(big.bytes, big.encoding)) as ReadTraceBodyLike).spans.length).toBeGreaterThan(200);
    expect(fallbacks).toEqual([]);
  });

  it('answers bad bodies with the errors of this thread, and rejected spans are counted the same', async () => {
    const good = recordings()[0].exports[0].body as ExportTraceRequestJson;
    const span = good.resourceSpans![0].scopeSpans![0].spans![0];
    const bad: { bytes: Uint8Array; encoding: Encoding }[] = [
      { bytes: utf8('{"resourceSpans": ['), encoding: 'json' },
      { bytes: utf8('not json'), encoding: 'json' },
      { bytes: new Uint8Array([0xff, 0xfe, 0x00]), encoding: 'json' },
      { bytes: utf8({ resourceSpans: 'no' }), encoding: 'json' },
      { bytes: utf8({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, traceId: 'zz' }] }] }] }), encoding: 'json' },
      // One good span and one bad: stored and counted.
      { bytes: utf8({ resourceSpans: [{ scopeSpans: [{ spans: [span, { ...span, spanId: 5 }] }] }] }), encoding: 'json' },
      // A timestamp past 2^53 (the lossless parse).
      { bytes: utf8(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, startTimeUnixNano: 'X' }] }] }] }).replace('"X"', '18446744073709551615')), encoding: 'json' },
      { bytes: new Uint8Array([0x0a, 0xff, 0xff, 0xff]), encoding: 'protobuf' },
    ];
    for (const b of bad) {
      const here = await outcome(() => readTraceBody(b.bytes, b.encoding));
      expect(await outcome(() => pool.read(b.bytes, b.encoding))).toEqual(here);
    }
    expect(fallbacks).toEqual([]);
  });

  it('reads a body on this thread when its task fails as a whole, and says so', async () => {
    const broken = traceReaderPool({ filename: new URL('data:text/javascript,export default () => { throw new Error("thread lost") }'), onFallback: (err) => fallbacks.push(err) });
    try {
      const body = utf8(recordings()[0].exports[0].body);
      expect(await broken.read(body, 'json')).toEqual(readTraceBody(body, 'json'));
      expect(fallbacks).toHaveLength(1);
    } finally {
      await broken.close();
      fallbacks.length = 0;
    }
  });
});
