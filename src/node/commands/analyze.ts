import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isatty } from 'node:tty';
import { inlineRunner, poolRunner } from '../batch-runner.js';
import { expandGlobs } from '../input/expand-globs.js';
import { inputSize } from '../input/open-input.js';
import { escapeControls } from '../escape-controls.js';
import { prepareOutputPath } from '../output-path.js';
import { openOutput } from '../output-sink.js';
import { silentProgress, streamProgress } from '../progress.js';
import type { ReportConsumer } from '../report-consumer.js';
import { runAnalysis } from '../run-analysis.js';
import { newTotals } from '../run-totals.js';
import { formatSummary, summarize, type RunSummary } from '../summary.js';
import { UsageError } from '../usage-error.js';
import { ANALYZE_HELP } from './analyze-help.js';
import { parseAnalyzeArgs, type AnalyzeArgs } from './analyze-args.js';

/** Batches in flight per worker: enough to keep workers busy while the oldest result is written. */
const BATCHES_PER_THREAD = 4;

async function totalSize(inputs: string[]): Promise<number | undefined> {
  const sizes = await Promise.all(inputs.map((input) => (input === '-' ? undefined : inputSize(input))));
  return sizes.some((size) => size === undefined) ? undefined : sizes.reduce((sum: number, size) => sum + (size ?? 0), 0);
}

async function writeSummaryJson(path: string, summary: RunSummary): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(summary, null, 2)}\n`);
  } catch (error) {
    throw new UsageError(`${path}: cannot write (${(error as Error).message})`);
  }
}

/** Where a newcomer looks next, once the reports are in a file. */
function nextSteps(output: string): string {
  return [
    'next:',
    `  each line of ${output} is {"id","report"}: signals with message_index and snippet (docs/builtin-signals.md)`,
    `  npx signals triage ${output} --budget 5   the conversations most worth reading, with why`,
  ].join('\n');
}

/** Consumers fed every analyzed conversation besides the JSONL output. */
async function reportConsumers(args: AnalyzeArgs): Promise<ReportConsumer[]> {
  if (args.otlpOut === undefined) return [];
  // Loaded only when asked for, so plain runs don't pay for the OpenTelemetry SDK at start-up.
  const { createOtlpFileWriter } = await import('../../otel/otlp-out.js');
  try {
    return [createOtlpFileWriter(args.otlpOut)];
  } catch (error) {
    throw new UsageError(`${args.otlpOut}: cannot write (${(error as Error).message})`);
  }
}

async function analyzeFiles(args: AnalyzeArgs): Promise<number> {
  const inputs = expandGlobs(args.inputs);
  const totals = newTotals(inputs.length, await totalSize(inputs), args.threads);
  // Every output is checked (parents created, file opened) before any input is read: an unwritable
  // --summary-json is found now, not after the whole run.
  if (args.summaryJson !== undefined) prepareOutputPath(args.summaryJson);
  if (args.otlpOut !== undefined) prepareOutputPath(args.otlpOut, false);
  if (args.output !== undefined) prepareOutputPath(args.output);
  // Before the output is opened, so a bad --otlp-out path leaves nothing half-written.
  const consumers = await reportConsumers(args);
  const output = await openOutput(args.output);
  const runner = args.threads === 1 ? inlineRunner() : poolRunner(args.threads);
  const progress = args.quiet ? silentProgress(process.stderr) : streamProgress(process.stderr);
  let outcome;
  try {
    outcome = await runAnalysis({
      inputs,
      settings: { format: args.format, group: args.group, agent: args.agent, analyzeOptions: args.maxMessages === undefined ? {} : { maxMessages: args.maxMessages }, withScore: args.withScore },
      maxLineBytes: args.maxLineBytes,
      runner,
      maxInFlight: args.threads * BATCHES_PER_THREAD,
      strict: args.strict,
      output,
      consumers,
      progress,
      totals,
    });
  } finally {
    progress.finish();
    await runner.close();
    await output.close();
    await Promise.all(consumers.map((consumer) => consumer.close()));
  }
  const usage = process.resourceUsage();
  const summary = summarize(totals, { elapsedMs: performance.now() - totals.startedAt, cpuMicros: usage.userCPUTime + usage.systemCPUTime, maxRssKb: usage.maxRSS });
  if (!args.quiet) {
    const written = [args.output && `reports written to ${args.output}`, args.otlpOut && `OTLP/JSON spans written to ${args.otlpOut}`, args.output && nextSteps(args.output)];
    process.stderr.write(`${[formatSummary(summary), ...written.filter(Boolean)].join('\n')}\n`);
  }
  if (args.summaryJson !== undefined) await writeSummaryJson(args.summaryJson, summary);
  if (outcome.strictStop) process.stderr.write('signals: stopped at the first rejected record (--strict)\n');
  return outcome.strictStop ? 1 : 0;
}

/** `signals analyze`: returns the exit code (0 ok, 1 rejected input under --strict, 2 usage or I/O error). */
export async function runAnalyze(argv: string[]): Promise<number> {
  try {
    const args = parseAnalyzeArgs(argv, { availableParallelism: availableParallelism(), stdinIsTerminal: isatty(0) });
    if (args.help) {
      process.stdout.write(ANALYZE_HELP);
      return 0;
    }
    return await analyzeFiles(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`signals: ${escapeControls(error.message)}\n`);
    return 2;
  }
}
