import type { SignalDefinition } from './definition.js';
import { judgeWithLearned } from './learned/judge-learned.js';
import { judgeWithLlm } from './llm/index.js';
import { judgeWithRules } from './rules/judge-rules.js';
import type { JudgeContext, Target, Verdict } from './types.js';

/** The confidence at or above which `learned-then-llm` keeps the learned label when the definition states none. */
export const DEFAULT_CASCADE_THRESHOLD = 0.9;

/** True when a learned verdict is sure enough for `learned-then-llm` to keep it (else the LLM judges the target). */
export function learnedStands(verdict: Verdict, definition: Pick<SignalDefinition, 'learned'>): boolean {
  return verdict.status === 'labelled' && (verdict.confidence ?? 0) >= (definition.learned?.threshold ?? DEFAULT_CASCADE_THRESHOLD);
}

/**
 * The one judge interface: the store and the service call this and never care which judge ran.
 * `rules`, `llm` and `learned` run their judge; `rules-then-llm` asks the LLM only where the rules are undecided,
 * `learned-then-llm` only where the learned model's confidence is below `learned.threshold` (each adds the first
 * judge's explanation and cost to the LLM's). Rejects only with the LLM judge's `BudgetExceededError` (a cap
 * reached: the caller pauses the signal's LLM work and keeps the target).
 */
export async function judge(target: Target, definition: SignalDefinition, context: JudgeContext = { env: {} }): Promise<Verdict> {
  if (definition.judge === 'rules') return judgeWithRules(target, definition);
  if (definition.judge === 'llm') return judgeWithLlm(target, definition, context);
  if (definition.judge === 'learned') return judgeWithLearned(target, definition);
  let first: Verdict;
  if (definition.judge === 'learned-then-llm') {
    first = judgeWithLearned(target, definition);
    if (learnedStands(first, definition)) return first;
  } else {
    first = judgeWithRules(target, definition);
    if (first.status !== 'undecided') return first;
  }
  const asked = await judgeWithLlm(target, definition, context);
  const why = first.judge === 'learned' && first.status === 'labelled' ? `learned unsure (${first.explanation})` : `${first.judge} undecided (${first.explanation})`;
  return {
    ...asked,
    explanation: `${why}; ${asked.explanation}`,
    cost: {
      requests: first.cost.requests + asked.cost.requests,
      inputTokens: first.cost.inputTokens + asked.cost.inputTokens,
      outputTokens: first.cost.outputTokens + asked.cost.outputTokens,
      usd: first.cost.usd + asked.cost.usd,
    },
  };
}
