import { messageTrigrams } from './normalize.js';
import { jaccard } from './trigrams.js';
import { POSITIVE_PREFIXES } from './phrases.js';
import { trimStartWhitespace } from './text.js';
import { formatDecimal } from './format.js';
import type { TextEntry } from './conversation.js';
import type { Settings } from './options.js';
import type { Signal, TurnMetrics } from './types.js';

/** Plain prefix test on the left-trimmed, lowercased text: "okay", "pleased", "thanksgiving" all count (spec §5.3). */
export function startsWithPositivePrefix(text: string): boolean {
  const lower = lowerStart(text);
  return POSITIVE_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/**
 * The start of `text` lowercased, with leading whitespace removed: enough for the ASCII prefix tests, without
 * lowercasing a 2,000-char message. Lowercasing is per char (each char gives at least one), except the final-sigma
 * rule, which never yields an ASCII letter, so the first 32 chars decide every prefix of up to 32 chars.
 */
export function lowerStart(text: string): string {
  return trimStartWhitespace(text).slice(0, 32).toLowerCase();
}

/** Turn counts over every row of the window, empty ones included (spec §5.1). */
export function turnMetrics(user: number, assistant: number, settings: Settings): TurnMetrics {
  const efficiency = user <= settings.baselineTurns ? 1 : Math.fround(1 / (1 + (user - settings.baselineTurns) * 0.25));
  return { total_turns: user, user_turns: user, assistant_turns: assistant, is_dragging: efficiency < 0.5, efficiency_score: efficiency };
}

/** The dragging signal of a conversation with too many user turns, at row `index` (spec §5.2). */
export function draggingSignal(metrics: TurnMetrics, index: number, settings: Settings): Signal | undefined {
  if (!metrics.is_dragging) return undefined;
  return {
    signal_type: 'interaction.stagnation.dragging',
    message_index: index,
    snippet: `Conversation dragging: ${metrics.total_turns} turns (efficiency: ${formatDecimal(metrics.efficiency_score, 2)})`,
    confidence: Math.fround(1 - metrics.efficiency_score),
    metadata: { total_turns: metrics.total_turns, efficiency_score: metrics.efficiency_score, baseline_turns: settings.baselineTurns },
  };
}

/** An earlier message of the same role that a message repeats. */
export interface RepetitionMatch {
  /** Absolute index of the earlier message. */
  comparedTo: number;
  similarity: number;
  exact: boolean;
}

/**
 * Every one of `earlier` (the last `repetitionLookback` messages of the entry's role, oldest first) that the
 * entry repeats (spec §5.3). The report keeps the first one still inside the window; unless `firstOnly`, they
 * are all listed, because the oldest may leave a sliding window before the entry does.
 */
export function repetitionsOf(entry: TextEntry, earlier: readonly TextEntry[], settings: Settings, firstOnly: boolean): RepetitionMatch[] {
  const matches: RepetitionMatch[] = [];
  const message = entry.message;
  if ((entry.human && startsWithPositivePrefix(message.raw)) || message.tokens.length < 5) return matches;
  const lowestThreshold = Math.min(settings.exactRepetitionThreshold, settings.nearDuplicateThreshold);
  for (const candidate of earlier) {
    if (candidate.message.tokens.length < 5) continue;
    const a = messageTrigrams(message);
    const b = messageTrigrams(candidate.message);
    // Jaccard <= smaller size / larger size; the margin keeps the skip exact under f32 rounding.
    if (Math.min(a.size, b.size) < Math.max(a.size, b.size) * lowestThreshold * (1 - 1e-6)) continue;
    const similarity = jaccard(a, b);
    const exact = similarity >= settings.exactRepetitionThreshold;
    if (!exact && similarity < settings.nearDuplicateThreshold) continue;
    matches.push({ comparedTo: candidate.index, similarity, exact });
    if (firstOnly) break;
  }
  return matches;
}

/**
 * The repetition signal of the entry at absolute `index` against `match`. Its index gets the reference's fix-up,
 * which double-counts the offset of long conversations (§2.2): `offset + min(index, last)`.
 */
export function repetitionSignal(index: number, human: boolean, match: RepetitionMatch, offset: number, last: number): Signal {
  const { comparedTo, similarity, exact } = match;
  return {
    signal_type: 'interaction.stagnation.repetition',
    message_index: offset + Math.min(index, last),
    snippet: exact ? `Exact repetition with message ${comparedTo}` : `Near-duplicate with message ${comparedTo}`,
    confidence: similarity,
    metadata: { repetition_type: exact ? 'exact' : 'near_duplicate', compared_to: comparedTo, similarity, role: human ? 'human' : 'gpt' },
  };
}
