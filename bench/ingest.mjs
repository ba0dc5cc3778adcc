// Ingest + live rules labelling: the bundled sample replicated to 100k spans (one agent's traffic), stored in a
// libsql file with three active signals (two span-scope templates labelled at ingest, a trace-scope one at settle).
// Prints spans/s and labels/s, the store's size and RSS at 10k/50k/100k spans (flat memory: no state grows with traffic).
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createSignalsService } from '../dist/service/service.js';
import { conversationToSpans } from '../dist/service/demo-traffic.js';
import { openStore } from '../dist/store/libsql.js';

const TOTAL = Number(process.env.BENCH_SPANS ?? 100_000);
const PER_EXPORT = 500;
const dir = join(import.meta.dirname, '.data');
mkdirSync(dir, { recursive: true });
const path = join(dir, 'ingest.db');
for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });

const conversations = readFileSync(join(import.meta.dirname, '../corpus/sample.sharegpt.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l).messages);

const store = await openStore({ url: path });
let clock = Date.parse('2026-11-01T00:00:00Z');
const service = createSignalsService(store, { now: () => clock });
for (const template of ['jailbreak', 'nsfw', 'refusal']) {
  await service.api.createSignal({ template, overrides: { agent: 'bench-agent' }, state: 'active' });
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const size = () => ['', '-wal'].reduce((n, s) => n + (statSync(path + s, { throwIfNoEntry: false })?.size ?? 0), 0);
const marks = new Set([10_000, 50_000, 100_000].filter((m) => m <= TOTAL));
let stored = 0;
let labels = 0;
let replica = 0;
let pending = [];
const t0 = performance.now();
const flush = async () => {
  const r = await service.ingest(pending);
  stored += r.stored;
  labels += r.labels;
  pending = [];
  for (const m of [...marks]) {
    if (stored >= m) {
      marks.delete(m);
      console.log(`  at ${m.toLocaleString('en-US')} spans: RSS ${mb(process.memoryUsage().rss)} MB, store ${mb(size())} MB`);
    }
  }
};
outer: for (;;) {
  for (const [i, rows] of conversations.entries()) {
    const spans = conversationToSpans(rows, {
      agent: 'bench-agent',
      sessionId: `bench-${replica}-${i}`,
      startMs: clock,
      turnMs: 40_000,
      traceIdPrefix: `${replica.toString(16).padStart(6, '0')}${i.toString(16).padStart(2, '0')}`,
    });
    clock += 60_000;
    for (const s of spans) {
      pending.push(s);
      if (pending.length === PER_EXPORT) await flush();
      if (stored + pending.length >= TOTAL) {
        await flush();
        break outer;
      }
    }
  }
  replica++;
}
const ingestS = (performance.now() - t0) / 1000;
console.log(`ingest + live span labels: ${stored.toLocaleString('en-US')} spans in ${ingestS.toFixed(1)} s = ${Math.round(stored / ingestS).toLocaleString('en-US')} spans/s; ${labels.toLocaleString('en-US')} labels = ${Math.round(labels / ingestS).toLocaleString('en-US')} labels/s`);

const t1 = performance.now();
clock += 3_600_000;
const tick = await service.tick(clock, { runs: false, llm: false });
const settleS = (performance.now() - t1) / 1000;
console.log(`settle (trace scope): ${tick.traces.toLocaleString('en-US')} traces, ${tick.labels.toLocaleString('en-US')} labels in ${settleS.toFixed(1)} s = ${Math.round(tick.labels / settleS).toLocaleString('en-US')} labels/s`);
console.log(`store file: ${mb(size())} MB (${path}), peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
await store.close();
