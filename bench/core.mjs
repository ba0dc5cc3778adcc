// Single-thread cost of the core analyzer: throughput on the shared corpus next to JSON.parse of the
// same bytes, per-message cost as conversations grow (cap lifted), and per-byte cost as one message grows.
// Run after `npm run build`; prints a table. Figures are noisy: compare the ratios of one run.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Bench } from 'tinybench';
import { analyze, serializeReportLine } from '../dist/core/index.js';

const root = resolve(import.meta.dirname, '..');
const corpusDir = resolve(root, '../shared/corpus');
const files = ['tau-bench.sharegpt', 'tau2-bench.sharegpt', 'mint-bench.sharegpt', 'sgd.sharegpt'];
const lines = files.flatMap((f) => readFileSync(`${corpusDir}/${f}.jsonl`, 'utf8').split('\n').filter((l) => l.trim() !== ''));
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
const parsed = lines.map((l) => JSON.parse(l));
const messageCount = parsed.reduce((n, r) => n + r.messages.length, 0);

const fmt = (x, digits = 1) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const meanMs = (task) => task.result.latency.mean;

// 1. Corpus throughput.
const corpus = new Bench({ time: 3000, warmupTime: 500 });
corpus
  .add('JSON.parse of every line', () => {
    for (const l of lines) JSON.parse(l);
  })
  .add('parse + analyze + serialize', () => {
    for (const l of lines) {
      const r = JSON.parse(l);
      serializeReportLine(r.id, analyze(r.messages));
    }
  });
await corpus.run();
const [parseTask, fullTask] = corpus.tasks;
const full = meanMs(fullTask) / 1000;
console.log(`\n## Corpus (${lines.length} conversations, ${messageCount} messages, ${fmt(bytes / 1e6)} MB), one thread`);
console.log(`JSON.parse only:              ${fmt(meanMs(parseTask), 0)} ms`);
console.log(`parse + analyze + serialize:  ${fmt(meanMs(fullTask), 0)} ms  = ${fmt(meanMs(fullTask) / meanMs(parseTask))}x JSON.parse (reference: 41.5x)`);
console.log(`throughput: ${fmt(lines.length / full, 0)} conversations/s, ${fmt(messageCount / full, 0)} messages/s, ${fmt(bytes / 1e6 / full)} MB/s (reference: 3.8 MB/s)`);

// 2. Per-message cost by conversation size, cap lifted: a block of 100 corpus rows sampled across the whole
// corpus (every 431st row), repeated, so that every size has the same mix of content.
const pool = parsed.flatMap((r) => r.messages);
const block = Array.from({ length: 100 }, (_, i) => pool[(i * 431) % pool.length]);
const conversationOf = (n) => Array.from({ length: n }, (_, i) => block[i % block.length]);
const sizes = [100, 1000, 10000];
const bySize = new Bench({ time: 2000, warmupTime: 300 });
for (const n of sizes) {
  const messages = conversationOf(n);
  bySize.add(`${n} messages`, () => analyze(messages, { maxMessages: Infinity }));
}
await bySize.run();
console.log('\n## Per-message cost by conversation size (cap lifted)');
const perMessage = bySize.tasks.map((t, i) => (meanMs(t) * 1000) / sizes[i]);
bySize.tasks.forEach((t, i) => console.log(`${String(sizes[i]).padStart(6)} messages: ${fmt(meanMs(t), 2)} ms, ${fmt(perMessage[i], 2)} µs/message`));
console.log(`ratio 1,000 / 100: ${fmt(perMessage[1] / perMessage[0], 2)}, 10,000 / 100: ${fmt(perMessage[2] / perMessage[0], 2)} (flat = 1.00, goal within 0.80–1.20)`);

// 3. Per-byte cost by message size: one tool result of 1 KB vs the same 1 KB repeated to 1 MB, for real
// and pattern-dense text. Linear means 1024x.
const observationText = pool.filter((m) => m.from === 'observation').map((m) => m.value).join('\n');
const kilobyteOf = (source) => source.repeat(Math.ceil(1024 / source.length)).slice(0, 1024);
const textOf = (source, size) => kilobyteOf(source).repeat(size / 1024);
const shapes = {
  'corpus observations': observationText,
  'dense "exceeded "': 'exceeded ',
  'dense "status   "': 'status   ',
  'whitespace runs': `exceeded${' '.repeat(500)}\n`,
  'user message': pool.filter((m) => m.from === 'human').map((m) => m.value).join(' '),
};
const bySizeBytes = new Bench({ time: 1000, warmupTime: 200 });
for (const [name, source] of Object.entries(shapes)) {
  for (const size of [1024, 1024 * 1024]) {
    const from = name === 'user message' ? 'human' : 'observation';
    const messages = [{ from: 'function_call', value: '{"name":"f","arguments":{}}' }, { from, value: textOf(source, size) }];
    bySizeBytes.add(`${name} ${size}`, () => analyze(messages));
  }
}
await bySizeBytes.run();
console.log('\n## One message of 1 KB vs 1 MB (linear = 1024x)');
const tasks = bySizeBytes.tasks;
for (let i = 0; i < tasks.length; i += 2) {
  const name = tasks[i].name.replace(/ \d+$/, '');
  console.log(`${name.padEnd(22)} 1 KB ${fmt(meanMs(tasks[i]) * 1000, 1)} µs, 1 MB ${fmt(meanMs(tasks[i + 1]), 2)} ms, ratio ${fmt(meanMs(tasks[i + 1]) / meanMs(tasks[i]), 0)}x`);
}
