// Signals service throughput on realistic agent traffic (bench/traffic.mjs), end to end over HTTP.
//
// 1. Throughput: `signals serve` (own process, libsql file) with four active signals (two span scope, one trace,
//    one session); 2 clients POST OTLP/JSON exports of 200 spans, then OTLP/protobuf ones. Prints spans/s over the
//    first 10,000 spans and over the last 10,000 before BENCH_SPANS, the ratio to JSON.parse of the same bodies in
//    this process (the same run), stored bytes per span, and how long settling traces and sessions lags.
// 2. Responsiveness: six templates, 2 clients POSTing ~4 MB exports while a third polls /healthz and a dashboard
//    read (the signals list); p99 of both and the server's event-loop delay p99 (monitorEventLoopDelay).
// Default sizes keep `npm run bench` within a few minutes; BENCH_FULL=1 runs 100,000 spans and 1,000,000 labels
// (the figures of docs/performance.md). BENCH_PARTS=throughput,responsive,reads picks parts; BENCH_CPU_PROF=DIR
// writes a CPU profile of the service.
// 3. Reads at scale: BENCH_LABELS labels (default 200,000; BENCH_FULL=1: 1,000,000) of one signal, then the label
//    listing, a filtered listing and the distribution through the service API, median and worst of 20.
//
// The machine is shared: every figure comes with the load average when it was taken; compare ratios.
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { drive, startServer } from './service-driver.mjs';
import { generateTraffic } from './traffic.mjs';

const FULL = process.env.BENCH_FULL === '1';
const TOTAL = Number(process.env.BENCH_SPANS ?? (FULL ? 100_000 : 20_000));
const PROTOBUF_SPANS = Number(process.env.BENCH_PROTOBUF_SPANS ?? (FULL ? 10_000 : 4_000));
const LABELS = Number(process.env.BENCH_LABELS ?? (FULL ? 1_000_000 : 200_000));
const only = new Set((process.env.BENCH_PARTS ?? 'throughput,responsive,reads').split(','));
const dir = join(import.meta.dirname, '.data');
mkdirSync(dir, { recursive: true });

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const load = () => `load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

function freshDb(name) {
  const path = join(dir, `${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return path;
}

/** CPU milliseconds of JSON.parse over the bodies (their text, as a server would decode it), median of 5 passes. */
function parseMs(bodies) {
  const texts = bodies.map((b) => b.json.toString('utf8'));
  const runs = [];
  for (let k = 0; k < 5; k++) {
    const t = process.cpuUsage();
    for (const s of texts) JSON.parse(s);
    const c = process.cpuUsage(t);
    runs.push((c.user + c.system) / 1000);
  }
  return percentile(runs, 50);
}

async function waitSettled(server, timeoutMs) {
  const t0 = performance.now();
  for (;;) {
    const s = await server.ask('store');
    if ((s.unsettledTraces === 0 && s.unsettledSessions === 0) || performance.now() - t0 > timeoutMs) return { ...s, ms: performance.now() - t0 };
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function throughput() {
  console.log(`\n## Throughput: ${fmt(TOTAL)} spans OTLP/JSON then ${fmt(PROTOBUF_SPANS)} OTLP/protobuf, exports of 200, 2 clients, 4 signals`);
  const template = await generateTraffic({ sessions: 48, perExport: 200 });
  const tSpans = template.reduce((n, e) => n + e.spans, 0);
  const tBytes = template.reduce((n, e) => n + e.json.length, 0);
  console.log(`traffic: ${fmt(tSpans)} spans a replica (${fmt(template.reduce((n, e) => n + e.llmSpans, 0))} chat spans), ${fmt(tBytes / tSpans)} B a span as OTLP/JSON, ${fmt(template.reduce((n, e) => n + e.protobuf.length, 0) / tSpans)} B as protobuf`);
  const server = await startServer(freshDb('service'), ['jailbreak', 'nsfw', 'refusal', 'frustration']);
  await server.ask('loop');
  const marks = [];
  const t0 = performance.now();
  const json = await drive(server.url, template, 'json', TOTAL, { onProgress: (n) => marks.push([n, performance.now() - t0]) });
  const wall = performance.now() - t0;
  const at = (n) => marks.find(([m]) => m >= n);
  const [n10, t10] = at(10_000) ?? marks.at(-1);
  const last = marks.at(-1);
  const [nFrom, tFrom] = at(Math.max(0, last[0] - 10_000)) ?? [0, 0];
  const first10 = (n10 / t10) * 1000;
  const last10 = ((last[0] - nFrom) / (last[1] - tFrom)) * 1000;
  const loop = await server.ask('loop');
  const ms = parseMs(json.bodies);
  const jsonBytes = json.bodies.reduce((n, e) => n + e.json.length, 0);
  console.log(`OTLP/JSON: ${fmt(json.spans)} spans in ${fmt(wall / 1000, 1)} s = ${fmt((json.spans / wall) * 1000)} spans/s, ${fmt(jsonBytes / wall / 1000, 1)} MB/s (${load()})`);
  console.log(`  first ${fmt(n10)} spans: ${fmt(first10)} spans/s; last ${fmt(last[0] - nFrom)} (to ${fmt(last[0])}): ${fmt(last10)} spans/s; last/first ${fmt(last10 / first10, 2)}`);
  console.log(`  JSON.parse of the same bodies here: ${fmt(ms)} ms CPU (${fmt(jsonBytes / ms / 1000)} MB/s): the service takes ${fmt(wall / ms, 1)}x in wall time, ${fmt(loop.cpuMs / ms, 1)}x in its CPU time (${fmt(loop.cpuMs / 1000, 1)} s, ${fmt((json.spans / loop.cpuMs) * 1000)} spans per CPU-second)`);
  console.log(`  server event-loop delay while ingesting: p99 ${fmt(loop.p99, 1)} ms, max ${fmt(loop.max, 1)} ms`);
  const settled = await waitSettled(server, 120_000);
  console.log(`  settle after the last export: ${fmt(settled.ms / 1000, 1)} s until no trace or session waits (${fmt(settled.unsettledTraces)} traces, ${fmt(settled.unsettledSessions)} sessions left); ${fmt(settled.labels)} labels`);
  console.log(`  store: ${fmt(settled.bytes / 1e6, 1)} MB for ${fmt(settled.spans)} spans = ${fmt(settled.bytes / settled.spans)} B a span (OTLP/JSON in: ${fmt(jsonBytes / json.spans)} B a span)`);

  const tp = performance.now();
  const proto = await drive(server.url, template, 'protobuf', PROTOBUF_SPANS, { firstReplica: json.replica });
  const wallP = performance.now() - tp;
  const msP = parseMs(proto.bodies);
  console.log(`OTLP/protobuf: ${fmt(proto.spans)} more spans in ${fmt(wallP / 1000, 1)} s = ${fmt((proto.spans / wallP) * 1000)} spans/s; JSON.parse of the same exports as JSON ${fmt(msP)} ms: ${fmt(wallP / msP, 1)}x (${load()})`);
  await server.stop();
}

async function responsive() {
  console.log('\n## Responsiveness: ~4 MB exports, 2 clients, six templates; /healthz and the signals list polled meanwhile');
  // Full exports only (the last one of a template is a remainder).
  const template = (await generateTraffic({ sessions: 80, perExport: 860, seed: 7 })).filter((e) => e.spans === 860);
  const mb = template.reduce((n, e) => n + e.json.length, 0) / template.length / 1e6;
  const server = await startServer(freshDb('responsive'), ['nsfw', 'jailbreak', 'refusal', 'frustration', 'sentiment', 'task-outcome']);
  await server.ask('loop');
  const health = [];
  const reads = [];
  let stop = false;
  const poll = async (path, into, everyMs) => {
    while (!stop) {
      const t = performance.now();
      const r = await fetch(server.url + path);
      await r.arrayBuffer();
      into.push(performance.now() - t);
      await new Promise((res) => setTimeout(res, everyMs));
    }
  };
  const pollers = [poll('/healthz', health, 20), poll('/v1/signals', reads, 100)];
  const t0 = performance.now();
  const sent = await drive(server.url, template, 'json', Number(process.env.BENCH_RESPONSIVE_SPANS ?? 8_000));
  const wall = performance.now() - t0;
  stop = true;
  await Promise.all(pollers);
  const loop = await server.ask('loop');
  console.log(`${fmt(sent.spans)} spans in exports of ${fmt(mb, 1)} MB: ${fmt((sent.spans / wall) * 1000)} spans/s (${load()})`);
  console.log(`  /healthz: p50 ${fmt(percentile(health, 50), 1)} ms, p99 ${fmt(percentile(health, 99), 1)} ms, max ${fmt(Math.max(...health), 1)} ms (${health.length} requests)`);
  console.log(`  GET /v1/signals: p50 ${fmt(percentile(reads, 50), 1)} ms, p99 ${fmt(percentile(reads, 99), 1)} ms, max ${fmt(Math.max(...reads), 1)} ms (${reads.length} requests)`);
  console.log(`  server event-loop delay: p99 ${fmt(loop.p99, 1)} ms, max ${fmt(loop.max, 1)} ms`);
  await server.stop();
}

async function reads() {
  console.log(`\n## Reads at scale: ${fmt(LABELS)} labels of one signal`);
  const { openStore } = await import('../dist/store/libsql.js');
  const { createSignalsService } = await import('../dist/service/service.js');
  const { sql } = await import('drizzle-orm');
  const path = freshDb('reads');
  const store = await openStore({ url: path });
  const now = Date.parse('2026-06-01T00:00:00Z');
  const service = createSignalsService(store, { now: () => now });
  const signal = await service.api.createSignal({ template: 'jailbreak', state: 'active' });
  await service.api.createSignal({ template: 'nsfw', state: 'active' });
  const t0 = performance.now();
  // Labels spread over the last 30 days, 3% "yes", as a busy agent's span-scope signal would have them.
  await store.db.run(sql`
    with recursive n(i) as (select 0 union all select i + 1 from n where i + 1 < ${LABELS})
    insert into labels (id, signal_id, version, target_kind, target_id, revision, agent, status, value, explanation, judge, at, labelled_at)
    select printf('%08x-bench', i), ${signal.id}, 1, 'span', printf('%016x', i), '1', 'agent-' || (i % 7), 'labelled',
           case when i % 33 = 0 then 'yes' else 'no' end, 'rules', 'rules', ${now} - (i * 2592000000 / ${LABELS}), ${now}
    from n`);
  console.log(`  inserted in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  const time = async (name, f) => {
    const runs = [];
    for (let k = 0; k < 20; k++) {
      const t = performance.now();
      await f();
      runs.push(performance.now() - t);
    }
    console.log(`  ${name}: median ${fmt(percentile(runs, 50), 1)} ms, worst ${fmt(Math.max(...runs), 1)} ms`);
  };
  await time('labels, newest 50', () => service.api.labels(signal.id, { limit: 50 }));
  await time('labels with value "yes", newest 50', () => service.api.labels(signal.id, { value: 'yes', limit: 50 }));
  const page = await service.api.labels(signal.id, { limit: 500 });
  await time('labels, page 2 (cursor)', () => service.api.labels(signal.id, { limit: 500, cursor: page.nextCursor }));
  await time('distribution, default window', () => service.api.distribution(signal.id, {}));
  await time('distribution, 30 days by day', () => service.api.distribution(signal.id, { since: '30d', bucket: '1d' }));
  await time('signals list (headline counts)', () => service.api.listSignals());
  console.log(`  (${load()})`);
  await store.close();
}

if (only.has('throughput')) await throughput();
if (only.has('responsive')) await responsive();
if (only.has('reads')) await reads();
