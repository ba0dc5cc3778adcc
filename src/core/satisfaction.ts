import { LIST_INDEX } from './phrase-index.js';
import type { Conversation } from './conversation.js';
import type { Signal } from './types.js';

const KINDS = [
  ['gratitude', 'interaction.satisfaction.gratitude'],
  ['confirmation', 'interaction.satisfaction.confirmation'],
  ['success', 'interaction.satisfaction.success'],
] as const;

/** Gratitude, confirmation or success in a user message: at most one per message (spec §7). */
export function detectSatisfaction(conversation: Conversation): Signal[] {
  const signals: Signal[] = [];
  for (const entry of conversation.entries) {
    const hits = entry.hits;
    if (!entry.human || !hits) continue;
    const kind = KINDS.find(([list]) => hits[LIST_INDEX[list]] !== undefined);
    if (!kind) continue;
    signals.push({
      signal_type: kind[1],
      message_index: entry.index,
      snippet: hits[LIST_INDEX[kind[0]]] as string,
      confidence: 1,
      metadata: { pattern_type: kind[0] },
    });
  }
  return signals;
}
