import { RegexFamily } from './regex-family.js';
import { matchFirstFamily } from './observation-match.js';
import * as patterns from './patterns.js';
import type { Observation } from './conversation.js';
import type { Settings } from './options.js';
import type { Signal, SignalType } from './types.js';

interface ExhaustionKind {
  exhaustionType: string;
  signalType: SignalType;
  family: RegexFamily;
  confidence: number;
}

/** Families in priority order (spec §10): rate limits first, context overflow last. */
const KINDS: ExhaustionKind[] = [
  { exhaustionType: 'rate_limit', signalType: 'environment.exhaustion.rate_limit', family: new RegexFamily(patterns.RATE_LIMIT_PATTERNS), confidence: Math.fround(0.95) },
  { exhaustionType: 'api_error', signalType: 'environment.exhaustion.api_error', family: new RegexFamily(patterns.API_ERROR_PATTERNS), confidence: Math.fround(0.9) },
  { exhaustionType: 'timeout', signalType: 'environment.exhaustion.timeout', family: new RegexFamily(patterns.TIMEOUT_PATTERNS), confidence: Math.fround(0.9) },
  { exhaustionType: 'network', signalType: 'environment.exhaustion.network', family: new RegexFamily(patterns.NETWORK_PATTERNS), confidence: Math.fround(0.9) },
  { exhaustionType: 'malformed_response', signalType: 'environment.exhaustion.malformed_response', family: new RegexFamily(patterns.MALFORMED_PATTERNS), confidence: Math.fround(0.85) },
  { exhaustionType: 'context_overflow', signalType: 'environment.exhaustion.context_overflow', family: new RegexFamily(patterns.CONTEXT_OVERFLOW_PATTERNS), confidence: Math.fround(0.9) },
];

/**
 * The signal of a tool result that shows the environment giving out: rate limits, server errors, timeouts,
 * network, bad responses, context overflow (spec §10). Its `message_index` is filled in when it is reported.
 */
export function exhaustionOf(observation: Observation, settings: Settings): Signal | undefined {
  const found = matchFirstFamily(observation, KINDS, settings.snippetContextBytes);
  if (!found) return undefined;
  return {
    signal_type: found.kind.signalType,
    message_index: -1,
    snippet: found.snippet,
    confidence: found.kind.confidence,
    metadata: { exhaustion_type: found.kind.exhaustionType, matched: found.matched },
  };
}
