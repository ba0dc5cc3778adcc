import { parseArgs } from 'node:util';
import type { FormatName } from '../../formats/index.js';
import { isFormatName } from '../../formats/index.js';
import {
  BudgetSampler,
  parseRate,
  PROFILES,
  presentCategories,
  rateDecision,
  scoreFeatures,
  TRIAGE_CATEGORIES,
  triageInputs,
  withWeights,
  type TriageCategory,
  type TriageInput,
  type TriageProfile,
} from '../../triage/index.js';
import { expandGlobs } from '../input/expand-globs.js';
import { readSource } from '../input/read-source.js';
import { escapeControls } from '../escape-controls.js';
import { openOutput } from '../output-sink.js';
import { UsageError } from '../usage-error.js';

const USAGE = `Usage: signals triage [FILES|-] (--budget N | --rate R) [options]

Picks the conversations most worth a human (or LLM judge) review and writes one line per pick:
  {"id": <id>, "score": <triage score>, "reasons": ["score" | "quota:<category>" | "random" |
   "rate" | "high_score", "<feature>=<value>", ...]}
Input: raw conversations in any format signals analyze reads (they are analyzed), or the
{"id","report"} lines signals analyze writes (report signals only: a weaker score).

Selection
  --budget N            keep the N best: quotas first, then the top scores, then a random share
  --rate R              keep each conversation with probability R (10%, 25%, 50%, 100%, or a
                        fraction), decided by a hash of its id: for unbounded streams
  --seed S              seed of the random share and of the rate hash (default 0)
  --quota CATEGORY=N    with --budget: at least N conversations showing CATEGORY (repeatable):
                        tool_errors, pushback, unfinished, escalation, stagnation, loops,
                        failure, exhaustion, misalignment, disengagement
  --random-share F      with --budget: share of the budget drawn at random (default 0.1)
  --keep-above SCORE    with --rate: also keep every conversation scoring above SCORE

Scoring
  --profile NAME        review (default) or reference (the reference quality bucket)
  --weight CATEGORY=W   change one weight of the profile (repeatable)
  -f, --format NAME     read every record as NAME instead of detecting it
  -o, --output FILE     write the picks to FILE (default: stdout)
  -h, --help            show this help

The selection is deterministic: the same input and seed give the same picks whatever the
input order. Exit codes: 0 ok, 2 usage or I/O error.`;

/** One input record and where it was. */
export interface InputRecord {
  source: string;
  number: number;
  record: unknown;
}

const BATCH_BYTES = 1 << 20;

/**
 * Streams the JSON records of the given files (`-` = stdin; globs expanded) with the CLI's reader:
 * JSONL line by line, JSON arrays item by item. Unparseable records are reported on stderr and skipped.
 */
export async function* readRecords(files: readonly string[], command: string): AsyncGenerator<InputRecord> {
  for (const source of expandGlobs(files.length > 0 ? files : ['-'])) {
    for await (const piece of readSource(source, BATCH_BYTES, () => {})) {
      if (piece.kind === 'unreadable') {
        process.stderr.write(`signals ${command}: ${escapeControls(`${source}: ${piece.unit} ${piece.number}: ${piece.message}`)}\n`);
        continue;
      }
      const text = piece.bytes.toString('utf8');
      const texts = piece.unit === 'document' ? [text] : text.split('\n');
      for (let i = 0; i < texts.length; i++) {
        const line = texts[i].trim();
        if (line === '') continue;
        try {
          yield { source, number: piece.first + i, record: JSON.parse(line) };
        } catch (error) {
          process.stderr.write(`signals ${command}: ${escapeControls(`${source}:${piece.first + i}: invalid JSON (${(error as Error).message})`)}\n`);
        }
      }
    }
  }
}

/** The triage inputs of a record, or an empty list after reporting why the record was skipped. */
export function inputsOrWarn(item: InputRecord, format: FormatName | undefined, command: string): TriageInput[] {
  try {
    return triageInputs(item.record, format);
  } catch (error) {
    process.stderr.write(`signals ${command}: ${escapeControls(`${item.source}:${item.number}: ${(error as Error).message}`)}\n`);
    return [];
  }
}

function parseNumber(name: string, text: string, min = -Infinity): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min) throw new UsageError(`--${name}: not a number ≥ ${min}: "${text}"`);
  return value;
}

function parsePairs(name: string, specs: readonly string[], categories: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const spec of specs) {
    const m = /^([a-z_]+)=(.+)$/.exec(spec);
    if (!m) throw new UsageError(`--${name} expects category=value, got "${spec}"`);
    if (!categories.includes(m[1])) throw new UsageError(`--${name}: unknown category "${m[1]}" (one of ${categories.join(', ')})`);
    out[m[1]] = parseNumber(name, m[2], 0);
  }
  return out;
}

/** Resolves `--profile NAME` and `--weight category=W` into a profile. */
export function profileFromArgs(name: string | undefined, weights: readonly string[]): TriageProfile {
  const base = PROFILES[name ?? 'review'];
  if (base === undefined) throw new UsageError(`--profile: unknown profile "${name}" (one of ${Object.keys(PROFILES).join(', ')})`);
  return withWeights(base, parsePairs('weight', weights, TRIAGE_CATEGORIES) as Partial<Record<TriageCategory, number>>);
}

/** Resolves `--format NAME`. */
export function formatFromArgs(name: string | undefined): FormatName | undefined {
  if (name === undefined) return undefined;
  if (!isFormatName(name)) throw new UsageError(`--format: unknown format "${name}"`);
  return name;
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      budget: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      quota: { type: 'string', multiple: true, default: [] },
      weight: { type: 'string', multiple: true, default: [] },
      'random-share': { type: 'string' },
      'keep-above': { type: 'string' },
      profile: { type: 'string' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true as const };
  if ((values.budget === undefined) === (values.rate === undefined)) throw new UsageError('give exactly one of --budget N or --rate R');
  if (values.rate !== undefined && (values.quota.length > 0 || values['random-share'] !== undefined)) {
    throw new UsageError('--quota and --random-share apply to --budget; a --rate sample keeps each conversation on its own');
  }
  if (values.budget !== undefined && values['keep-above'] !== undefined) throw new UsageError('--keep-above applies to --rate');
  const quotaNames = TRIAGE_CATEGORIES.filter((c) => c !== 'verbosity' && c !== 'quality' && c !== 'signals');
  const randomShare = values['random-share'] === undefined ? 0.1 : parseNumber('random-share', values['random-share'], 0);
  if (randomShare > 1) throw new UsageError('--random-share must be in [0, 1]');
  return {
    help: false as const,
    files: positionals,
    budget: values.budget === undefined ? undefined : budgetOrUsage(values.budget),
    rate: values.rate === undefined ? undefined : rateOrUsage(values.rate),
    seed: values.seed === undefined ? 0 : Math.floor(parseNumber('seed', values.seed)),
    quotas: parsePairs('quota', values.quota, quotaNames),
    randomShare,
    keepAbove: values['keep-above'] === undefined ? undefined : parseNumber('keep-above', values['keep-above']),
    profile: profileFromArgs(values.profile, values.weight),
    format: formatFromArgs(values.format),
    output: values.output,
  };
}

/** `--budget`: a positive whole number (0 would select nothing and print nothing). */
function budgetOrUsage(text: string): number {
  if (!/^[1-9][0-9]*$/.test(text.trim())) throw new UsageError(`--budget must be a positive integer (conversations to keep), got "${text}"`);
  return Number(text);
}

function rateOrUsage(text: string): number {
  try {
    return parseRate(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const selectionLine = (id: unknown, score: number, reasons: readonly string[]): string =>
  `${JSON.stringify({ id, score, reasons })}\n`;

/**
 * `signals triage`: scores conversations (raw input is analyzed; `{"id","report"}` lines are used as is)
 * and writes the chosen `{"id","score","reasons"}` lines — the top `--budget` with quotas and a random
 * share, or a hash-keyed `--rate` sample of an unbounded stream. Returns the exit code.
 */
export async function runTriage(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(argv);
  } catch (error) {
    process.stderr.write(`signals triage: ${(error as Error).message.split(/\.\s/)[0]} (see signals triage --help)\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const sampler =
    options.budget === undefined
      ? undefined
      : new BudgetSampler({ budget: options.budget, seed: options.seed, randomShare: options.randomShare, quotas: options.quotas });
  try {
    // Opened (and checked) before reading anything; `| head` ends the process quietly, a full disk is one line.
    const out = await openOutput(options.output);
    for await (const item of readRecords(options.files, 'triage')) {
      for (const input of inputsOrWarn(item, options.format, 'triage')) {
        const { score, reasons } = scoreFeatures(input.features, options.profile);
        if (sampler) {
          sampler.offer({ id: input.id, score, reasons, categories: presentCategories(input.features) });
          continue;
        }
        const why = rateDecision(input.id, score, { rate: options.rate!, seed: options.seed, keepAbove: options.keepAbove });
        if (why !== null) await out.write(Buffer.from(selectionLine(input.id, score, [why, ...reasons])));
      }
    }
    if (sampler) for (const s of sampler.select()) await out.write(Buffer.from(selectionLine(s.id, s.score, s.reasons)));
    await out.close();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`signals triage: ${escapeControls(error.message)}\n`);
    return 2;
  }
  return 0;
}
