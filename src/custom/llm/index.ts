/** The LLM judge of custom signals: pure (global fetch, Web Crypto), so it runs in Node, browsers and Workers. */
export { judgeWithLlm, budgetFor, createRunBudget, type LlmJudgeContext } from './judge.js';
export {
  BudgetExceededError,
  createLlmBudget,
  isBudgetExceeded,
  LlmBudget,
  MemoryUsageLedger,
  type BudgetExceeded,
  type LlmBudgetOptions,
  type Reservation,
  type Usage,
  type UsageLedger,
} from './budget.js';
export { MemoryVerdictCache, sha256Hex, targetContentHash, verdictCacheKey, type VerdictCache } from './cache.js';
export { resolveLlmConfig, type BudgetCaps, type LlmConfig, type ResolvedLlmConfig } from './config.js';
export { parseAnswer, responseFormat, systemMessage, verdictLabels, type LlmJudgedDefinition, type ParsedAnswer } from './answer.js';
export { estimateTokens, fitTranscript, renderTranscript, type FittedTranscript } from './transcript.js';
export { parseRetryAfter, retryDelay } from './retry.js';
export { Semaphore } from './semaphore.js';
