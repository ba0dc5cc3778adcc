// Span-scope judging of the service benchmark's traffic as a judge thread does it, in this process: every chat span
// of bench/traffic.mjs (each carries the whole history so far) read from the OTLP/JSON exports, assembled into a span
// target, and judged by the judge worker's own task function (`dist/service/judge-worker.js`) in tasks of 32
// targets with the two span-scope signals of the service benchmark (jailbreak: learned, nsfw: rules). Replicas of
// the traffic rewrite every id, so no message repeats across replicas (only the system prompt).
//
// Prints CPU µs a span per measured replica (reading and assembly excluded) and a hash of every verdict, so two
// builds can be compared paired and for identical labels: `JUDGE_DIST=/other/dist node bench/judge-thread.mjs`.
// JUDGE_REPLICAS (default 7) replicas, the first JUDGE_WARM (default 3) not measured; JUDGE_TURNS=N judges long
// sessions of N turns instead (see `longSessions`); JUDGE_SIGNALS=a,b judges other templates (default jailbreak,nsfw).
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateTraffic, replicate } from './traffic.mjs';

const dist = pathToFileURL(`${resolve(process.env.JUDGE_DIST ?? `${import.meta.dirname}/../dist`)}/`);
const from = (path) => import(new URL(path, dist).href);
const { default: judgeTask } = await from('service/judge-worker.js');
const { packTargets } = await from('service/judge-pool.js');
const { inlineDefinition } = await from('service/judging.js');
const { targetFromSpans } = await from('service/targets.js');
const { readSpans } = await from('formats/traces/read-spans.js');
const { spanRow } = await from('store/traffic.js');
const { templateDefinition } = await from('custom/templates/index.js');
const { filterMismatch } = await from('custom/filter.js');
const { hasReadableMessage } = await from('custom/readable.js');

const REPLICAS = Number(process.env.JUDGE_REPLICAS ?? 7);
const WARM = Number(process.env.JUDGE_WARM ?? 3);
const T0 = Date.parse('2026-05-10T15:00:00Z');
const signals = (process.env.JUDGE_SIGNALS ?? 'jailbreak,nsfw').split(',').map((id) => ({ key: `${id}@1`, definition: inlineDefinition(templateDefinition(id)) }));
const definitions = Object.fromEntries(signals.map((s) => [s.key, s.definition]));
const template = process.env.JUDGE_TURNS ? [] : await generateTraffic();

/** The span targets of one export, as the service builds them at ingest. */
function spanTargets(body) {
  const { spans } = readSpans(JSON.parse(body.toString('utf8')));
  return spans.filter((s) => s.kind === 'llm' && s.messages.length > 0 && !s.unreadable).map((s) => targetFromSpans('span', s.spanId, [spanRow(s, T0)], 1));
}

/** Tasks as the judge pool cuts them: at most 32 targets or 256 K characters. */
function tasks(targets) {
  const out = [];
  let chunk = [];
  let chars = 0;
  for (const t of targets) {
    const size = t.messages.reduce((n, m) => n + m.value.length, 0);
    if (chunk.length > 0 && (chunk.length >= 32 || chars + size > 256_000)) {
      out.push(chunk);
      chunk = [];
      chars = 0;
    }
    chunk.push(t);
    chars += size;
  }
  if (chunk.length > 0) out.push(chunk);
  return out.map((c) => ({
    ...packTargets(c),
    work: signals.map((s) => ({ key: s.key, targets: c.flatMap((t, i) => (filterMismatch(t, s.definition) === null && hasReadableMessage(t) ? [i] : [])) })),
  }));
}

/**
 * JUDGE_TURNS=N: instead of the bench traffic, 6 sessions of N turns (a user message, a tool call, its result, a
 * reply; every chat span carries the history so far), so the history a span carries grows long.
 */
function longSessions(turns, replica) {
  const spans = [];
  for (let k = 0; k < 6; k++) {
    const history = [{ from: 'system', value: 'You are the support agent of Northwind Air. Be brief.' }];
    for (let t = 0; t < turns; t++) {
      const n = `${replica}-${k}-${t}`;
      history.push({ from: 'human', value: `Turn ${n}: please look at booking NW${n} again, the date of my flight is still wrong and I need it fixed today.` });
      spans.push({ history: [...history], reply: { from: 'function_call', value: `{"name":"get_reservation","arguments":{"id":"NW${n}"}}` }, session: `s${replica}-${k}` });
      history.push(spans.at(-1).reply, { from: 'observation', value: `{"reservation":"NW${n}","status":"confirmed","date":"2026-05-${10 + (t % 18)}"}` });
      spans.push({ history: [...history], reply: { from: 'gpt', value: `I have checked booking NW${n}; it is confirmed for the date shown.` }, session: `s${replica}-${k}` });
      history.push(spans.at(-1).reply);
    }
  }
  const targets = spans.map((s, i) => ({ kind: 'span', id: `span-${replica}-${i}`, agent: 'support-agent', messages: [...s.history, s.reply], meta: { sessionId: s.session } }));
  const out = [];
  for (let i = 0; i < targets.length; i += 32) out.push(targets.slice(i, i + 32));
  return [out.flatMap((c) => tasks(c))];
}

const TURNS = Number(process.env.JUDGE_TURNS ?? 0);
const hash = createHash('sha256');
const rows = [];
for (let r = 0; r < REPLICAS; r++) {
  const prepared = TURNS > 0 ? longSessions(TURNS, r + 1) : template.map((e) => tasks(spanTargets(replicate(e.json, r + 1, 'json'))));
  let spans = 0;
  const start = process.cpuUsage();
  for (const exportTasks of prepared) {
    for (const task of exportTasks) {
      let result = await judgeTask(task);
      if ('missing' in result) result = await judgeTask({ ...task, definitions });
      spans += task.targets.length;
      // Ids differ per replica; the verdicts of every replica are the same traffic's.
      hash.update(JSON.stringify(result.verdicts));
    }
  }
  const cpu = process.cpuUsage(start);
  if (r >= WARM) rows.push({ replica: r + 1, spans, 'CPU µs a span': Math.round((cpu.user + cpu.system) / spans), load: loadavg()[0].toFixed(1) });
}
console.table(rows);
const sorted = rows.map((x) => x['CPU µs a span']).sort((a, b) => a - b);
console.log(`median ${sorted[Math.floor(sorted.length / 2)]} µs CPU a span; verdicts sha256 ${hash.digest('hex').slice(0, 16)}; dist ${dist.pathname}`);
