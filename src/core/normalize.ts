import { firstCodePoints, lastCodePoints, codePointLength, isAsciiPunctuationCode, isWhitespaceCode } from './text.js';
import { trigramSet, type TrigramSet } from './trigrams.js';

/** A human or assistant message prepared for the interaction detectors (spec §3.1). */
export interface NormalizedMessage {
  /** The (possibly head/tail truncated) original text. */
  raw: string;
  /** Lowercased, quote-folded, whitespace-split tokens with ASCII punctuation trimmed at both ends. */
  tokens: string[];
  /** Token → count; filled for user messages only, which are the ones the phrase matcher sees. */
  tokenFrequency: Map<string, number>;
  /** Σ count², the squared norm used by the cosine matcher. */
  normSquared: number;
  /** Character trigrams of `tokens.join(" ")`, built on first use. */
  trigrams: TrigramSet | undefined;
  /** Distinct tokens that are not stop words, built on first use by the semantic-rephrase check. */
  meaningful: Set<string> | undefined;
}

const FOLDABLE = /[\u2018\u2019\u201C\u201D\u2013\u2014]/;
const FOLDABLE_ALL = /[\u2018\u2019\u201C\u201D\u2013\u2014]/g;
const FOLDED: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u2013': '-',
  '\u2014': '-',
};

/** Folds curly quotes and en/em dashes to ASCII; nothing else (spec §3.1 step 2). */
export function foldPunctuation(text: string): string {
  return FOLDABLE.test(text) ? text.replace(FOLDABLE_ALL, (ch) => FOLDED[ch]) : text;
}

/**
 * Keeps the first fifth and the last part of a long message with one space between, so that the
 * result has exactly `maxLength` code points (spec §2.4).
 */
export function truncateMessage(value: string, maxLength: number): string {
  if (value.length <= maxLength || codePointLength(value) <= maxLength) return value;
  const head = Math.floor(maxLength / 5);
  const tail = maxLength - (head + 1);
  return `${firstCodePoints(value, head)} ${lastCodePoints(value, tail)}`;
}

/** Tokens of already lowercased and folded text: whitespace-separated pieces, ASCII punctuation trimmed at both ends, empty ones dropped. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isWhitespaceCode(text.charCodeAt(i))) i++;
    let start = i;
    while (i < n && !isWhitespaceCode(text.charCodeAt(i))) i++;
    let end = i;
    while (start < end && isAsciiPunctuationCode(text.charCodeAt(start))) start++;
    while (end > start && isAsciiPunctuationCode(text.charCodeAt(end - 1))) end--;
    if (end > start) tokens.push(text.slice(start, end));
  }
  return tokens;
}

/** Builds the normalized form of one message value; token counts only when `countTokens` (the phrase matcher needs them). */
export function normalizeMessage(value: string, maxLength: number, countTokens: boolean): NormalizedMessage {
  const raw = truncateMessage(value, maxLength);
  const tokens = tokenize(foldPunctuation(raw).toLowerCase());
  const tokenFrequency = new Map<string, number>();
  let normSquared = 0;
  if (countTokens) {
    for (const t of tokens) tokenFrequency.set(t, (tokenFrequency.get(t) ?? 0) + 1);
    for (const c of tokenFrequency.values()) normSquared += c * c;
  }
  return { raw, tokens, tokenFrequency, normSquared, trigrams: undefined, meaningful: undefined };
}

/** The message's trigram set, built once. */
export function messageTrigrams(message: NormalizedMessage): TrigramSet {
  message.trigrams ??= trigramSet(message.tokens.join(' '));
  return message.trigrams;
}
