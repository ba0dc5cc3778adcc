/**
 * The `llm` block of a signal definition, as the LLM judge reads it. The definition schema (src/custom/definition.ts)
 * validates it; this module only applies defaults, so it also works on a definition that skipped validation.
 */

/** The `llm` config object of a definition (field names as in the config file). */
export interface LlmConfig {
  /** OpenAI-compatible base URL, e.g. `https://api.openai.com/v1` (the judge posts to `{base_url}/chat/completions`). */
  base_url: string;
  model: string;
  /** Name of the environment variable that holds the API key (never the key itself). */
  api_key_env?: string;
  timeout_ms?: number;
  max_concurrency?: number;
  max_requests_per_run?: number;
  max_tokens_per_run?: number;
  max_usd_per_run?: number;
  max_requests_per_day?: number;
  max_usd_per_day?: number;
  /** Token budget of the transcript sent; longer targets keep their start and end. */
  max_input_tokens?: number;
  price_per_1k_input?: number;
  price_per_1k_output?: number;
  /** Retries after a 429, a 5xx, a timeout or a network error (default 3). */
  max_retries?: number;
}

/** The config with every default applied. Caps left unset are `Infinity`. */
export interface ResolvedLlmConfig {
  baseUrl: string;
  model: string;
  apiKeyEnv: string | null;
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
  usdPerDay: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_CONCURRENCY = 4;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_MAX_INPUT_TOKENS = 12_000;

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);

/** Applies defaults; throws a `TypeError` naming the field when `base_url` or `model` is missing. */
export function resolveLlmConfig(raw: unknown): ResolvedLlmConfig {
  if (raw === null || typeof raw !== 'object') throw new TypeError('llm: missing (base_url and model are required)');
  const c = raw as Partial<LlmConfig>;
  if (typeof c.base_url !== 'string' || c.base_url === '') throw new TypeError('llm.base_url: required');
  if (typeof c.model !== 'string' || c.model === '') throw new TypeError('llm.model: required');
  return {
    baseUrl: c.base_url.replace(/\/+$/, ''),
    model: c.model,
    apiKeyEnv: typeof c.api_key_env === 'string' && c.api_key_env !== '' ? c.api_key_env : null,
    timeoutMs: num(c.timeout_ms, DEFAULT_TIMEOUT_MS),
    maxConcurrency: Math.max(1, Math.floor(num(c.max_concurrency, DEFAULT_MAX_CONCURRENCY))),
    maxRetries: Math.floor(num(c.max_retries, DEFAULT_MAX_RETRIES)),
    maxInputTokens: Math.max(64, Math.floor(num(c.max_input_tokens, DEFAULT_MAX_INPUT_TOKENS))),
    pricePer1kInput: num(c.price_per_1k_input, 0),
    pricePer1kOutput: num(c.price_per_1k_output, 0),
    caps: {
      requestsPerRun: num(c.max_requests_per_run, Infinity),
      tokensPerRun: num(c.max_tokens_per_run, Infinity),
      usdPerRun: num(c.max_usd_per_run, Infinity),
      requestsPerDay: num(c.max_requests_per_day, Infinity),
      usdPerDay: num(c.max_usd_per_day, Infinity),
    },
  };
}
