import type { Category, Layer, SignalType } from './types.js';

/** One entry of the signal catalogue. */
export interface SignalTypeInfo {
  type: SignalType;
  layer: Layer;
  category: Category;
  description: string;
}

const entry = (type: SignalType, description: string): SignalTypeInfo => {
  const [layer, category] = type.split('.') as [Layer, Category];
  return { type, layer, category, description };
};

/** Every signal type the analyzer reports, in report order, with one line each. */
export const SIGNAL_TYPES: readonly SignalTypeInfo[] = [
  entry('interaction.misalignment.correction', 'The user corrects the agent ("no, I meant …", "that\'s not what I asked").'),
  entry('interaction.misalignment.rephrase', 'The user rephrases ("let me rephrase", or restates the previous message with the same key words).'),
  entry('interaction.misalignment.clarification', 'The user does not understand the agent ("what do you mean", "I\'m confused").'),
  entry('interaction.stagnation.dragging', 'The conversation runs to 10 or more user turns (efficiency below 0.5).'),
  entry('interaction.stagnation.repetition', 'A message nearly repeats one of the previous two of the same role (trigram Jaccard ≥ 0.85).'),
  entry('interaction.disengagement.escalation', 'The user asks for a human, a manager or support ("speak to a human").'),
  entry('interaction.disengagement.quit', 'The user gives up ("forget it", "I give up", "why bother").'),
  entry('interaction.disengagement.negative_stance', 'Shouting in capitals, bursts of ?/!, complaints ("this is useless") or profanity at the agent.'),
  entry('interaction.satisfaction.gratitude', 'The user thanks the agent for real help ("that helps", "you\'re the best").'),
  entry('interaction.satisfaction.confirmation', 'The user confirms the result ("that works", "love it").'),
  entry('interaction.satisfaction.success', 'The user reports success ("it worked", "this is working").'),
  entry('execution.failure.invalid_args', 'A tool result reports invalid or missing arguments or a validation error.'),
  entry('execution.failure.bad_query', 'A tool result reports an invalid query, field, filter or id.'),
  entry('execution.failure.tool_not_found', 'A tool result reports an unknown or missing tool or function.'),
  entry('execution.failure.auth_misuse', 'A tool result reports 401/403, denied permission or a bad token.'),
  entry('execution.failure.state_error', 'A tool result reports an invalid state, a precondition or a 409 conflict.'),
  entry('execution.loops.retry', 'The same tool is called 3+ times in a row with identical arguments.'),
  entry('execution.loops.parameter_drift', 'The same tool is called 3+ times in a row with varying arguments.'),
  entry('execution.loops.oscillation', 'A cycle of 2–5 tools repeats 3+ times (A → B → A → B …).'),
  entry('environment.exhaustion.api_error', 'A tool result shows a server error (5xx, unavailable, maintenance).'),
  entry('environment.exhaustion.timeout', 'A tool result shows a timeout.'),
  entry('environment.exhaustion.rate_limit', 'A tool result shows a rate limit, quota or 429.'),
  entry('environment.exhaustion.network', 'A tool result shows a network, DNS, connection or TLS failure.'),
  entry('environment.exhaustion.malformed_response', 'A tool result shows a parse error or malformed response.'),
  entry('environment.exhaustion.context_overflow', 'A tool result shows a context-length or token limit.'),
];
