import { RegexFamily } from './regex-family.js';
import { matchFirstFamily } from './observation-match.js';
import * as patterns from './patterns.js';
import type { Conversation } from './conversation.js';
import type { Settings } from './options.js';
import type { Signal, SignalType } from './types.js';

interface FailureKind {
  errorType: string;
  signalType: SignalType;
  family: RegexFamily;
  /** f32 confidence; bad_query's depends on the text. */
  confidence: (lower: string) => number;
}

const fixed = (c: number) => () => Math.fround(c);

/** Families in priority order (spec §8.2), which differs from their listing order. */
const KINDS: FailureKind[] = [
  { errorType: 'invalid_args', signalType: 'execution.failure.invalid_args', family: new RegexFamily(patterns.INVALID_ARGS_PATTERNS), confidence: fixed(0.9) },
  { errorType: 'tool_not_found', signalType: 'execution.failure.tool_not_found', family: new RegexFamily(patterns.TOOL_NOT_FOUND_PATTERNS), confidence: fixed(0.95) },
  { errorType: 'auth_misuse', signalType: 'execution.failure.auth_misuse', family: new RegexFamily(patterns.AUTH_MISUSE_PATTERNS), confidence: fixed(0.8) },
  { errorType: 'state_error', signalType: 'execution.failure.state_error', family: new RegexFamily(patterns.STATE_ERROR_PATTERNS), confidence: fixed(0.85) },
  {
    errorType: 'bad_query',
    signalType: 'execution.failure.bad_query',
    family: new RegexFamily(patterns.BAD_QUERY_PATTERNS),
    confidence: (lower) => Math.fround(lower.includes('error') || lower.includes('invalid') || lower.includes('failed') ? 0.8 : 0.6),
  },
];

/** Tool results that report a failed call: bad arguments, unknown tool, auth, state, bad query (spec §8). */
export function detectFailure(conversation: Conversation, settings: Settings): Signal[] {
  const signals: Signal[] = [];
  let call = -1;
  for (const observation of conversation.observations) {
    while (call + 1 < conversation.calls.length && conversation.calls[call + 1].index < observation.index) call++;
    const last = call >= 0 ? conversation.calls[call] : undefined;
    const found = matchFirstFamily(observation, KINDS, settings.snippetContextBytes);
    if (!found) continue;
    signals.push({
      signal_type: found.kind.signalType,
      message_index: observation.index,
      snippet: found.snippet,
      confidence: found.kind.confidence(observation.lower),
      metadata: {
        tool_name: last ? last.jsonName : 'unknown',
        call_index: last ? last.index : Math.max(observation.index - 1, 0),
        error_type: found.kind.errorType,
        matched: found.matched,
      },
    });
  }
  return signals;
}
