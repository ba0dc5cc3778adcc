import { messageTrigrams, type NormalizedMessage } from './normalize.js';
import { jaccard } from './trigrams.js';
import { POSITIVE_PREFIXES } from './phrases.js';
import { trimStartWhitespace } from './text.js';
import { formatDecimal } from './format.js';
import type { Conversation } from './conversation.js';
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
export function computeTurnMetrics(conversation: Conversation, settings: Settings): TurnMetrics {
  let user = 0;
  let assistant = 0;
  for (const row of conversation.rows) {
    if (row.from === 'human') user++;
    else if (row.from === 'gpt') assistant++;
  }
  const efficiency = user <= settings.baselineTurns ? 1 : Math.fround(1 / (1 + (user - settings.baselineTurns) * 0.25));
  return { total_turns: user, user_turns: user, assistant_turns: assistant, is_dragging: efficiency < 0.5, efficiency_score: efficiency };
}

function detectRepetition(conversation: Conversation, settings: Settings): Signal[] {
  const signals: Signal[] = [];
  const previous: Record<'human' | 'gpt', { index: number; message: NormalizedMessage }[]> = { human: [], gpt: [] };
  const lowestThreshold = Math.min(settings.exactRepetitionThreshold, settings.nearDuplicateThreshold);
  for (const entry of conversation.entries) {
    const role = entry.human ? 'human' : 'gpt';
    const list = previous[role];
    const message = entry.message;
    const checked = !(entry.human && startsWithPositivePrefix(message.raw)) && message.tokens.length >= 5;
    if (checked) {
      for (const candidate of list) {
        if (candidate.message.tokens.length < 5) continue;
        const a = messageTrigrams(message);
        const b = messageTrigrams(candidate.message);
        // Jaccard <= smaller size / larger size; the margin keeps the skip exact under f32 rounding.
        if (Math.min(a.size, b.size) < Math.max(a.size, b.size) * lowestThreshold * (1 - 1e-6)) continue;
        const similarity = jaccard(a, b);
        const exact = similarity >= settings.exactRepetitionThreshold;
        if (!exact && similarity < settings.nearDuplicateThreshold) continue;
        signals.push({
          signal_type: 'interaction.stagnation.repetition',
          message_index: entry.index,
          snippet: exact ? `Exact repetition with message ${candidate.index}` : `Near-duplicate with message ${candidate.index}`,
          confidence: similarity,
          metadata: { repetition_type: exact ? 'exact' : 'near_duplicate', compared_to: candidate.index, similarity, role },
        });
        break;
      }
    }
    list.push({ index: entry.index, message });
    // Only the last `lookback` messages of a role are compared again: drop the rest and their trigram sets,
    // which keeps memory flat on long conversations.
    if (list.length > settings.repetitionLookback) {
      const dropped = list.shift();
      if (dropped) dropped.message.trigrams = undefined;
    }
  }
  return signals;
}

/**
 * A conversation that drags on (too many user turns) and messages that repeat an earlier one of the
 * same role (spec §5). Indices get the reference's fix-up, which double-counts the offset of long
 * conversations (§2.2).
 */
export function detectStagnation(conversation: Conversation, metrics: TurnMetrics, settings: Settings): Signal[] {
  const signals: Signal[] = [];
  const last = conversation.rows.length - 1;
  if (metrics.is_dragging) {
    signals.push({
      signal_type: 'interaction.stagnation.dragging',
      message_index: last,
      snippet: `Conversation dragging: ${metrics.total_turns} turns (efficiency: ${formatDecimal(metrics.efficiency_score, 2)})`,
      confidence: Math.fround(1 - metrics.efficiency_score),
      metadata: { total_turns: metrics.total_turns, efficiency_score: metrics.efficiency_score, baseline_turns: settings.baselineTurns },
    });
  }
  signals.push(...detectRepetition(conversation, settings));
  for (const s of signals) s.message_index = conversation.offset + Math.min(s.message_index, last);
  return signals;
}
