import { phraseSignal } from './phrase-signal.js';
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
    const signal = entry.human ? phraseSignal(entry, KINDS) : undefined;
    if (signal) signals.push(signal);
  }
  return signals;
}
