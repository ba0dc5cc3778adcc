import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { labelMapping } from '../../custom/eval-labels.js';
import { evaluateVerdicts, formatEvalReport, type EvalItem } from '../../custom/evaluate.js';
import { judge } from '../../custom/judge.js';
import { templateById } from '../../custom/templates/index.js';
import { isFormatName } from '../../formats/index.js';
import type { FormatName } from '../../formats/conversation.js';
import { providersFor, signalFromArgs, targetsFromFiles } from '../signal-inputs.js';
import { UsageError } from '../usage-error.js';

/** Help of `signals eval --signal`. */
export const SIGNAL_EVAL_USAGE = `Usage: signals eval --signal NAME [FILES|-] --label FIELD [options]

Compares a custom signal's verdicts with meta.FIELD of each record: booleans for a binary signal
(true = yes), label strings for a labels signal. Prints the confusion matrix, accuracy, per-label
precision and recall and macro-F1, next to always-the-majority-label as a baseline. Undecided and
error verdicts are counted apart (not in the accuracy). Records without the field are skipped.

Options
  --signal NAME         a signal of the config, or a template id (nsfw, jailbreak, refusal,
                        frustration, sentiment, task-outcome)
  --label FIELD         the meta field holding the expected label (required)
  --positive LABEL      compare a labels signal with a boolean field: LABEL (repeatable) means true,
                        every other label false (task-outcome defaults to --positive completed)
  --config FILE         signals.config.yaml|json (default: ./signals.config.yaml if present)
  --json FILE           write n, accuracy, macro_f1, confusion, per_label, undecided, error, baseline
  -f, --format NAME     read every record as NAME instead of detecting it
  -h, --help            show this help

Exit codes: 0 ok, 1 nothing to compare, 2 usage or I/O error.`;

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      signal: { type: 'string' },
      label: { type: 'string' },
      positive: { type: 'string', multiple: true, default: [] },
      config: { type: 'string' },
      json: { type: 'string' },
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true as const };
  if (!values.label) throw new UsageError('--label FIELD is required (the meta field holding the expected label)');
  if (values.format !== undefined && !isFormatName(values.format)) throw new UsageError(`--format: unknown format "${values.format}"`);
  return { help: false as const, files: positionals, ...values, label: values.label, format: values.format as FormatName | undefined };
}

/** `signals eval --signal NAME`: the signal's verdicts against `meta.FIELD`. Returns the exit code. */
export async function runSignalEval(argv: string[]): Promise<number> {
  try {
    const options = parse(argv);
    if (options.help) {
      process.stdout.write(`${SIGNAL_EVAL_USAGE}\n`);
      return 0;
    }
    const definition = await signalFromArgs(options.signal, options.config);
    const positive = options.positive.length ? options.positive : definition.name === 'task-outcome' && templateById('task-outcome') ? ['completed'] : [];
    let mapping;
    try {
      mapping = labelMapping(definition, definition.type === 'labels' ? positive : undefined);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const items: EvalItem[] = [];
    const providers = providersFor(options.config);
    let skipped = 0;
    for await (const target of targetsFromFiles(options.files, definition, options.format, 'eval')) {
      const expected = mapping.expected(target.meta[options.label]);
      if (expected === undefined) {
        skipped++;
        continue;
      }
      items.push({ expected, verdict: mapping.verdict(await judge(target, definition, { env: process.env, providers })) });
    }
    if (items.length === 0) {
      process.stderr.write(`signals eval: no record has a usable meta.${options.label} (${skipped} skipped)\n`);
      return 1;
    }
    const report = evaluateVerdicts(items, mapping.labels);
    process.stdout.write(formatEvalReport(report, `${definition.name} against meta.${options.label}`));
    if (skipped) process.stdout.write(`Skipped ${skipped} record(s) without a usable meta.${options.label}.\n`);
    if (options.json !== undefined) await writeFile(options.json, `${JSON.stringify({ signal: definition.name, label: options.label, ...report }, null, 2)}\n`);
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!(error instanceof UsageError) && !(typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) throw error;
    process.stderr.write(`signals eval: ${(error as Error).message}\n`);
    return 2;
  }
}
