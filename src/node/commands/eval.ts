import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  evaluate,
  formatEvalTable,
  precisionChartSvg,
  presentCategories,
  REFERENCE_PROFILE,
  ROW_CATEGORIES,
  scoreFeatures,
  signalTypesOf,
  type EvalRow,
} from '../../triage/index.js';
import { escapeControls } from '../escape-controls.js';
import { prepareOutputPath } from '../output-path.js';
import { UsageError } from '../usage-error.js';
import { formatFromArgs, inputsOrWarn, profileFromArgs, readRecords } from './triage.js';

const USAGE = `Usage: signals eval [FILES|-] --label FIELD [options]

Measures how well the triage score finds failed conversations in a labelled corpus: the label is
meta.FIELD of each record (true/1 success, false/0 failure; null or absent: skipped). A numeric
label such as tau-bench's reward needs --threshold: --label reward --threshold 1 counts reward >= 1
as success, anything below as failure.
Prints AUROC, precision of the 10% the triage picks first against random sampling (bootstrap 95%
intervals), lift, and how often each signal type came with a failure, together and per meta.source,
with the reference quality bucket as a baseline.

Options
  --label FIELD         the meta field holding success (required), e.g. success
  --threshold T         the label is a number: success when meta.FIELD >= T (e.g. --label reward
                        --threshold 1 for tau results, whose lines carry meta.reward)
  --json FILE           write the figures as JSON (n, failures, auroc, precision_at_10, base_rate,
                        lift, by_source, ...)
  --chart FILE.svg      draw precision against review budget for triage and random
  --profile NAME        review (default) or reference
  --weight CATEGORY=W   change one weight of the profile (repeatable)
  -f, --format NAME     read every record as NAME instead of detecting it
  -h, --help            show this help

Exit codes: 0 ok, 1 no conversation carries a usable label, 2 usage or I/O error.`;

/**
 * `meta.FIELD` as an outcome: true/1 success, false/0 failure, anything else (null, absent) unlabelled; with a
 * `threshold`, a number (or numeric string) is success at or above it and failure below.
 */
export function outcomeOf(value: unknown, threshold?: number): 'success' | 'failure' | undefined {
  if (threshold !== undefined) {
    const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    if (Number.isFinite(number)) return number >= threshold ? 'success' : 'failure';
    if (typeof value !== 'boolean') return undefined;
  }
  if (value === true || value === 1 || value === 'true') return 'success';
  if (value === false || value === 0 || value === 'false') return 'failure';
  return undefined;
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      label: { type: 'string' },
      threshold: { type: 'string' },
      json: { type: 'string' },
      chart: { type: 'string' },
      profile: { type: 'string' },
      weight: { type: 'string', multiple: true, default: [] },
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true as const };
  if (values.label === undefined || values.label === '') throw new UsageError('--label FIELD is required (the meta field holding success)');
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && (values.threshold!.trim() === '' || !Number.isFinite(threshold))) {
    throw new UsageError(`--threshold must be a number, got "${values.threshold}"`);
  }
  return {
    help: false as const,
    files: positionals,
    label: values.label,
    threshold,
    json: values.json,
    chart: values.chart,
    profile: profileFromArgs(values.profile, values.weight),
    format: formatFromArgs(values.format),
  };
}

/**
 * `signals eval`: on a labelled corpus (`meta.FIELD` per record), how well the triage score finds the
 * failures — AUROC, precision at a 10% review budget vs random (bootstrap intervals), lift, a per-signal
 * table, all together and per `meta.source`, with the reference quality bucket as a baseline.
 * Prints Markdown tables; `--json` and `--chart` write the figures and an SVG. Returns the exit code.
 */
export async function runEval(argv: string[]): Promise<number> {
  // `--signal NAME` measures a custom signal instead of the triage score (src/node/commands/signal-eval.ts).
  if (argv.some((a) => a === '--signal' || a.startsWith('--signal='))) return (await import('./signal-eval.js')).runSignalEval(argv);
  let options: ReturnType<typeof parse>;
  try {
    options = parse(argv);
  } catch (error) {
    process.stderr.write(`signals eval: ${(error as Error).message.split(/\.\s/)[0]} (see signals eval --help)\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const rows: EvalRow[] = [];
  let unlabelled = 0;
  /** Labels that were numbers other than 0/1: the hint that --threshold is missing. */
  let numeric = 0;
  try {
    for (const path of [options.json, options.chart]) if (path !== undefined) prepareOutputPath(path);
    for await (const item of readRecords(options.files, 'eval')) {
      for (const input of inputsOrWarn(item, options.format, 'eval')) {
        const value = input.meta?.[options.label];
        const outcome = outcomeOf(value, options.threshold);
        if (outcome === undefined) {
          unlabelled++;
          if (typeof value === 'number') numeric++;
          continue;
        }
        const source = input.meta?.source;
        rows.push({
          id: input.id,
          source: typeof source === 'string' && source !== '' ? source : 'unknown',
          failed: outcome === 'failure',
          score: scoreFeatures(input.features, options.profile).score,
          referenceScore: scoreFeatures(input.features, REFERENCE_PROFILE).score,
          // Reference leaf types plus the row features triage adds (its other categories repeat reference groups).
          signalTypes: [
            ...signalTypesOf(input.report),
            ...presentCategories(input.features)
              .filter((c) => ROW_CATEGORIES.includes(c))
              .map((c) => `triage.${c}`),
          ],
        });
      }
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`signals eval: ${escapeControls(error.message)}\n`);
    return 2;
  }
  if (numeric > 0) {
    // Skipping them would measure a silently different set: a numeric label needs its threshold.
    process.stderr.write(`signals eval: ${numeric} conversation(s) have a numeric meta.${options.label} other than 0/1: add --threshold T (success when meta.${options.label} >= T)\n`);
    return 2;
  }
  if (rows.length === 0) {
    process.stderr.write(`signals eval: no conversation has meta.${options.label} = true/false (${unlabelled} unlabelled)\n`);
    return 1;
  }
  const report = evaluate(rows);
  process.stdout.write(formatEvalTable(report, options.profile.name, options.label));
  if (unlabelled > 0) process.stdout.write(`\nSkipped ${unlabelled} conversation(s) without a true/false meta.${options.label}.\n`);
  const figures = { profile: options.profile.name, label: options.label, ...report };
  if (options.json !== undefined) await writeFile(options.json, `${JSON.stringify(figures, null, 2)}\n`);
  if (options.chart !== undefined) await writeFile(options.chart, precisionChartSvg(report));
  return 0;
}
