import { LIST_INDEX, type PhraseListName } from './phrase-index.js';
import type { TextEntry } from './conversation.js';
import type { Signal, SignalType } from './types.js';

/**
 * The signal for the first of `kinds` whose phrase list matched the user message, or undefined: snippet = the
 * phrase as listed, confidence 1.0, metadata `{"pattern_type": <list>}` (spec §4.4, §6.1, §7).
 */
export function phraseSignal(entry: TextEntry, kinds: readonly (readonly [PhraseListName, SignalType])[]): Signal | undefined {
  const hits = entry.hits;
  if (!hits) return undefined;
  for (const [list, signalType] of kinds) {
    const phrase = hits[LIST_INDEX[list]];
    if (phrase !== undefined) return { signal_type: signalType, message_index: entry.index, snippet: phrase, confidence: 1, metadata: { pattern_type: list } };
  }
  return undefined;
}
