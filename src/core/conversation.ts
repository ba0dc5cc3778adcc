import { normalizeMessage, type NormalizedMessage } from './normalize.js';
import { matchPhrases, type PhraseHits } from './phrase-index.js';
import type { Settings } from './options.js';
import { findLiterals, foldCase } from './regex-family.js';
import type { Message } from './types.js';

/** An `observation` row with its lowercased forms (spec §8.2, §10). */
export interface Observation {
  value: string;
  /** `value.toLowerCase()`: where `matched` texts and snippet offsets come from. */
  lower: string;
  /** `lower` with case folding applied: what the regex families run on. */
  folded: string;
  /** `findLiterals(folded)`: which families can match at all. */
  literals: Uint8Array;
}

/** A non-empty human or gpt row, normalized (spec §2.3). */
export interface TextEntry {
  /** Absolute index in the input. */
  index: number;
  human: boolean;
  message: NormalizedMessage;
  /** First matching phrase per list; computed for human rows only. */
  hits: PhraseHits | undefined;
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Coerces one input row: a non-object row or a non-string field reads as `""`, as in the reference. */
export function coerceRow(row: unknown): Message {
  if (typeof row !== 'object' || row === null) return { from: '', value: '' };
  const r = row as Partial<Message>;
  return { from: asString(r.from), value: asString(r.value) };
}

/** Reads an `observation` row value. */
export function readObservation(value: string): Observation {
  const lower = value.toLowerCase();
  const folded = foldCase(lower);
  return { value, lower, folded, literals: findLiterals(folded) };
}

/** Normalizes a non-empty human or gpt row at absolute `index`; phrase lists are matched for human rows only. */
export function readTextEntry(row: Message, index: number, settings: Settings): TextEntry {
  const human = row.from === 'human';
  const message = normalizeMessage(row.value, settings.maxMessageLength, human);
  const thresholds = { jaccard: settings.charNgramThreshold, cosine: settings.tokenCosineThreshold };
  return { index, human, message, hits: human ? matchPhrases(message, thresholds) : undefined };
}
