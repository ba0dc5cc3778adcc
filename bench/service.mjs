// Signals service throughput on realistic agent traffic (bench/traffic.mjs), end to end over HTTP.
//
// 1. Throughput: `signals serve` (own process, libsql file) with four active signals (two span scope, one trace,
//    one session); 2 clients POST exports of 200 spans. Measured windows of BENCH_WINDOW spans (10,000): OTLP/JSON
//    over the first spans of a fresh store; OTLP/protobuf over the first spans of another fresh store; then the
//    first store is filled up to BENCH_SPANS (100,000) and OTLP/JSON and protobuf are measured again there. Each
//    window prints spans/s, the ratio to JSON.parse of the same bodies in this process (the same run) in wall time
//    and in the service's CPU time, and the service's event-loop delay; then the flat-with-volume ratio (at
//    BENCH_SPANS / first), how long settling traces and sessions lags, the service's CPU a span with the settling of
//    that traffic (each first window settles before anything else is sent; the two windows at BENCH_SPANS are counted
//    from their first export until settled) and its ratio (flat with volume, settling included), and stored bytes
//    per span.
//    The fill between the windows is a real ingest of every span over HTTP, but by default with the signals
//    disabled (the cheaper mode: storing without judging, so the default run takes minutes); BENCH_FULL=1 keeps
//    them active for the whole run.
// 2. Responsiveness: six templates, 2 clients POSTing ~4 MB exports while a thread of its own polls /healthz and a
//    dashboard read (the signals list) as another client (bench/service-poller.mjs); p99 of both and the server's
//    event-loop delay p99 (monitorEventLoopDelay).
// 3. Reads at scale: BENCH_LABELS labels (default 1,000,000: inserted in under 10 s) of one signal, then the label
//    listing, a filtered listing, distributions, the signals list's headline counts and the review queue through the
//    service API, median and worst of 20.
// BENCH_JUDGE=rules judges every template of the service (the four here, the six of the responsive part) with its rules
// instead of its default judge (three of the four are learned: docs/performance.md compares the two).
// BENCH_PARTS=stages,throughput,responsive,reads picks parts (stages: the request path before the store, µs a span,
// bench/request-path.mjs); BENCH_CPU_PROF=DIR writes a CPU profile of the service; BENCH_EXEC_ARGS='--flag …' starts the
// service with these Node/V8 flags instead (for example `--v8-pool-size=1`, docs/performance.md).
//
// The machine is shared: every figure comes with the load average when it was taken; compare ratios.
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { drive, startServer } from './service-driver.mjs';
import { generateTraffic } from './traffic.mjs';

const FULL = process.env.BENCH_FULL === '1';
const TOTAL = Number(process.env.BENCH_SPANS ?? 100_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 10_000);
const LABELS = Number(process.env.BENCH_LABELS ?? 1_000_000);
const only = new Set((process.env.BENCH_PARTS ?? 'stages,throughput,responsive,reads').split(','));
const TEMPLATES = ['jailbreak', 'nsfw', 'refusal', 'frustration'];
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

/** Milliseconds until no trace or session waits to settle (or `timeoutMs`), polling only what waits. */
async function untilSettled(server, timeoutMs) {
  const t0 = performance.now();
  for (;;) {
    const s = await server.ask('pending');
    if ((s.unsettledTraces === 0 && s.unsettledSessions === 0) || performance.now() - t0 > timeoutMs) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** {@link untilSettled}, then the store's figures (`store` checkpoints the WAL and counts every span and label). */
async function waitSettled(server, timeoutMs) {
  const ms = await untilSettled(server, timeoutMs);
  return { ...(await server.ask('store')), ms };
}

/**
 * A window (`measure`) and the settling of its traffic: the service's CPU (every thread) from the window's first export
 * until none of its traces and sessions waits (`settledCpuMs`).
 */
async function withSettling(server, measure) {
  const before = await server.ask('cpu');
  const w = await measure();
  await untilSettled(server, 120_000);
  const after = await server.ask('cpu');
  return { ...w, settledCpuMs: after.cpuMs - before.cpuMs };
}

/**
 * One measured window: `spans` spans POSTed in `encoding` from replica `firstReplica` on; spans/s, the service's
 * CPU a span, both against JSON.parse of the same exports (as JSON) here, and the event-loop delay meanwhile.
 */
async function window(server, template, encoding, spans, firstReplica) {
  await server.ask('loop');
  const t0 = performance.now();
  const sent = await drive(server.url, template, encoding, spans, { firstReplica });
  const wall = performance.now() - t0;
  const loop = await server.ask('loop');
  const parse = parseMs(sent.bodies);
  return { ...sent, wall, rate: (sent.spans / wall) * 1000, cpuUs: (loop.cpuMs * 1000) / sent.spans, wallX: wall / parse, cpuX: loop.cpuMs / parse, parse, loop, bytes: sent.bodies.reduce((n, e) => n + e[encoding].length, 0) };
}

function printWindow(title, w) {
  console.log(`${title}: ${fmt(w.spans)} spans in ${fmt(w.wall / 1000, 1)} s = ${fmt(w.rate)} spans/s, ${fmt(w.bytes / w.wall / 1000, 1)} MB/s (${load()})`);
  console.log(`  vs JSON.parse of the same exports here (${fmt(w.parse)} ms CPU): ${fmt(w.wallX, 1)}x in wall time, ${fmt(w.cpuX, 1)}x in the service's CPU time (${fmt(w.cpuUs)} µs CPU a span${w.loop.mainCpuMs == null ? '' : `, of which the main thread ${fmt((w.loop.mainCpuMs * 1000) / w.spans)} µs`})`);
  console.log(`  service event-loop delay: p99 ${fmt(w.loop.p99, 1)} ms, max ${fmt(w.loop.max, 1)} ms`);
}

async function throughput() {
  const fill = Math.max(0, TOTAL - 2 * WINDOW);
  console.log(`\n## Throughput: windows of ${fmt(WINDOW)} spans at the start and at ${fmt(TOTAL)} spans, OTLP/JSON and protobuf, exports of 200, 2 clients, 4 signals`);
  const template = await generateTraffic({ sessions: 48, perExport: 200 });
  const tSpans = template.reduce((n, e) => n + e.spans, 0);
  const tBytes = template.reduce((n, e) => n + e.json.length, 0);
  console.log(`traffic: ${fmt(tSpans)} spans a replica (${fmt(template.reduce((n, e) => n + e.llmSpans, 0))} chat spans), ${fmt(tBytes / tSpans)} B a span as OTLP/JSON, ${fmt(template.reduce((n, e) => n + e.protobuf.length, 0) / tSpans)} B as protobuf`);

  // Protobuf over the first spans of its own store.
  const protoServer = await startServer(freshDb('service-protobuf'), TEMPLATES);
  // BENCH_JUDGE=rules (or learned) judges every template that way instead of by its default judge (service-server.mjs).
  const judges = protoServer.signals.map((s) => `${s.template} (${s.scope}, ${s.judge})`);
  console.log(`signals: ${judges.join(', ')}${process.env.BENCH_JUDGE ? ` (BENCH_JUDGE=${process.env.BENCH_JUDGE}: not the templates' default judges)` : ''}`);
  const protoFirst = await withSettling(protoServer, () => window(protoServer, template, 'protobuf', WINDOW, 0));
  await protoServer.stop();
  printWindow(`OTLP/protobuf, first ${fmt(WINDOW)} spans (own store)`, protoFirst);

  const server = await startServer(freshDb('service'), TEMPLATES);
  const jsonFirst = await withSettling(server, () => window(server, template, 'json', WINDOW, 0));
  printWindow(`OTLP/JSON, first ${fmt(WINDOW)} spans`, jsonFirst);
  const t0 = performance.now();
  if (!FULL) await server.ask({ signals: 'disabled' });
  const filled = await drive(server.url, template, 'json', fill, { firstReplica: jsonFirst.replica });
  const settledFill = await waitSettled(server, 300_000);
  if (!FULL) await server.ask({ signals: 'active' });
  console.log(`fill: ${fmt(filled.spans)} more spans over HTTP ${FULL ? 'with the signals active' : 'with the signals disabled (cheaper mode)'} in ${fmt((performance.now() - t0) / 1000, 1)} s; the store holds ${fmt(settledFill.spans)} spans`);
  const beforeFar = await server.ask('cpu');
  const jsonFar = await window(server, template, 'json', WINDOW, filled.replica);
  printWindow(`OTLP/JSON, spans ${fmt(settledFill.spans)} to ${fmt(settledFill.spans + jsonFar.spans)}`, jsonFar);
  const protoFar = await window(server, template, 'protobuf', WINDOW, jsonFar.replica);
  printWindow(`OTLP/protobuf, spans ${fmt(settledFill.spans + jsonFar.spans)} to ${fmt(settledFill.spans + jsonFar.spans + protoFar.spans)}`, protoFar);
  console.log(`flat with volume (spans/s at ${fmt(TOTAL)} / over the first ${fmt(WINDOW)}): OTLP/JSON ${fmt(jsonFar.rate / jsonFirst.rate, 2)}, OTLP/protobuf ${fmt(protoFar.rate / protoFirst.rate, 2)} (goal: within 20%)`);
  const settleMs = await untilSettled(server, 120_000);
  // Read before `store` (a WAL checkpoint and counts of every span and label): what the service spent, not the bench.
  const { mainCpuMs, cpuMs } = await server.ask('cpu');
  const settled = { ...(await server.ask('store')), ms: settleMs };
  console.log(`settle after the last export: ${fmt(settled.ms / 1000, 1)} s until no trace or session waits (${fmt(settled.unsettledTraces)} traces, ${fmt(settled.unsettledSessions)} sessions left); ${fmt(settled.labels)} labels`);
  // A window's CPU leaves out the settling of its own traffic (it comes after) and takes in an earlier window's: this
  // one counts both far windows from their first export until all of it settled, every thread of the service; the
  // first windows were counted the same way (each settled before anything else was sent).
  const farSpans = jsonFar.spans + protoFar.spans;
  const farCpuUs = ((cpuMs - beforeFar.cpuMs) * 1000) / farSpans;
  const farParseUs = ((jsonFar.parse + protoFar.parse) * 1000) / farSpans;
  const firstCpuUs = (jsonFirst.settledCpuMs + protoFirst.settledCpuMs) * 1000 / (jsonFirst.spans + protoFirst.spans);
  console.log(`service CPU a span with its settling (both windows at ${fmt(TOTAL)}, from their first export until settled, every thread): ${fmt(farCpuUs)} µs, ${fmt(farCpuUs / farParseUs, 1)}x JSON.parse; at most ${fmt(2e6 / farCpuUs)} spans/s on two cores`);
  console.log(`  the first windows the same way: ${fmt(firstCpuUs)} µs a span; flat with volume, settling included (CPU a span at ${fmt(TOTAL)} / over the first ${fmt(WINDOW)}): ${fmt(farCpuUs / firstCpuUs, 2)} (goal: within 20%)`);
  if (mainCpuMs !== null) console.log(`main thread of this service (OTLP/JSON store), start to settled: ${fmt(mainCpuMs / 1000, 2)} s CPU for ${fmt(settled.spans)} spans = ${fmt((mainCpuMs * 1000) / settled.spans)} µs a span`);
  const jsonBytes = jsonFirst.bytes / jsonFirst.spans;
  console.log(`store: ${fmt(settled.bytes / 1e6, 1)} MB for ${fmt(settled.spans)} spans = ${fmt(settled.bytes / settled.spans)} B a span (OTLP/JSON in: ${fmt(jsonBytes)} B a span)`);
  await server.stop();
}

async function responsive() {
  console.log('\n## Responsiveness: ~4 MB exports, 2 clients, six templates; /healthz and the signals list polled meanwhile from a thread of their own');
  // Full exports only (the last one of a template is a remainder).
  const template = (await generateTraffic({ sessions: 80, perExport: 860, seed: 7 })).filter((e) => e.spans === 860);
  const mb = template.reduce((n, e) => n + e.json.length, 0) / template.length / 1e6;
  const server = await startServer(freshDb('responsive'), ['nsfw', 'jailbreak', 'refusal', 'frustration', 'sentiment', 'task-outcome']);
  await server.ask('loop');
  // The polls run on a thread of their own, as a dashboard is another client (bench/service-poller.mjs).
  const poller = new Worker(new URL('./service-poller.mjs', import.meta.url), {
    workerData: { url: server.url, paths: [{ path: '/healthz', everyMs: 20 }, { path: '/v1/signals', everyMs: 50 }] },
  });
  const polled = new Promise((resolve, reject) => (poller.once('message', resolve), poller.once('error', reject)));
  const t0 = performance.now();
  const sent = await drive(server.url, template, 'json', Number(process.env.BENCH_RESPONSIVE_SPANS ?? 8_000));
  const wall = performance.now() - t0;
  poller.postMessage('stop');
  const [health, reads] = await polled;
  await poller.terminate();
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
    insert into labels (id, signal_id, version, target_kind, target_id, revision, agent, status, value, explanation, judge, at, labelled_at, review_key)
    select printf('%08x-bench', i), ${signal.id}, 1, 'span', printf('%016x', i), '1', 'agent-' || (i % 7), 'labelled',
           case when i % 33 = 0 then 'yes' else 'no' end, 'rules', 'rules', ${now} - (i * 2592000000 / ${LABELS}), ${now},
           (i * 2654435761) % 268435456
    from n`);
  // One statement: what a label write costs (its indexes, the rollup triggers) shows in this time.
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
  await time('review queue, first 25', () => service.api.reviewQueue(signal.id, { limit: 25 }));
  const queue = await service.api.reviewQueue(signal.id, { limit: 200 });
  await time('review queue, page 2 (cursor)', () => service.api.reviewQueue(signal.id, { limit: 25, cursor: queue.nextCursor }));
  await time('judges report (review view: counts, LLM share, agreement)', () => service.api.judges(signal.id));
  console.log(`  (${load()})`);
  await store.close();
}

if (only.has('stages')) {
  const { printStages, requestPathStages } = await import('./request-path.mjs');
  console.log('\n## Request path before the store (CPU, in this process)');
  printStages(await requestPathStages());
}
if (only.has('throughput')) await throughput();
if (only.has('responsive')) await responsive();
if (only.has('reads')) await reads();
