import { phraseSignal } from './phrase-signal.js';
import type { TextEntry } from './conversation.js';
import type { Signal } from './types.js';

const KINDS = [
  ['gratitude', 'interaction.satisfaction.gratitude'],
  ['confirmation', 'interaction.satisfaction.confirmation'],
  ['success', 'interaction.satisfaction.success'],
] as const;

/** Gratitude, confirmation or success in a user message: at most one per message (spec §7). */
export function satisfactionOf(entry: TextEntry): Signal | undefined {
  return entry.human ? phraseSignal(entry, KINDS) : undefined;
}
