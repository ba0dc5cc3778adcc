// The request path of `POST /v1/traces` before the store, stage by stage, on the realistic traffic of
// bench/traffic.mjs: CPU microseconds a span for JSON.parse of the bodies (the yardstick), the route's decoding
// (OTLP/JSON: UTF-8 text + int64-safe parse; protobuf: the decoder), validation and reading the spans (messages
// out of the GenAI attributes), each the median of several passes over the same bodies in this process.
// Run: node bench/request-path.mjs (after npm run build); BENCH_PATH_SESSIONS sets the traffic size.
import { loadavg } from 'node:os';
import { generateTraffic, replicate } from './traffic.mjs';

const { utf8Text } = await import('../dist/http/body-bytes.js');
const { parseJsonBytes } = await import('../dist/http/json-bytes.js');
const { decodeTraceBody } = await import('../dist/http/routes-traces.js');
const { validateExport } = await import('../dist/otlp/validate.js');
const { decodeExportTraceRequest } = await import('../dist/otlp/proto-decode.js');
const { readSpans } = await import('../dist/formats/traces/read-spans.js');

const fmt = (n, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** CPU µs of `f` over every item, median of `passes` passes after two to warm up the compiler. */
function cpu(items, f, passes = 7) {
  for (let k = 0; k < 2; k++) for (const item of items) f(item);
  const runs = [];
  for (let k = 0; k < passes; k++) {
    const t = process.cpuUsage();
    for (const item of items) f(item);
    const c = process.cpuUsage(t);
    runs.push(c.user + c.system);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)];
}

/**
 * Per-span CPU µs of each stage over `exports` (the template's bodies, replicated `replicas` times so the
 * figures cover distinct text): { spans, bytes, parse, decode, validate, read, total, protobuf: {...} }.
 */
export async function requestPathStages({ sessions = Number(process.env.BENCH_PATH_SESSIONS ?? 48), replicas = 2 } = {}) {
  const template = await generateTraffic({ sessions, perExport: 200 });
  const exports = [];
  // Plain Uint8Arrays, as the route reads bodies (a Buffer's subarray costs more).
  for (let n = 1; n <= replicas; n++) for (const e of template) exports.push({ spans: e.spans, json: new Uint8Array(replicate(e.json, n, 'json')), protobuf: new Uint8Array(replicate(e.protobuf, n, 'protobuf')) });
  const spans = exports.reduce((n, e) => n + e.spans, 0);
  const per = (us) => us / spans;
  // Each stage's input is made just before it is timed and dropped after, so no stage pays for another's live heap.
  const stage = (input, run) => per(cpu(exports.map(input), run));
  const json = {
    parse: stage((e) => Buffer.from(e.json).toString('utf8'), (t) => JSON.parse(t)),
    text: stage((e) => e.json, (b) => utf8Text(b)),
    decode: stage((e) => e.json, (b) => parseJsonBytes(b)),
    validate: stage((e) => parseJsonBytes(e.json), (d) => validateExport(d, { roundedIntegers: true })),
    read: stage((e) => decodeTraceBody(e.json, 'json').request, (v) => readSpans(v)),
    total: stage((e) => e.json, (b) => readSpans(decodeTraceBody(b, 'json').request)),
  };
  const protobuf = {
    decode: stage((e) => e.protobuf, (b) => decodeExportTraceRequest(b)),
    validate: stage((e) => decodeExportTraceRequest(e.protobuf), (d) => validateExport(d)),
    read: stage((e) => decodeTraceBody(e.protobuf, 'protobuf').request, (v) => readSpans(v)),
    total: stage((e) => e.protobuf, (b) => readSpans(decodeTraceBody(b, 'protobuf').request)),
  };
  return { spans, bytes: exports.reduce((n, e) => n + e.json.length, 0) / spans, json, protobuf };
}

/** Prints the stages as µs a span and as multiples of JSON.parse. */
export function printStages(s) {
  const x = (us) => `${fmt(us)} µs (${fmt(us / s.json.parse, 2)}x)`;
  console.log(`request path before the store, CPU a span over ${s.spans.toLocaleString('en-US')} spans (${fmt(s.bytes, 0)} B each as OTLP/JSON); JSON.parse ${fmt(s.json.parse)} µs = 1x`);
  console.log(`  OTLP/JSON: int64-safe parse of the UTF-8 body ${x(s.json.decode)} (decoding the whole body to one string alone: ${fmt(s.json.text)}); validate ${x(s.json.validate)}; read spans ${x(s.json.read)}; all three ${x(s.json.total)}`);
  console.log(`  OTLP/protobuf: decode ${x(s.protobuf.decode)}; validate ${x(s.protobuf.validate)}; read spans ${x(s.protobuf.read)}; all three ${x(s.protobuf.total)}`);
  console.log(`  (load ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
}

if (import.meta.url === `file://${process.argv[1]}`) printStages(await requestPathStages());
