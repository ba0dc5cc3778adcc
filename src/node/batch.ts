import type { CapturedSpan } from '../formats/captured-span.js';
import type { AnalyzedConversation, RecordSettings } from './analyze-record.js';

/** How records are cut out of a batch: one per line (JSONL), one per line holding an array item, or the whole text. */
export type RecordUnit = 'line' | 'item' | 'document';

/** Raw input bytes of tens of records, sent to a worker (or processed inline) as one task. */
export interface Batch {
  /** File name as given on the command line (`-` for stdin). */
  source: string;
  unit: RecordUnit;
  /** Line or item number of the first record. */
  first: number;
  bytes: Uint8Array;
  settings: RecordSettings;
  /** `--strict`: nothing after the first rejected record is analyzed. */
  stopAtRejection: boolean;
}

/** A rejected record: where it was and why. */
export interface Rejection {
  source: string;
  unit: RecordUnit;
  number: number;
  id: unknown;
  message: string;
}

/** What a batch produced: its output lines (UTF-8, newline-terminated, in input order) and its tallies. */
export interface BatchResult {
  output: Uint8Array;
  scored: number;
  rejected: number;
  rejections: Rejection[];
  /** Conversations per quality bucket. */
  quality: Record<string, number>;
  /** Signals per signal type. */
  signalTypes: Record<string, number>;
  /** Filled only when the settings ask to keep reports. */
  conversations: AnalyzedConversation[];
  /** GenAI spans of trace records whose messages could not be read, and the first few of their names. */
  unreadableSpans: number;
  unreadableSpanNames: string[];
  /** The lowest-scored conversations of the batch, worst first (at most {@link WORST_KEPT}). */
  worst: WorstConversation[];
  /** Spans of the batch's trace records, assembled with those of every other batch at the end of the input. */
  spans: CapturedSpan[];
}

/** A conversation the summary points at: its id, bucket, score and most frequent signal types. */
export interface WorstConversation {
  id: unknown;
  quality: string;
  score: number;
  /** Signal types with their counts, most frequent first (at most three). */
  signals: Array<[type: string, count: number]>;
}

/** How many worst conversations a batch and a run keep. */
export const WORST_KEPT = 3;

/** Worse first: lower score, then more signals; the earlier one stays ahead on a tie (input order). */
function worse(a: WorstConversation, b: WorstConversation): boolean {
  const total = (w: WorstConversation) => w.signals.reduce((sum, [, n]) => sum + n, 0);
  return a.score < b.score || (a.score === b.score && total(a) > total(b));
}

/** Merges `candidates` (in input order) into `into`, keeping the {@link WORST_KEPT} worst, worst first. */
export function keepWorst(into: WorstConversation[], candidates: readonly WorstConversation[]): void {
  for (const candidate of candidates) {
    let at = into.length;
    while (at > 0 && worse(candidate, into[at - 1])) at--;
    if (at < WORST_KEPT) into.splice(at, 0, candidate);
    if (into.length > WORST_KEPT) into.length = WORST_KEPT;
  }
}

/** How many unreadable span names a batch and a run keep for the summary. */
export const UNREADABLE_NAMES_KEPT = 5;

/** Adds unreadable span names to `into`, each once, up to {@link UNREADABLE_NAMES_KEPT}. */
export function keepSpanNames(into: string[], names: readonly string[]): void {
  for (const name of names) {
    if (into.length >= UNREADABLE_NAMES_KEPT) return;
    if (!into.includes(name)) into.push(name);
  }
}

/** `line 12`, `item 3` or `document`: the place of a record as written in error lines. */
export function recordLocation(unit: RecordUnit, number: number): string {
  return unit === 'document' ? 'document' : `${unit} ${number}`;
}

/** The stderr line of a rejection: `file:12: message` for JSONL, `file: item 3: message` otherwise. */
export function describeRejection(rejection: Rejection): string {
  const { source, unit, number, message } = rejection;
  return unit === 'line' ? `${source}:${number}: ${message}` : `${source}: ${recordLocation(unit, number)}: ${message}`;
}
