// Custom signals' rules judge (src/custom/rules): targets per second for each of the six templates on short
// project-written conversations, and the time to judge one ~228 KB conversation with every template.
import { judgeWithRules } from '../dist/custom/rules/judge-rules.js';
import { TEMPLATES, templateDefinition } from '../dist/custom/templates/index.js';

const TURNS = [
  { from: 'human', value: 'Can you find me a flight to Paris on Monday morning?' },
  { from: 'gpt', value: 'Sure, let me search for flights to Paris on Monday.' },
  { from: 'function_call', value: '{"name":"search_flights","arguments":{"to":"CDG","date":"monday"}}' },
  { from: 'observation', value: '{"flights":[{"id":"AF123","departs":"08:10"},{"id":"BA456","departs":"09:45"}]}' },
  { from: 'gpt', value: 'I found two flights: AF123 at 08:10 and BA456 at 09:45. Which one would you like?' },
  { from: 'human', value: 'no, i meant the evening flights. this is not what i asked' },
  { from: 'gpt', value: "I'm sorry, I can't help with booking evening flights right now." },
  { from: 'human', value: 'Thanks, that works great, the morning one is fine after all.' },
];

/** A conversation of `n` turns cycled from TURNS, each made a little different so no two messages are equal. */
const conversation = (n) => Array.from({ length: n }, (_, i) => ({ ...TURNS[i % TURNS.length], value: `${TURNS[i % TURNS.length].value} (${i})` }));
const target = (messages, i) => ({ kind: 'session', id: `s${i}`, agent: 'bench', messages, meta: {} });

const definitions = TEMPLATES.map((t) => [t.id, templateDefinition(t.id)]);
const small = Array.from({ length: 200 }, (_, i) => target(conversation(6 + (i % 10)), i));
const rows = [];
for (const [id, definition] of definitions) {
  for (const t of small.slice(0, 20)) judgeWithRules({ ...t }, definition);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 500) for (const t of small) (judgeWithRules({ ...t }, definition), n++);
  rows.push({ template: id, 'targets/s': Math.round(n / ((performance.now() - start) / 1000)) });
}
console.table(rows);

let turns = 0;
let big = [];
for (; JSON.stringify(big).length < 228_000; turns += 100) big = conversation(turns);
const bytes = JSON.stringify(big).length;
const timings = [];
for (const [id, definition] of definitions) {
  const start = performance.now();
  const verdict = judgeWithRules(target(big, 0), definition);
  timings.push({ template: id, ms: (performance.now() - start).toFixed(1), label: verdict.label ?? verdict.status });
}
console.table(timings);
console.log(`one ${(bytes / 1000).toFixed(0)} KB conversation (${big.length} messages): ${timings.reduce((s, t) => s + Number(t.ms), 0).toFixed(0)} ms for all six templates`);
