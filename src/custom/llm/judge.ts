/**
 * The LLM judge: the signal's prompt as the system message, the target's conversation as the user message,
 * a strict JSON-schema answer at temperature 0. An answer outside the schema is asked again once and then
 * recorded as `error`, never guessed. A budget cap throws `BudgetExceededError` so the caller pauses the work
 * and keeps the target.
 */
import type { JudgeCost, Target, Verdict } from '../types.js';
import { type LlmJudgedDefinition, parseAnswer, responseFormat, systemMessage, verdictLabels } from './answer.js';
import { LlmBudget, type UsageLedger } from './budget.js';
import { sha256Hex, type VerdictCache, verdictCacheKey } from './cache.js';
import { chatCompletion } from './client.js';
import { type ResolvedLlmConfig, resolveLlmConfig } from './config.js';
import { type Providers, providersOfEnv } from './providers.js';
import { outboundAllowFromEnv } from '../../outbound/policy.js';
import { estimateTokens, fitTranscript, renderTranscript } from './transcript.js';

/** What the LLM judge reads from its surroundings; everything but `env` has a default. */
export interface LlmJudgeContext {
  fetch?: typeof fetch;
  /**
   * The service's environment: the default provider (`SIGNALS_LLM_*`) when `providers` is absent, and the
   * outbound allow list (`SIGNALS_OUTBOUND_ALLOW`). A definition never names a variable of it.
   */
  env: Record<string, string | undefined>;
  /** The operator's providers (default: the one `env` configures). */
  providers?: Providers;
  cache?: VerdictCache;
  /** The run's budget and semaphore, shared by every call of the run (one is made per context if absent). */
  budget?: LlmBudget;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The signal's stored version; absent, a hash of the judging fields of the definition stands in. */
  signalVersion?: string | number;
  /** Day totals for the day caps when no `budget` is given. */
  ledger?: UsageLedger;
}

const budgets = new WeakMap<object, LlmBudget>();

/** The budget of a context: its own, or one made once per context object (so concurrency is still shared). */
export function budgetFor(context: LlmJudgeContext, config: ResolvedLlmConfig): LlmBudget {
  if (context.budget) return context.budget;
  let budget = budgets.get(context);
  if (!budget) {
    budget = new LlmBudget({ caps: config.caps, maxConcurrency: config.maxConcurrency, ledger: context.ledger, now: context.now });
    budgets.set(context, budget);
  }
  return budget;
}

/**
 * The budget for one run of a signal's LLM work (its caps and concurrency from `definition.llm`): create it when
 * the run starts and pass it as `context.budget` to every call. `ledger` keeps the day totals across runs.
 */
export function createRunBudget(
  definition: LlmJudgedDefinition,
  providers: Providers,
  options: { ledger?: UsageLedger; now?: () => number } = {},
): LlmBudget {
  const config = resolveLlmConfig(definition.llm, providers);
  return new LlmBudget({ caps: config.caps, maxConcurrency: config.maxConcurrency, ledger: options.ledger, now: options.now });
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const noCost = (): JudgeCost => ({ requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 });
const errorVerdict = (explanation: string, cost: JudgeCost): Verdict => ({
  status: 'error',
  label: null,
  explanation,
  judge: 'llm',
  cost,
});

async function signalVersion(definition: LlmJudgedDefinition, config: ResolvedLlmConfig, given?: string | number): Promise<string> {
  if (given !== undefined) return `v${given}`;
  const { name, type, labels, prompt } = definition;
  const fields = JSON.stringify([name, type, labels ?? null, prompt, config.model, config.maxInputTokens]);
  return `def-${(await sha256Hex(fields)).slice(0, 16)}`;
}

/** Judges one target with the definition's LLM; resolves to a verdict, rejects only with `BudgetExceededError`. */
export async function judgeWithLlm(target: Target, definition: LlmJudgedDefinition, context: LlmJudgeContext): Promise<Verdict> {
  let config: ResolvedLlmConfig;
  try {
    const providers = context.providers ?? providersOfEnv(context.env);
    if (providers instanceof Error) throw providers;
    config = resolveLlmConfig(definition.llm, providers);
  } catch (e) {
    return errorVerdict((e as Error).message, noCost());
  }
  const labels = verdictLabels(definition);
  if (labels.length < 2) return errorVerdict('labels: need 2 to 10 labels for the LLM judge', noCost());

  const key = context.cache ? await verdictCacheKey(await signalVersion(definition, config, context.signalVersion), target) : '';
  if (context.cache) {
    const hit = await context.cache.get(key);
    if (hit) return { ...hit, cost: noCost() };
  }

  const system = systemMessage(definition, labels);
  const transcript = fitTranscript(renderTranscript(target.messages), config.maxInputTokens);
  const request = {
    model: config.model,
    temperature: 0,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: transcript.text },
    ],
    response_format: responseFormat(labels),
  };
  const deps = {
    config,
    fetch: context.fetch ?? globalThis.fetch.bind(globalThis),
    sleep: context.sleep ?? realSleep,
    now: context.now ?? Date.now,
    budget: budgetFor(context, config),
    apiKey: config.provider.apiKey,
    allow: outboundAllowFromEnv(context.env),
    estimatedInputTokens: estimateTokens(system) + estimateTokens(transcript.text),
  };
  const cost = noCost();
  let problem = '';
  for (let ask = 0; ask < 2; ask++) {
    const outcome = await chatCompletion(request, deps, cost);
    if (!outcome.ok) return errorVerdict(outcome.error, cost);
    const answer = parseAnswer(outcome.body, labels);
    if (answer.ok) {
      const cut =
        transcript.cutTokens > 0
          ? ` [Transcript cut: ~${transcript.cutTokens} of ~${transcript.totalTokens} tokens removed from the middle; the start and the end were judged.]`
          : '';
      const verdict: Verdict = { status: 'labelled', label: answer.label, explanation: answer.explanation + cut, judge: 'llm', cost };
      if (context.cache) await context.cache.set(key, verdict);
      return verdict;
    }
    problem = answer.problem;
  }
  return errorVerdict(`LLM answer outside the schema twice (not guessed): ${problem}`, cost);
}
