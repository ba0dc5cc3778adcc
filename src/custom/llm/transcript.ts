/**
 * Renders a target's core rows as a readable transcript for the model, cut to a token budget when long:
 * the start and the end are kept (where the task is set and where it ends), the middle is replaced by a marker.
 */
import type { Message } from '../../core/types.js';

const ROLE: Record<string, string> = {
  human: 'User',
  gpt: 'Assistant',
  function_call: 'Tool call',
  observation: 'Tool result',
  system: 'System',
};

/** Rough token count: ~4 characters per token (no tokenizer shipped, it must run everywhere). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** One block per message: `[3] User:` then its text. */
export function renderTranscript(messages: Message[]): string {
  return messages.map((m, i) => `[${i + 1}] ${ROLE[m.from] ?? m.from}:\n${m.value}`).join('\n\n');
}

/** A transcript, possibly cut. */
export interface FittedTranscript {
  text: string;
  /** Estimated tokens removed from the middle (0 when it fit). */
  cutTokens: number;
  /** Estimated tokens of the whole transcript before cutting. */
  totalTokens: number;
}

// A cut must not split a UTF-16 surrogate pair.
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Cuts `text` to about `maxTokens` tokens, keeping the first and last halves of the budget. */
export function fitTranscript(text: string, maxTokens: number): FittedTranscript {
  const totalTokens = estimateTokens(text);
  if (totalTokens <= maxTokens) return { text, cutTokens: 0, totalTokens };
  const keepChars = maxTokens * 4;
  let head = Math.floor(keepChars / 2);
  let tail = text.length - (keepChars - head);
  if (isLow(text.charCodeAt(head))) head--;
  if (isLow(text.charCodeAt(tail))) tail--;
  const cutTokens = estimateTokens(text.slice(head, tail));
  const marker = `\n\n[… ${tail - head} characters (~${cutTokens} tokens) cut from the middle of the conversation …]\n\n`;
  return { text: text.slice(0, head) + marker + text.slice(tail), cutTokens, totalTokens };
}
