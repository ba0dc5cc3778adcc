// Incremental analysis (createAnalyzer, SignalsSpanProcessor): the cost of appending message n as a
// conversation grows, and a 1,000-call conversation through the span processor, incremental vs a full
// re-analysis of every span (what the processor did before). Run after `npm run build`. Times are CPU time.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { analyze, createAnalyzer } from '../dist/core/index.js';
import { SignalsSpanProcessor } from '../dist/otel/index.js';
import { spanConversation } from '../dist/otel/span-messages.js';

const root = resolve(import.meta.dirname, '..');
const fmt = (x, digits = 1) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// CPU time of this process, in ms: steadier than wall time on a shared machine.
const now = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// 1. Append cost at n = 100, 1,000, 10,000: the same content mix at every size (a block of 100 corpus rows
// sampled across the shared corpus, repeated, as in core.mjs). Each figure is the median over 9 fresh
// analyzers of the mean cost of appending rows n..n+199 (and of append + report()).
const corpusDir = resolve(root, '../shared/corpus');
const files = ['tau-bench.sharegpt', 'tau2-bench.sharegpt', 'mint-bench.sharegpt', 'sgd.sharegpt'];
const pool = files.flatMap((f) => readFileSync(`${corpusDir}/${f}.jsonl`, 'utf8').split('\n').filter((l) => l.trim() !== '').flatMap((l) => JSON.parse(l).messages));
const block = Array.from({ length: 100 }, (_, i) => pool[(i * 431) % pool.length]);
const K = 200;
const conversation = Array.from({ length: 10000 + K }, (_, i) => block[i % block.length]);

/** Mean µs per row of appending rows n..n+K-1 to a fresh analyzer that holds rows 0..n-1. */
function appendOnce(n, options, withReport) {
  const analyzer = createAnalyzer(options);
  analyzer.append(conversation.slice(0, n));
  const start = now();
  for (let i = n; i < n + K; i++) {
    analyzer.append(conversation[i]);
    if (withReport) analyzer.report();
  }
  return ((now() - start) * 1000) / K;
}

const SIZES = [100, 1000, 10000];
const MODES = [
  [undefined, false],
  [undefined, true],
  [{ maxMessages: Infinity }, false],
];
/** Median over 15 rounds; each round measures every size and mode in turn, so machine noise hits all alike. */
function appendCosts() {
  const samples = MODES.map(() => SIZES.map(() => []));
  for (let round = -2; round < 15; round++) {
    MODES.forEach(([options, withReport], m) =>
      SIZES.forEach((n, s) => {
        const cost = appendOnce(n, options, withReport);
        if (round >= 0) samples[m][s].push(cost); // rounds -2 and -1 warm up
      }),
    );
  }
  return samples.map((bySize) => bySize.map(median));
}

function reanalyzeCost(n, options) {
  const samples = [];
  for (let run = 0; run < 3; run++) {
    const start = now();
    for (let i = n; i < n + 5; i++) analyze(conversation.slice(0, i + 1), options);
    samples.push(((now() - start) * 1000) / 5);
  }
  return median(samples);
}

console.log('\n## Cost of appending message n (µs per message, CPU time; median of 15 interleaved rounds)');
console.log('| n | append (cap 100) | append + report() (cap 100) | append (cap lifted) | full re-analysis per message (cap 100 / lifted) |');
console.log('|---|---|---|---|---|');
const costs = appendCosts();
SIZES.forEach((n, s) => {
  const full = reanalyzeCost(n, undefined);
  const fullInf = reanalyzeCost(n, { maxMessages: Infinity });
  console.log(`| ${n.toLocaleString('en-US')} | ${fmt(costs[0][s], 2)} | ${fmt(costs[1][s], 2)} | ${fmt(costs[2][s], 2)} | ${fmt(full, 0)} / ${fmt(fullInf, 0)} |`);
});
const ratios = (m) => `${fmt(costs[m][1] / costs[m][0], 2)}, ${fmt(costs[m][2] / costs[m][0], 2)}`;
console.log(`ratios n=1,000 and 10,000 to n=100: append ${ratios(0)}; append + report ${ratios(1)}; cap lifted ${ratios(2)}`);

// 2. A 1,000-call conversation through SignalsSpanProcessor: the bundled OpenAI sample conversations played
// back to back as one agent session; one span per assistant message, its history as gen_ai.input.messages
// and the message as gen_ai.output.messages. Only span.end() (where the processor runs) is timed.
const sample = readFileSync(resolve(root, 'test/fixtures/sample.openai.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l).messages);
const session = [];
for (let copy = 0; session.filter((m) => m.role === 'assistant').length < 1000; copy++) {
  for (const messages of sample) {
    for (const m of messages) {
      if (m.role === 'system' && session.length > 0) continue;
      const id = (x) => `${x}-${copy}`;
      session.push({ ...m, tool_call_id: m.tool_call_id && id(m.tool_call_id), tool_calls: m.tool_calls?.map((c) => ({ ...c, id: id(c.id) })) });
    }
  }
}
function toGenAI(m) {
  if (m.role === 'tool') return { role: 'tool', parts: [{ type: 'tool_call_response', id: m.tool_call_id, response: m.content }] };
  const calls = (m.tool_calls ?? []).map((c) => ({ type: 'tool_call', id: c.id, name: c.function.name, arguments: c.function.arguments }));
  return { role: m.role, parts: [...(m.content ? [{ type: 'text', content: m.content }] : []), ...calls] };
}
const genai = session.map((m) => JSON.stringify(toGenAI(m)));
const calls = session.flatMap((m, k) => (m.role === 'assistant' ? [k] : [])).slice(0, 1000);

const noop = { onStart() {}, onEnd() {}, onEnding() {}, forceFlush: async () => {}, shutdown: async () => {} };
/**
 * Ends one span per call; total CPU ms in span.end(). `options` undefined: no SignalsSpanProcessor, only a full
 * read of each span (spanConversation); null: nothing but the SDK.
 */
function runSession(options) {
  const processor =
    options === null ? noop : options ? new SignalsSpanProcessor(noop, { evaluationEvents: false, ...options }) : { ...noop, onEnding: (span) => spanConversation(span.attributes) };
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('bench');
  let timed = 0;
  for (const k of calls) {
    // A flat string, as an instrumentation's JSON.stringify makes (a concatenated one would be flattened in the timed part).
    const input = Buffer.from(`[${genai.slice(0, k).join(',')}]`).toString();
    const span = tracer.startSpan('chat', {
      attributes: { 'gen_ai.conversation.id': 'session-1', 'gen_ai.input.messages': input, 'gen_ai.output.messages': `[${genai[k]}]` },
    });
    const start = now();
    span.end();
    timed += now() - start;
  }
  return timed;
}
const full = { conversationId: () => undefined };
const lifted = { analyzeOptions: { maxMessages: Infinity } };
console.log(`\n## A ${calls.length}-call conversation through SignalsSpanProcessor (${session.length} messages at the end; total ms in span.end())`);
const floor = runSession(undefined);
const sdkOnly = runSession(null);
console.log(`reading every span in full (parse + convert, no analysis): ${fmt(floor, 0)} ms; the SDK's span.end() alone: ${fmt(sdkOnly, 0)} ms`);
console.log('| | full re-analysis per span (before) | incremental | speed-up |');
console.log('|---|---|---|---|');
for (const [label, options] of [['cap 100 (default)', {}], ['cap lifted', lifted]]) {
  const before = runSession({ ...options, ...full });
  const after = runSession(options);
  console.log(`| ${label} | ${fmt(before, 0)} | ${fmt(after, 0)} | ${fmt(before / after)}× |`);
}
