import { normalizeMessage, type NormalizedMessage } from './normalize.js';
import { matchPhrases, type PhraseHits } from './phrase-index.js';
import type { Settings } from './options.js';
import { parseToolCall, type ToolCall } from './tool-call.js';
import { findLiterals, foldCase } from './regex-family.js';
import type { Message } from './types.js';

/** An `observation` row with its lowercased forms (spec §8.2, §10). */
export interface Observation {
  /** Slice-relative row index. */
  index: number;
  value: string;
  /** `value.toLowerCase()`: where `matched` texts and snippet offsets come from. */
  lower: string;
  /** `lower` with case folding applied: what the regex families run on. */
  folded: string;
  /** `findLiterals(folded)`: which families can match at all. */
  literals: Uint8Array;
}

/** A non-empty human or gpt row of the window, normalized (spec §2.3). */
export interface TextEntry {
  /** Absolute index in the input. */
  index: number;
  human: boolean;
  message: NormalizedMessage;
  /** First matching phrase per list; computed for human rows only. */
  hits: PhraseHits | undefined;
}

/** The analyzed window of a conversation and what every detector shares. */
export interface Conversation {
  /** The last `maxMessages` rows, with `from`/`value` coerced to strings. */
  rows: Message[];
  /** Number of input rows before the window. */
  offset: number;
  /** Number of rows in the input. */
  total: number;
  entries: TextEntry[];
  /** Every `function_call` row of the window, in order. */
  calls: ToolCall[];
  /** Every `observation` row of the window, in order. */
  observations: Observation[];
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Cuts the window, coerces malformed rows (a non-object row or non-string field reads as `""`), normalizes text rows. */
export function prepareConversation(messages: readonly unknown[], settings: Settings): Conversation {
  const total = messages.length;
  const offset = total > settings.maxMessages ? total - settings.maxMessages : 0;
  const rows: Message[] = [];
  for (let i = offset; i < total; i++) {
    const row = messages[i] as Partial<Message> | null | undefined;
    rows.push(typeof row === 'object' && row !== null ? { from: asString(row.from), value: asString(row.value) } : { from: '', value: '' });
  }
  const thresholds = { jaccard: settings.charNgramThreshold, cosine: settings.tokenCosineThreshold };
  const entries: TextEntry[] = [];
  const calls: ToolCall[] = [];
  const observations: Observation[] = [];
  rows.forEach((row, i) => {
    if (row.from === 'function_call') {
      calls.push(parseToolCall(row.value, i));
    } else if (row.from === 'observation') {
      const lower = row.value.toLowerCase();
      const folded = foldCase(lower);
      observations.push({ index: i, value: row.value, lower, folded, literals: findLiterals(folded) });
    } else if ((row.from === 'human' || row.from === 'gpt') && row.value !== '') {
      const human = row.from === 'human';
      const message = normalizeMessage(row.value, settings.maxMessageLength, human);
      entries.push({ index: offset + i, human, message, hits: human ? matchPhrases(message, thresholds) : undefined });
    }
  });
  return { rows, offset, total, entries, calls, observations };
}
