import type { RunTotals } from './run-totals.js';

const BUCKETS = ['excellent', 'good', 'neutral', 'poor', 'severe'] as const;
const TOP_SIGNAL_TYPES = 10;

/** The machine-readable summary written by `--summary-json`. */
export interface RunSummary {
  files: number;
  conversations: { read: number; scored: number; rejected: number };
  quality: Record<(typeof BUCKETS)[number], number>;
  /** Signals per type, most frequent first. */
  signal_types: Record<string, number>;
  /** GenAI spans of trace inputs whose messages could not be read (content capture off, unknown convention). */
  genai_spans_without_messages: { count: number; examples: string[] };
  threads: number;
  elapsed_s: number;
  input_bytes: number;
  conversations_per_s: number;
  mb_per_s: number;
  /** CPU time (user + system) of the whole process, worker threads included. */
  cpu_s: number;
  /** Peak resident set of the whole process, worker threads included (they share it). */
  peak_rss_mb: number;
}

/** What the process used, measured by the caller (`process.resourceUsage()`), so summaries are reproducible in tests. */
export interface ResourceUse {
  elapsedMs: number;
  cpuMicros: number;
  maxRssKb: number;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Summary of a finished run. */
export function summarize(totals: RunTotals, { elapsedMs, cpuMicros, maxRssKb }: ResourceUse): RunSummary {
  const seconds = Math.max(elapsedMs / 1000, 1e-9);
  const read = totals.scored + totals.rejected;
  const signalTypes = Object.entries(totals.signalTypes).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  return {
    files: totals.files,
    conversations: { read, scored: totals.scored, rejected: totals.rejected },
    quality: Object.fromEntries(BUCKETS.map((bucket) => [bucket, totals.quality[bucket] ?? 0])) as RunSummary['quality'],
    signal_types: Object.fromEntries(signalTypes),
    genai_spans_without_messages: { count: totals.unreadableSpans, examples: [...totals.unreadableSpanNames] },
    threads: totals.threads,
    elapsed_s: round(elapsedMs / 1000, 3),
    input_bytes: totals.inputBytes,
    conversations_per_s: round(read / seconds, 1),
    mb_per_s: round(totals.inputBytes / 1e6 / seconds, 2),
    cpu_s: round(cpuMicros / 1e6, 3),
    peak_rss_mb: round(maxRssKb / 1024, 1),
  };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The human summary table printed on stderr at the end of a run. */
export function formatSummary(summary: RunSummary): string {
  const { read, scored, rejected } = summary.conversations;
  const rows: Array<[string, string]> = [
    ['conversations read', count(read)],
    ['  scored', count(scored)],
    ['  rejected', count(rejected)],
    ...BUCKETS.map((bucket): [string, string] => [`quality ${bucket}`, count(summary.quality[bucket])]),
    ...Object.entries(summary.signal_types)
      .slice(0, TOP_SIGNAL_TYPES)
      .map(([type, n]): [string, string] => [`  ${type}`, count(n)]),
    ['elapsed', `${summary.elapsed_s.toFixed(2)} s (${summary.threads} thread${summary.threads === 1 ? '' : 's'})`],
    ['throughput', `${count(Math.round(summary.conversations_per_s))} conv/s, ${summary.mb_per_s.toFixed(2)} MB/s`],
    ['peak RSS', `${summary.peak_rss_mb.toFixed(1)} MB`],
  ];
  const signalHeader = rows.findIndex(([label]) => label.startsWith('  ') && label.includes('.'));
  if (signalHeader !== -1) rows.splice(signalHeader, 0, ['top signal types', '']);
  const unreadable = summary.genai_spans_without_messages;
  // Said only when it happens: these spans gave no report, and nothing else would tell.
  if (unreadable.count > 0) rows.splice(3, 0, ['GenAI spans without readable messages', `${count(unreadable.count)} (${unreadable.examples.join(', ')}${unreadable.count > unreadable.examples.length ? ', …' : ''})`]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`.trimEnd()).join('\n');
}
