import type { SignalDefinition } from './definition.js';
import { judgeWithLlm } from './llm/index.js';
import { judgeWithRules } from './rules/judge-rules.js';
import type { JudgeContext, Target, Verdict } from './types.js';

/**
 * The one judge interface: the store and the service call this and never care which judge ran.
 * `rules` and `llm` run their judge; `rules-then-llm` asks the LLM only where the rules are undecided
 * (and adds the rules' explanation and cost to the LLM's). Rejects only with the LLM judge's
 * `BudgetExceededError` (a cap reached: the caller pauses the signal's LLM work and keeps the target).
 */
export async function judge(target: Target, definition: SignalDefinition, context: JudgeContext = { env: {} }): Promise<Verdict> {
  if (definition.judge === 'rules') return judgeWithRules(target, definition);
  if (definition.judge === 'llm') return judgeWithLlm(target, definition, context);
  const ruled = judgeWithRules(target, definition);
  if (ruled.status !== 'undecided') return ruled;
  const asked = await judgeWithLlm(target, definition, context);
  return {
    ...asked,
    explanation: `rules undecided (${ruled.explanation}); ${asked.explanation}`,
    cost: {
      requests: ruled.cost.requests + asked.cost.requests,
      inputTokens: ruled.cost.inputTokens + asked.cost.inputTokens,
      outputTokens: ruled.cost.outputTokens + asked.cost.outputTokens,
      usd: ruled.cost.usd + asked.cost.usd,
    },
  };
}
