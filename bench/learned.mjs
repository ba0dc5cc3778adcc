// The learned judge (src/custom/learned): training time on 10,000 generated targets, and judging throughput of each
// template's learned model next to its rules judge (targets/s, the same project-written conversations, one run).
import { DEFAULT_FEATURES, judgeWithLearned, learnFromLabels } from '../dist/custom/learned/index.js';
import { judgeWithRules } from '../dist/custom/rules/judge-rules.js';
import { TEMPLATES, templateDefinition } from '../dist/custom/templates/index.js';
import { generatedConversations } from './generated-targets.mjs';

const target = (c) => ({ kind: 'span', id: c.id, agent: 'bench', messages: c.messages, meta: {} });

// Training: 10,000 generated targets, 20% held out for calibration, agreement and the cascade threshold.
const items = generatedConversations(10_000, 42).map((c) => ({ target: target(c), label: c.meta.label }));
const started = performance.now();
const trained = learnFromLabels(items, { rules: undefined }, { labels: ['yes', 'no'], features: DEFAULT_FEATURES, source: 'bench' });
const ms = performance.now() - started;
console.table([
  {
    targets: items.length,
    'training s (features + fit + calibration)': (ms / 1000).toFixed(2),
    'fit iterations': trained.model.training.iterations,
    features: trained.model.weights.index.length,
    'held-out accuracy': trained.heldout.accuracy,
    'model KB (JSON)': (JSON.stringify(trained.model).length / 1000).toFixed(0),
  },
]);

// Throughput: the same 200 conversations (user request + reply, plus tool rows every third) for both judges.
const TOOL = [
  { from: 'function_call', value: '{"name":"search","arguments":{"q":"x"}}' },
  { from: 'observation', value: '{"results":[1,2,3]}' },
  { from: 'gpt', value: 'I found three results; here is the first.' },
];
const small = generatedConversations(200, 7).map((c, i) => target({ ...c, messages: i % 3 === 0 ? [...c.messages, ...TOOL] : c.messages }));
const rate = (judge) => {
  // Warm up for a second first: V8 compiles the feature and pattern loops of each model only after many calls, and
  // a short warm-up measured the compiler, not the judge (the first template paid several times its steady cost).
  const warm = performance.now();
  while (performance.now() - warm < 1000) for (const t of small) judge({ ...t });
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 1000) for (const t of small) (judge({ ...t }), n++);
  return Math.round(n / ((performance.now() - start) / 1000));
};
const rows = [];
for (const t of TEMPLATES) {
  const definition = templateDefinition(t.id);
  const rules = rate((x) => judgeWithRules(x, definition));
  const learned = rate((x) => judgeWithLearned(x, definition));
  rows.push({ template: t.id, 'rules targets/s': rules, 'learned targets/s': learned, 'learned / rules': (learned / rules).toFixed(2) });
}
console.table(rows);
