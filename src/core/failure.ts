import { RegexFamily } from './regex-family.js';
import { matchFirstFamily } from './observation-match.js';
import * as patterns from './patterns.js';
import type { Observation } from './conversation.js';
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

/** What a failed tool result says, before it is placed in the window. */
export interface FailureFinding {
  signalType: SignalType;
  errorType: string;
  snippet: string;
  matched: string;
  confidence: number;
}

/** The tool call a failure is blamed on: the last `function_call` row before the result. */
export interface BlamedCall {
  /** Slice-relative row index. */
  index: number;
  jsonName: string;
}

/** Whether a tool result reports a failed call: bad arguments, unknown tool, auth, state, bad query (spec §8). */
export function failureOf(observation: Observation, settings: Settings): FailureFinding | undefined {
  const found = matchFirstFamily(observation, KINDS, settings.snippetContextBytes);
  if (!found) return undefined;
  const { kind, snippet, matched } = found;
  return { signalType: kind.signalType, errorType: kind.errorType, snippet, matched, confidence: kind.confidence(observation.lower) };
}

/** The failure signal of the tool result at slice-relative `index`, blamed on `call` (or on `unknown`). */
export function failureSignal(finding: FailureFinding, index: number, call: BlamedCall | undefined): Signal {
  return {
    signal_type: finding.signalType,
    message_index: index,
    snippet: finding.snippet,
    confidence: finding.confidence,
    metadata: {
      tool_name: call ? call.jsonName : 'unknown',
      call_index: call ? call.index : Math.max(index - 1, 0),
      error_type: finding.errorType,
      matched: finding.matched,
    },
  };
}
