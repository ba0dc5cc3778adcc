import { LIST_INDEX } from './phrase-index.js';
import { phraseSignal } from './phrase-signal.js';
import { startsWithPositivePrefix } from './stagnation.js';
import { firstCodePoints } from './text.js';
import type { TextEntry } from './conversation.js';
import type { Settings } from './options.js';
import type { Signal } from './types.js';

const ESCALATION = [['escalation', 'interaction.disengagement.escalation']] as const;
const QUIT = [['quit', 'interaction.disengagement.quit']] as const;
const ALPHABETIC = /\p{Alphabetic}/u;
const UPPERCASE = /\p{Uppercase}/u;

/** Alphabetic code points and how many of them are upper case. */
export function countLetters(text: string): { letters: number; upper: number } {
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x61 && c <= 0x7a) letters++;
      else if (c >= 0x41 && c <= 0x5a) {
        letters++;
        upper++;
      }
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i) as number);
    if (ch.length === 2) i++;
    if (ALPHABETIC.test(ch)) {
      letters++;
      if (UPPERCASE.test(ch)) upper++;
    }
  }
  return { letters, upper };
}

/** Counts of runs `??+`, `!!+` and `[?!]{3,}` (each computed on its own, non-overlapping). */
export function countPunctuationRuns(text: string): { questions: number; exclamations: number; mixed: number } {
  let questions = 0;
  let exclamations = 0;
  let mixed = 0;
  let q = 0;
  let e = 0;
  let m = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (c === 0x3f) q++;
    else {
      if (q >= 2) questions++;
      q = 0;
    }
    if (c === 0x21) e++;
    else {
      if (e >= 2) exclamations++;
      e = 0;
    }
    if (c === 0x3f || c === 0x21) m++;
    else {
      if (m >= 3) mixed++;
      m = 0;
    }
  }
  return { questions, exclamations, mixed };
}

function stance(index: number, snippet: string, metadata: Signal['metadata']): Signal {
  return { signal_type: 'interaction.disengagement.negative_stance', message_index: index, snippet, confidence: 1, metadata };
}

/** Shouting, punctuation bursts, requests for a human, quitting, profanity and complaints in a user message (spec §6). */
export function disengagementOf(entry: TextEntry, settings: Settings): Signal[] {
  const signals: Signal[] = [];
  if (entry.human && entry.hits) {
    const text = entry.message.raw;
    const index = entry.index;
    const { letters, upper } = countLetters(text);
    if (letters >= settings.capsMinLetters && letters > 0) {
      const ratio = Math.fround(upper / letters);
      if (ratio >= settings.capsRatioThreshold) {
        signals.push(stance(index, firstCodePoints(text, 50), { indicator_type: 'all_caps', upper_ratio: ratio }));
      }
    }
    const runs = countPunctuationRuns(text);
    if ((runs.questions || runs.exclamations || runs.mixed) && !startsWithPositivePrefix(text)) {
      signals.push(
        stance(index, firstCodePoints(text, 50), {
          indicator_type: 'excessive_punctuation',
          consecutive_questions: runs.questions,
          consecutive_exclamations: runs.exclamations,
          mixed_punctuation: runs.mixed,
        }),
      );
    }
    const escalation = phraseSignal(entry, ESCALATION);
    if (escalation) signals.push(escalation);
    const quit = phraseSignal(entry, QUIT);
    if (quit) signals.push(quit);
    const profanity = entry.hits[LIST_INDEX.profanity];
    if (profanity !== undefined) {
      signals.push(stance(index, profanity, { indicator_type: 'profanity', pattern: profanity }));
    }
    const complaint = entry.hits[LIST_INDEX.complaint];
    if (complaint !== undefined && !escalation && profanity === undefined) {
      signals.push(stance(index, complaint, { indicator_type: 'complaint', pattern: complaint }));
    }
  }
  return signals;
}
