// npm run demo: the bundled sample as one agent's traffic over the last 24 hours, two template signals
// backfilled with the rules judge, and their distributions. Store: $SIGNALS_DB, else .signals/demo.db (recreated).
import { readFileSync, rmSync } from 'node:fs';
import { createSignalsService } from '../dist/service/service.js';
import { conversationToSpans } from '../dist/service/demo-traffic.js';
import { openStore } from '../dist/store/libsql.js';

const path = process.env.SIGNALS_DB || '.signals/demo.db';
if (!process.env.SIGNALS_DB) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
const store = await openStore({ url: path });
const service = createSignalsService(store);
const { api } = service;

const lines = readFileSync(new URL('../corpus/sample.sharegpt.jsonl', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() !== '');
const now = Date.now();
const day = 86_400_000;
let spans = 0;
for (const [i, line] of lines.entries()) {
  const conversation = JSON.parse(line);
  // Conversations spread over the last day, a few minutes of jitter, turns 30-90 s apart.
  const startMs = now - day + Math.floor(((i + 0.5) * day) / lines.length) + ((i * 7919) % 300) * 1000;
  const traffic = conversationToSpans(conversation.messages, {
    agent: 'ridgeline-support',
    sessionId: `demo-session-${String(i + 1).padStart(2, '0')}`,
    startMs,
    turnMs: 30_000 + ((i * 104_729) % 60) * 1000,
    traceIdPrefix: `de${(i + 1).toString(16).padStart(4, '0')}`,
  });
  spans += (await service.ingest(traffic)).stored;
}
console.log(`ingested ${lines.length} conversations as ${spans} spans of agent ridgeline-support into ${path}`);

const since = new Date(now - 2 * day).toISOString();
const until = new Date(now + 60_000).toISOString();
for (const template of ['frustration', 'task-outcome']) {
  // Active, as a team would run them: a draft labels nothing (a backfill of a draft would label with an unapproved definition).
  const signal = await api.createSignal({ template, overrides: { agent: 'ridgeline-support' }, state: 'active' });
  const run = await api.startRun(signal.id, { since, until });
  await service.driveRun(run.id);
  const done = await api.getRun(run.id);
  console.log(`\n${signal.name} (${signal.scope}, ${signal.type}, judge ${signal.definition.judge}): backfill ${done.status}, ${done.done}/${done.total} targets`);
  console.log(`  labels: ${Object.entries(done.counts).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const buckets = await api.distribution(signal.id, { bucket: '4h', since: new Date(now - day).toISOString(), until: new Date(now + 60_000).toISOString() });
  for (const b of buckets) {
    const cells = Object.entries(b.counts).map(([k, n]) => `${k}=${n}`).join(' ');
    console.log(`  ${b.start.slice(0, 16).replace('T', ' ')}  ${cells || '-'}`);
  }
}
const page = await api.labels('frustration', { value: 'yes', limit: 3 });
if (page.items.length > 0) {
  const first = page.items[0];
  console.log(`\nA frustrated session: ${first.targetId}: ${first.explanation}`);
  console.log(`  its conversation, report and labels: GET /v1/targets/session/${first.targetId} (npm run serve with SIGNALS_DB=${path})`);
}
await store.close();
