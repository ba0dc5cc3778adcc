import { phraseSignal } from './phrase-signal.js';
import { STOP_WORDS, CONFIRMATION_PREFIXES } from './phrases.js';
import { lowerStart } from './stagnation.js';
import type { TextEntry } from './conversation.js';
import type { NormalizedMessage } from './normalize.js';
import type { Settings } from './options.js';
import type { Signal } from './types.js';

const PHRASE_KINDS = [
  ['correction', 'interaction.misalignment.correction'],
  ['rephrase', 'interaction.misalignment.rephrase'],
  ['clarification', 'interaction.misalignment.clarification'],
] as const;

/** Plain prefix test on the trimmed, lowercased raw text: "yesterday" counts as "yes" (spec §4.3). */
export function isConfirmation(raw: string): boolean {
  // Trimming the end as well, as the reference does, cannot change a prefix test: no prefix ends in whitespace.
  const text = lowerStart(raw);
  return CONFIRMATION_PREFIXES.some((prefix) => text.startsWith(prefix));
}

/** Distinct non-stop-word tokens, computed once per message (each is compared as current and as previous). */
function meaningfulTokens(message: NormalizedMessage): Set<string> {
  if (message.meaningful === undefined) {
    message.meaningful = new Set();
    for (const t of message.tokens) if (!STOP_WORDS.has(t)) message.meaningful.add(t);
  }
  return message.meaningful;
}

/** Whether `current` restates `previous` with mostly the same meaningful words (spec §4.3). */
export function isSimilarRephrase(current: NormalizedMessage, previous: NormalizedMessage, settings: Settings): boolean {
  if (current.tokens.length < 3 || previous.tokens.length < 3) return false;
  if (isConfirmation(current.raw)) return false;
  const t1 = meaningfulTokens(current);
  const t2 = meaningfulTokens(previous);
  const min = settings.rephraseMinMeaningfulTokens;
  if (t1.size < min || t2.size < min) return false;
  let shared = 0;
  for (const t of t1) if (t2.has(t)) shared++;
  if (Math.fround((t1.size - shared) / t1.size) > settings.rephraseMaxNewContentRatio) return false;
  return Math.fround(shared / Math.min(t1.size, t2.size)) >= settings.rephraseOverlapThreshold;
}

/** A user message's misalignment signal, if any; a semantic rephrase also names the message it restates. */
export interface MisalignmentFinding {
  signal: Signal;
  /** Absolute index of the restated message: the signal holds only while that message is in the window. */
  comparedTo: number | undefined;
}

/**
 * Correction, rephrase or clarification request by the user: at most one per user message (spec §4).
 * `previous` is the user message before `entry`; the phrase lists win over a semantic rephrase.
 */
export function misalignmentOf(entry: TextEntry, previous: TextEntry | undefined, settings: Settings): MisalignmentFinding | undefined {
  const phrase = phraseSignal(entry, PHRASE_KINDS);
  if (phrase) return { signal: phrase, comparedTo: undefined };
  if (!previous || entry.index - previous.index > settings.rephraseMaxDistance) return undefined;
  if (!isSimilarRephrase(entry.message, previous.message, settings)) return undefined;
  return {
    signal: {
      signal_type: 'interaction.misalignment.rephrase',
      message_index: entry.index,
      snippet: '[similar rephrase detected]',
      confidence: Math.fround(0.8),
      metadata: { pattern_type: 'semantic_rephrase', compared_to: previous.index },
    },
    comparedTo: previous.index,
  };
}
