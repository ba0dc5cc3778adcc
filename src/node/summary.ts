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
  /** The lowest-scored conversations, worst first, with their most frequent signal types. */
  worst_conversations: Array<{ id: unknown; quality: string; quality_score: number; signals: Record<string, number> }>;
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
    worst_conversations: totals.worst.map(({ id, quality, score, signals }) => ({ id, quality, quality_score: score, signals: Object.fromEntries(signals) })),
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

/** Bar width of the largest quality bucket. */
const BAR_WIDTH = 30;
/** Below this, a run's time is mostly start-up and a throughput figure would mislead. */
const MIN_MEASURED = { conversations: 1000, seconds: 5 };
/** Longest id shown in the worst-conversations rows. */
const ID_WIDTH = 40;

function bar(n: number, max: number): string {
  return n === 0 ? '' : '█'.repeat(Math.max(1, Math.round((n / max) * BAR_WIDTH)));
}

function idText(id: unknown): string {
  const text = typeof id === 'string' ? id : JSON.stringify(id) ?? 'null';
  return text.length > ID_WIDTH ? `${text.slice(0, ID_WIDTH - 1)}…` : text;
}

function signalList(signals: Record<string, number>): string {
  const parts = Object.entries(signals).map(([type, n]) => (n > 1 ? `${type} ×${n}` : type));
  return parts.length === 0 ? 'no signal' : parts.join(', ');
}

/**
 * The human summary printed on stderr at the end of a run: conversations per quality bucket with a bar (the
 * `excellent` bucket only when reached: the reference rules cap the score at 69), the most frequent signal
 * types (counted as signals, not conversations), the worst conversations and what was in them, time, and a
 * throughput figure only when the run is long enough for it to mean something.
 */
export function formatSummary(summary: RunSummary): string {
  const { read, scored, rejected } = summary.conversations;
  const buckets = BUCKETS.filter((bucket) => bucket !== 'excellent' || summary.quality[bucket] > 0);
  const most = Math.max(1, ...buckets.map((bucket) => summary.quality[bucket]));
  const signalRows = Object.entries(summary.signal_types).slice(0, TOP_SIGNAL_TYPES);
  const measured = read >= MIN_MEASURED.conversations || summary.elapsed_s >= MIN_MEASURED.seconds;
  const numbers = [read, ...buckets.map((bucket) => summary.quality[bucket]), ...signalRows.map(([, n]) => n)];
  const digits = Math.max(...numbers.map((n) => count(n).length));
  const num = (n: number): string => count(n).padStart(digits);
  const rows: Array<[string, string]> = [
    ['conversations read', num(read)],
    ['  scored', num(scored)],
    ['  rejected', num(rejected)],
    ['conversations per quality bucket', ''],
    ...buckets.map((bucket): [string, string] => [`  ${bucket}`, `${num(summary.quality[bucket])}  ${bar(summary.quality[bucket], most)}`]),
    ...(signalRows.length === 0
      ? []
      : [
          ['most frequent signals (signals, not conversations: one conversation can have several)', ''] as [string, string],
          ...signalRows.map(([type, n]): [string, string] => [`  ${type}`, num(n)]),
        ]),
    ...(summary.worst_conversations.length === 0
      ? []
      : [
          ['worst conversations (lowest quality score)', ''] as [string, string],
          ...summary.worst_conversations.map((w): [string, string] => [`  ${idText(w.id)}`, `${w.quality}, score ${w.quality_score}: ${signalList(w.signals)}`]),
        ]),
    ['elapsed', `${summary.elapsed_s.toFixed(2)} s (${summary.threads} thread${summary.threads === 1 ? '' : 's'})`],
    measured
      ? ['throughput', `${count(Math.round(summary.conversations_per_s))} conv/s, ${summary.mb_per_s.toFixed(2)} MB/s`]
      : ['throughput', `not measured: ${count(read)} conversations in ${summary.elapsed_s.toFixed(2)} s is mostly start-up`],
    ['peak RSS', `${summary.peak_rss_mb.toFixed(1)} MB`],
  ];
  const unreadable = summary.genai_spans_without_messages;
  // Said only when it happens: these spans gave no report, and nothing else would tell.
  if (unreadable.count > 0) rows.splice(3, 0, ['GenAI spans without readable messages', `${count(unreadable.count)} (${unreadable.examples.join(', ')}${unreadable.count > unreadable.examples.length ? ', …' : ''})`]);
  // Headings (value '') do not set the column: the long signal heading would push every value far right.
  const width = Math.max(...rows.filter(([, value]) => value !== '').map(([label]) => label.length));
  return rows.map(([label, value]) => (value === '' ? label : `${label.padEnd(width)}  ${value}`.trimEnd())).join('\n');
}
