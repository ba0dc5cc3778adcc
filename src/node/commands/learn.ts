import { createInterface } from 'node:readline/promises';
import { labelMapping } from '../../custom/eval-labels.js';
import type { Target } from '../../custom/types.js';
import { isFormatName } from '../../formats/index.js';
import type { FormatName } from '../../formats/conversation.js';
import type { LearnReport } from '../../service/api.js';
import { targetsFromFiles } from '../signal-inputs.js';
import { UsageError } from '../usage-error.js';
import { BACKEND_HELP, command, num, print, printJson, str } from './cli-kit.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The report as text: where the labels came from, agreement on the held-out part, the cascade, what happens next. */
export function formatLearnReport(r: LearnReport): string {
  const lines = [`Trained ${r.signal}'s learned judge on ${r.examples} labels (${Object.entries(r.per_label).map(([l, n]) => `${l} ${n}`).join(', ')}): ${r.source}; ${r.features} features, ${(r.ms / 1000).toFixed(1)} s.`];
  if (r.heldout) {
    const labels = Object.keys(r.heldout.confusion);
    lines.push(
      '',
      `Agreement on the held-out part (${r.heldout.n} labels not trained on): accuracy ${pct(r.heldout.accuracy)}, macro-F1 ${r.heldout.macro_f1.toFixed(3)}`,
      '',
      `| labelled \\ learned | ${labels.join(' | ')} |`,
      `|---|${labels.map(() => '---:').join('|')}|`,
      ...labels.map((e) => `| ${e} | ${labels.map((p) => r.heldout!.confusion[e][p] ?? 0).join(' | ')} |`),
    );
  } else lines.push('', 'No held-out labels: agreement not measured (add labels).');
  if (r.cascade) {
    lines.push(
      '',
      `Cascade (learned-then-llm): the learned label stands at confidence >= ${r.cascade.threshold.toFixed(4)}; ${pct(r.cascade.llm_share)} of the held-out targets would go to the LLM, agreement ${pct(r.cascade.agreement)} (target ${pct(r.cascade.target)}).`,
    );
  }
  lines.push('', r.applied ? `Saved as version ${r.applied.version} of ${r.signal} (judge ${r.judge}).` : `Nothing changed: run again with --yes to save it as a new version of ${r.signal} (judge ${r.judge}).`);
  return `${lines.join('\n')}\n`;
}

/** `signals learn NAME`. */
export const runLearn = command({
  name: 'learn',
  help: `Usage: signals learn NAME [--from FILE... --label FIELD] [--yes] [options]

Trains the signal's learned judge (a small local classifier: word and character n-grams, logistic
regression) from the labels its LLM judge gave under the current prompt, or from a labelled file, and
prints its agreement with those labels on a held-out fifth (accuracy, macro-F1, confusion) and the
cascade threshold that keeps the stated agreement. Nothing changes until you confirm (or pass --yes):
then the model becomes a new version of the signal.

Options
  --from FILE           train on the conversations of FILE (any input format; repeatable) instead of
                        the stored LLM labels
  --label FIELD         with --from: the meta field holding the label (booleans for a binary signal)
  --judge KIND          learned, or learned-then-llm (the LLM only where the model is unsure; default
                        when the signal uses an LLM)
  --agreement SHARE     the agreement the cascade threshold keeps (default 0.95)
  -f, --format NAME     with --from: read every record as NAME
  -y, --yes             save without asking
  --json                print the report as JSON (saves only with --yes)
${BACKEND_HELP}

Examples
  signals learn frustration
  signals learn refund --from labelled.jsonl --label refund --yes`,
  args: [1, 1],
  options: {
    from: { type: 'string', multiple: true },
    label: { type: 'string' },
    judge: { type: 'string' },
    agreement: { type: 'string' },
    format: { type: 'string', short: 'f' },
    yes: { type: 'boolean', short: 'y' },
  },
  async run({ values, positionals, backend }) {
    const name = positionals[0];
    const from = (values.from as string[] | undefined) ?? [];
    const field = str(values, 'label');
    if (from.length > 0 && field === undefined) throw new UsageError('--from needs --label FIELD (the meta field holding the label)');
    if (from.length === 0 && field !== undefined) throw new UsageError('--label goes with --from FILE');
    const judge = str(values, 'judge');
    if (judge !== undefined && judge !== 'learned' && judge !== 'learned-then-llm') throw new UsageError(`--judge: learned or learned-then-llm, got "${judge}"`);
    const agreement = num(values, 'agreement');
    if (agreement !== undefined && !(agreement > 0 && agreement <= 1)) throw new UsageError(`--agreement: a share above 0 and at most 1 (0.95), got ${agreement}`);
    const format = str(values, 'format');
    if (format !== undefined && !isFormatName(format)) throw new UsageError(`--format: unknown format "${format}"`);
    const { api } = await backend('train');
    let labelled: { target: Target; label: string }[] | undefined;
    let skipped = 0;
    if (from.length > 0) {
      const signal = await api.getSignal(name);
      let mapping;
      try {
        mapping = labelMapping(signal.definition);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      labelled = [];
      for await (const target of targetsFromFiles(from, signal.definition, format as FormatName | undefined, 'learn')) {
        const label = mapping.expected(target.meta[field!]);
        if (label === undefined || !mapping.labels.includes(label)) skipped++;
        else labelled.push({ target: { ...target, meta: {} }, label });
      }
      if (skipped) process.stderr.write(`signals learn: skipped ${skipped} record(s) without a label of ${name} in meta.${field}\n`);
    }
    const input = { labelled, source: from.length ? `file ${from.join(', ')} (meta.${field})` : undefined, judge: judge as 'learned' | 'learned-then-llm' | undefined, agreement };
    const yes = values.yes === true;
    const report = await api.learn(name, { ...input, apply: yes });
    if (values.json) {
      printJson(report);
      return 0;
    }
    print(formatLearnReport(report));
    if (yes || !process.stdin.isTTY || !process.stdout.isTTY) return 0;
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = (await rl.question(`Save it as a new version of ${name}? [y/N] `)).trim().toLowerCase();
    rl.close();
    if (answer !== 'y' && answer !== 'yes') return 0;
    // Training is deterministic: the same labels give the same model, so training again to save is exact.
    const saved = await api.learn(name, { ...input, apply: true });
    print(`Saved as version ${saved.applied?.version} of ${name} (judge ${saved.judge}).\n`);
    return 0;
  },
});
