/**
 * Renders a target's core rows as the transcript the model classifies: a JSON array with one object per message,
 * `{"n": 3, "role": "user", "content": "..."}`, one per line. JSON string escaping means no content can close its
 * string or open another turn, whatever it contains (`[5] Assistant:`, quotes, newlines). Cut to a token budget
 * when long: the first and last messages are kept (where the task is set and where it ends), messages are shortened
 * inside their content, and a `{"n": null, "role": "note", ...}` entry says how much was cut from the middle.
 */
import type { Message } from '../../core/types.js';

const ROLE: Record<string, string> = {
  human: 'user',
  gpt: 'assistant',
  function_call: 'tool_call',
  observation: 'tool_result',
  system: 'system',
};

/** Rough token count: ~4 characters per token (no tokenizer shipped, it must run everywhere). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

interface Entry {
  n: number | null;
  role: string;
  content: string;
}

const line = (e: Entry): string => JSON.stringify(e);
const wrap = (lines: string[]): string => `[\n${lines.join(',\n')}\n]`;
const entries = (messages: Message[]): Entry[] => messages.map((m, i) => ({ n: i + 1, role: ROLE[m.from] ?? 'other', content: m.value }));

/** The messages as a JSON array, one `{n, role, content}` object per line. */
export function renderTranscript(messages: Message[]): string {
  return wrap(entries(messages).map(line));
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

/** `content` cut to `chars` characters from its start (`fromEnd` false) or its end, never inside a surrogate pair. */
function clipContent(content: string, chars: number, fromEnd: boolean): string {
  if (fromEnd) {
    let start = content.length - chars;
    if (isLow(content.charCodeAt(start))) start++;
    return content.slice(start);
  }
  let end = chars;
  if (isLow(content.charCodeAt(end))) end--;
  return content.slice(0, end);
}

/**
 * Cuts a transcript made by `renderTranscript` to about `maxTokens` tokens: the first half of the budget goes to the
 * first messages, the second half to the last ones (a message at the boundary keeps only its start, or its end), and
 * a note entry replaces what was cut. The result is still a JSON array of the same entries.
 */
export function fitTranscript(text: string, maxTokens: number): FittedTranscript {
  const totalTokens = estimateTokens(text);
  if (totalTokens <= maxTokens) return { text, cutTokens: 0, totalTokens };
  const all = JSON.parse(text) as Entry[];
  const half = Math.floor((maxTokens * 4) / 2);
  const head: string[] = [];
  const tail: string[] = [];
  let used = 0;
  let i = 0;
  for (; i < all.length; i++) {
    const full = line(all[i]);
    if (used + full.length <= half) {
      head.push(full);
      used += full.length;
      continue;
    }
    const room = half - used - line({ ...all[i], content: '' }).length;
    if (room > 0) head.push(line({ ...all[i], content: clipContent(all[i].content, room, false) }));
    break;
  }
  const headCutAt = i;
  used = 0;
  let j = all.length - 1;
  // Down to the message the head cut (its end may be kept here, as its start was there), never into the head.
  for (; j >= headCutAt && j >= 0 && headCutAt < all.length; j--) {
    const full = line(all[j]);
    if (j > headCutAt && used + full.length <= half) {
      tail.unshift(full);
      used += full.length;
      continue;
    }
    const room = half - used - line({ ...all[j], content: '' }).length;
    if (room > 0) tail.unshift(line({ ...all[j], content: clipContent(all[j].content, room, true) }));
    break;
  }
  const kept = [...head, ...tail].join('').length;
  const cutChars = Math.max(0, all.reduce((sum, e) => sum + line(e).length, 0) - kept);
  const cutTokens = Math.ceil(cutChars / 4);
  const note = line({ n: null, role: 'note', content: `[… ${cutChars} characters (~${cutTokens} tokens) cut from the middle of the conversation …]` });
  return { text: wrap([...head, note, ...tail]), cutTokens, totalTokens };
}
