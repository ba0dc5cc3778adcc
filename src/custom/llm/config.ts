/**
 * The `llm` block of a signal definition, as the LLM judge reads it, resolved against the operator's providers:
 * the provider gives the URL, the key, prices and its limits; the signal may pick a model and tighten the caps.
 * The definition schema (src/custom/definition.ts) validates the block; this module only applies defaults, so it
 * also works on a stored definition that skipped validation.
 */
import { type Provider, ProviderConfigError, providerFor, type Providers } from './providers.js';
import { MAX_LLM_RETRIES, MAX_LLM_TIMEOUT_MS } from './limits.js';

/** The `llm` config object of a definition (field names as in the config file). */
export interface LlmConfig {
  /** A provider the operator configured (default `default`, from `SIGNALS_LLM_*`). */
  provider?: string;
  /** A model other than the provider's. */
  model?: string;
  timeout_ms?: number;
  max_requests_per_run?: number;
  max_tokens_per_run?: number;
  max_usd_per_run?: number;
  max_requests_per_day?: number;
  max_usd_per_day?: number;
  /** Token budget of the transcript sent; longer targets keep their start and end. */
  max_input_tokens?: number;
  /** Retries after a 429, a 5xx, a timeout or a network error (default 3). */
  max_retries?: number;
}

/** The config with every default applied. Caps left unset are `Infinity`. */
export interface ResolvedLlmConfig {
  provider: Provider;
  baseUrl: string;
  model: string;
  timeoutMs: number;
  maxConcurrency: number;
  maxRetries: number;
  maxInputTokens: number;
  pricePer1kInput: number;
  pricePer1kOutput: number;
  caps: BudgetCaps;
}

/** Budget caps; `Infinity` means no cap. */
export interface BudgetCaps {
  requestsPerRun: number;
  tokensPerRun: number;
  usdPerRun: number;
  requestsPerDay: number;
  /** The signal's own dollars a day. */
  usdPerDay: number;
  /** The provider's dollars a day, across every signal using it (the operator's `max_usd_per_day`). */
  providerUsdPerDay: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_CONCURRENCY = 4;
export const DEFAULT_MAX_RETRIES = 3;
export { MAX_LLM_RETRIES, MAX_LLM_TIMEOUT_MS } from './limits.js';
export const DEFAULT_MAX_INPUT_TOKENS = 12_000;

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);

/** A signal's own day caps from its `llm` section (`Infinity`: none); they need no provider to be read. */
export function signalDayCaps(raw: unknown): { requests: number; usd: number } {
  const c = (raw ?? {}) as Partial<LlmConfig>;
  return { requests: num(c.max_requests_per_day, Infinity), usd: num(c.max_usd_per_day, Infinity) };
}

/** Longest delay a timer holds (2^31 - 1 ms); Node fires a longer one at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A call's timeout: the signal's (bounded, for definitions stored before the schema bounded it), else the operator
 * provider's (as long as a timer can hold), else the default.
 */
function timeoutOf(signal: unknown, provider: Provider): number {
  const own = num(signal, NaN);
  if (!Number.isNaN(own)) return Math.min(own, MAX_LLM_TIMEOUT_MS);
  return Math.min(provider.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMER_MS);
}

/**
 * Resolves a definition's `llm` section (absent: the default provider) against the operator's providers.
 * Throws a `ProviderConfigError` saying which provider is missing, or what to move where for a legacy section.
 */
export function resolveLlmConfig(raw: unknown, providers: Providers): ResolvedLlmConfig {
  const provider = providerFor(raw, providers);
  if (provider instanceof ProviderConfigError) throw provider;
  const c = (raw ?? {}) as Partial<LlmConfig>;
  return {
    provider,
    baseUrl: provider.baseUrl,
    model: typeof c.model === 'string' && c.model !== '' ? c.model : provider.model,
    timeoutMs: timeoutOf(c.timeout_ms, provider),
    maxConcurrency: Math.max(1, Math.floor(provider.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY)),
    maxRetries: Math.min(Math.floor(num(c.max_retries, DEFAULT_MAX_RETRIES)), MAX_LLM_RETRIES),
    maxInputTokens: Math.max(64, Math.floor(num(c.max_input_tokens, DEFAULT_MAX_INPUT_TOKENS))),
    pricePer1kInput: provider.pricePer1kInput,
    pricePer1kOutput: provider.pricePer1kOutput,
    caps: {
      requestsPerRun: num(c.max_requests_per_run, Infinity),
      tokensPerRun: num(c.max_tokens_per_run, Infinity),
      usdPerRun: num(c.max_usd_per_run, Infinity),
      requestsPerDay: signalDayCaps(raw).requests,
      usdPerDay: signalDayCaps(raw).usd,
      providerUsdPerDay: provider.maxUsdPerDay,
    },
  };
}
