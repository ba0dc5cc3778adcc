/**
 * The LLM judge: the signal's prompt as the system message, the target's conversation as the user message,
 * a strict JSON-schema answer at temperature 0. An answer outside the schema is asked again once, telling the
 * model what was wrong, and then recorded as `error`, never guessed. A provider that refuses `json_schema`
 * (HTTP 400/422, as many local servers do) is asked in JSON mode, then with a tool call, then by the prompt alone;
 * the mode that works is kept for that provider and model, and said once in the log. A budget cap throws
 * `BudgetExceededError` so the caller pauses the work and keeps the target.
 */
import type { JudgeCost, Target, Verdict } from '../types.js';
import {
  ANSWER_MODES,
  type AnswerMode,
  answerFormat,
  correctionMessage,
  type LlmJudgedDefinition,
  parseAnswer,
  systemMessage,
  verdictLabels,
} from './answer.js';
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
  /** Where spend is booked when no `budget` is given (the store's in the service, so every replica sees it). */
  ledger?: UsageLedger;
  /** Whose spend it is, naming the ledger's accounts (see `LlmBudgetOptions.owners`; the provider is the config's). */
  owners?: { signal?: string; run?: string | null };
  /** Where the one line about an answer-mode fallback goes (default `console.warn`). */
  log?: (line: string) => void;
  /**
   * Awaited before each request is booked and sent (retries and re-asks included); what it throws ends the judging
   * with nothing more spent. The service's background work checks there that it still holds its claim.
   */
  beforeRequest?: () => Promise<void>;
}

/** The answer mode that works for a provider URL and model, once one had to fall back. */
const answerModes = new Map<string, AnswerMode>();

/** Forgets the answer modes learnt from providers (tests start each from `json_schema`). */
export function resetAnswerModes(): void {
  answerModes.clear();
}

const budgets = new WeakMap<object, LlmBudget>();

/** The budget of a context: its own, or one made once per context object (so concurrency is still shared). */
export function budgetFor(context: LlmJudgeContext, config: ResolvedLlmConfig): LlmBudget {
  if (context.budget) return context.budget;
  let budget = budgets.get(context);
  if (!budget) {
    const owners = context.owners === undefined ? undefined : { ...context.owners, provider: config.provider.name };
    budget = new LlmBudget({ caps: config.caps, maxConcurrency: config.maxConcurrency, ledger: context.ledger, now: context.now, owners });
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

/**
 * Judges one target with the definition's LLM; resolves to a verdict, rejects only with `BudgetExceededError` or what
 * `context.beforeRequest` threw.
 */
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
  const deps = {
    config,
    fetch: context.fetch ?? globalThis.fetch.bind(globalThis),
    sleep: context.sleep ?? realSleep,
    now: context.now ?? Date.now,
    budget: budgetFor(context, config),
    apiKey: config.provider.apiKey,
    allow: outboundAllowFromEnv(context.env),
    estimatedInputTokens: estimateTokens(system) + estimateTokens(transcript.text),
    beforeRequest: context.beforeRequest,
  };
  const modeKey = `${config.baseUrl} ${config.model}`;
  const known = answerModes.get(modeKey);
  let mode: AnswerMode = known ?? 'json_schema';
  let messages: Array<{ role: string; content: string }> = [
    { role: 'system', content: system },
    { role: 'user', content: transcript.text },
  ];
  const cost = noCost();
  let problem = '';
  for (let ask = 0; ask < 2; ) {
    const request = { model: config.model, temperature: 0, messages, ...answerFormat(mode, labels) };
    const outcome = await chatCompletion(request, deps, cost);
    if (!outcome.ok) {
      const next = ANSWER_MODES[ANSWER_MODES.indexOf(mode) + 1];
      // A provider without this way of asking for JSON refuses the request itself: try the next way.
      if ((outcome.status === 400 || outcome.status === 422) && next !== undefined && known === undefined) {
        mode = next;
        continue;
      }
      return errorVerdict(outcome.error, cost);
    }
    if (mode !== 'json_schema' && answerModes.get(modeKey) !== mode) {
      answerModes.set(modeKey, mode);
      (context.log ?? console.warn)(
        `signals: LLM provider "${config.provider.name}" (model ${config.model}) refused response_format json_schema; asking ${MODE_WORDS[mode]} from now on`,
      );
    }
    if (outcome.received !== null) return errorVerdict(`LLM endpoint answered no chat completion: ${outcome.received}`, cost);
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
    ask++;
    // Asked again with what was wrong: the same request at temperature 0 would get the same answer.
    messages = [...messages, { role: 'assistant', content: answerText(outcome.body) }, { role: 'user', content: correctionMessage(problem, labels) }];
  }
  return errorVerdict(`LLM answer outside the schema twice (not guessed): ${problem}`, cost);
}

const MODE_WORDS: Record<AnswerMode, string> = {
  json_schema: 'a JSON schema',
  json_object: 'JSON mode (response_format json_object)',
  tool: 'a tool call',
  prompt: 'JSON by the prompt alone',
};

/** The model's answer as text, to quote it back in the correction (content, or the tool call's arguments). */
function answerText(body: unknown): string {
  const message = (body as { choices?: Array<{ message?: { content?: unknown; tool_calls?: Array<{ function?: { arguments?: unknown } }> } }> } | null)?.choices?.[0]?.message;
  if (typeof message?.content === 'string' && message.content !== '') return message.content.slice(0, 4000);
  const args = message?.tool_calls?.[0]?.function?.arguments;
  if (typeof args === 'string') return args.slice(0, 4000);
  return args === undefined ? '(no answer)' : JSON.stringify(args).slice(0, 4000);
}
