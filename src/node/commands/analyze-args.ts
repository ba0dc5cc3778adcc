import { parseArgs } from 'node:util';
import { FORMAT_NAMES, GROUP_NAMES, isFormatName, isGroupBy, type FormatName, type GroupBy } from '../../formats/index.js';
import { UsageError } from '../usage-error.js';

/** The options of `signals analyze`, validated. */
export interface AnalyzeArgs {
  help: boolean;
  /** Paths, globs or `-`; never empty. */
  inputs: string[];
  /** Output file; undefined for stdout (also given as `-o -`). */
  output?: string;
  format?: FormatName;
  threads: number;
  maxMessages?: number;
  strict: boolean;
  quiet: boolean;
  summaryJson?: string;
  /** Also write the reports as OTLP/JSON spans to this file. */
  otlpOut?: string;
  /** The unit of a conversation read from traces: span, trace or session (default: session, else trace). */
  group?: GroupBy;
  /** Agent name given to conversations read from traces. */
  agent?: string;
  /** Longest input line accepted, in bytes; a longer one is rejected as an error line. */
  maxLineBytes: number;
  /** Add `quality_score` to each report line (off by default: the lines stay byte-identical to the reference). */
  withScore: boolean;
}

/** Default `--max-line-bytes`: far above any real conversation, far below what a line buffer can hold. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Options that take a value: a value that looks like an option (`--max-messages -5`) is still theirs. */
const VALUE_OPTIONS = new Set(['-o', '--output', '-f', '--format', '-t', '--threads', '--max-messages', '--summary-json', '--otlp-out', '--max-line-bytes']);

/** Joins `--option -5` into `--option=-5`, so parseArgs hands the value on instead of calling it ambiguous. */
function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (VALUE_OPTIONS.has(argv[i]) && argv[i].startsWith('--') && /^-[0-9.]/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else if (VALUE_OPTIONS.has(argv[i]) && /^-[0-9.]/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/** What the defaults depend on, passed in so parsing stays pure. */
export interface ArgsEnvironment {
  availableParallelism: number;
  stdinIsTerminal: boolean;
}

function positiveInteger(value: string, option: string, or = ''): number {
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`${option} must be a positive integer${or}, got "${value}"`);
  return Number(value);
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: joinDashValues(argv),
      allowPositionals: true,
      strict: true,
      options: {
        output: { type: 'string', short: 'o' },
        format: { type: 'string', short: 'f' },
        threads: { type: 'string', short: 't' },
        'max-messages': { type: 'string' },
        strict: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        'summary-json': { type: 'string' },
        'otlp-out': { type: 'string' },
        group: { type: 'string' },
        agent: { type: 'string' },
        'max-line-bytes': { type: 'string' },
        'with-score': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split(/\.\s/)[0]} (see signals analyze --help)`);
  }
}

function groupOf(value: string | undefined): GroupBy | undefined {
  if (value === undefined || isGroupBy(value)) return value;
  throw new UsageError(`unknown group "${value}" (expected one of: ${GROUP_NAMES.join(', ')})`);
}

/** Parses and validates `signals analyze` arguments; every problem is a UsageError with a one-line message. */
export function parseAnalyzeArgs(argv: string[], environment: ArgsEnvironment): AnalyzeArgs {
  const { values, positionals } = parse(argv);
  const { format, threads, output } = values;
  const maxMessages = values['max-messages'];
  if (format !== undefined && !isFormatName(format)) throw new UsageError(`unknown format "${format}" (expected one of: ${FORMAT_NAMES.join(', ')})`);
  if (positionals.length === 0 && environment.stdinIsTerminal && !values.help) {
    throw new UsageError('no input: give files, or - to read stdin (see signals analyze --help)');
  }
  return {
    help: values.help,
    inputs: positionals.length > 0 ? positionals : ['-'],
    output: output === '-' ? undefined : output,
    format,
    threads: threads === undefined ? environment.availableParallelism : positiveInteger(threads, '--threads'),
    maxMessages: maxMessages === undefined ? undefined : maxMessages === 'all' ? Number.POSITIVE_INFINITY : positiveInteger(maxMessages, '--max-messages', ' or "all"'),
    strict: values.strict,
    quiet: values.quiet,
    summaryJson: values['summary-json'],
    otlpOut: values['otlp-out'],
    group: groupOf(values.group),
    agent: values.agent,
    maxLineBytes: values['max-line-bytes'] === undefined ? DEFAULT_MAX_LINE_BYTES : positiveInteger(values['max-line-bytes'], '--max-line-bytes'),
    withScore: values['with-score'],
  };
}
