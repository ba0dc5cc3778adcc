/**
 * LLM providers belong to the operator: the default one from `SIGNALS_LLM_*`, named ones from the config file's
 * `providers:` section (the key given as the name of an environment variable), both read at start. A signal only
 * names a provider and may pick a model; it never carries a URL or a key. Key values live in a non-enumerable
 * field, so no serialization of a provider can carry one.
 */
import { z } from 'zod';
import { outboundAllowFromEnv, urlProblem } from '../../outbound/policy.js';

/** A named provider as written in the config file. */
export const providerConfigSchema = z.strictObject({
  /** OpenAI-compatible base URL (`https://api.openai.com/v1`); the judge posts to `{base_url}/chat/completions`. */
  base_url: z.string().min(1),
  model: z.string().min(1),
  /** Name of the environment variable that holds the key (never the key itself); none for a keyless local server. */
  api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
  price_per_1k_input: z.number().nonnegative().optional(),
  price_per_1k_output: z.number().nonnegative().optional(),
  max_usd_per_day: z.number().positive().optional(),
  max_concurrency: z.int().positive().optional(),
  timeout_ms: z.int().positive().optional(),
});

/** The config file's `providers:` section. */
export const providersConfigSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'use lowercase letters, digits, "-", "_" or "."'), providerConfigSchema);

/** One provider as written in the config file. */
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

/** An operator provider, ready to call. `apiKey` is non-enumerable: never serialized, never shown. */
export interface Provider {
  name: string;
  /** Normalized: no query, fragment or credentials, no trailing slash. */
  baseUrl: string;
  model: string;
  /** The variable the key was read from (`SIGNALS_LLM_API_KEY` for the default provider), for legacy mapping only. */
  keyEnv: string | null;
  readonly apiKey: string | null;
  pricePer1kInput: number;
  pricePer1kOutput: number;
  maxUsdPerDay: number;
  maxConcurrency?: number;
  timeoutMs?: number;
}

/** The operator's providers by name (`default` from the environment). */
export type Providers = ReadonlyMap<string, Provider>;

/** What `GET /v1/providers` and `signals providers` show: never a key or a key variable. */
export interface ProviderInfo {
  name: string;
  /** Origin and path only. */
  base_url: string;
  model: string;
  /** True when a price per 1k tokens is configured (costs are then counted in dollars). */
  priced: boolean;
  /** Set while the provider's work is paused (a daily budget reached, an outage). */
  paused?: { reason: string; until: number | null };
}

/** A provider setting the operator got wrong; the message names the variable or config path. */
export class ProviderConfigError extends Error {
  override readonly name = 'ProviderConfigError';
}

/** The name of the provider from `SIGNALS_LLM_*`. */
export const DEFAULT_PROVIDER = 'default';

/** The default base URL when only a model (and key) is given. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * Normalizes a provider base URL: must pass the outbound policy's literal checks, and may not carry a query,
 * a fragment or credentials (so `?`/`#` can never choose the path the judge posts to). Throws naming `where`.
 */
export function normalizeBaseUrl(text: string, where: string, env: Record<string, string | undefined>): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ProviderConfigError(`${where}: not an absolute URL (e.g. https://api.openai.com/v1)`);
  }
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) {
    throw new ProviderConfigError(`${where}: a base URL may not carry "?" or "#" (the judge appends /chat/completions to its path)`);
  }
  const problem = urlProblem(url, outboundAllowFromEnv(env));
  if (problem) throw new ProviderConfigError(`${where}: ${problem}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function number(env: Record<string, string | undefined>, name: string): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new ProviderConfigError(`${name} must be a non-negative number, got "${text}"`);
  return n;
}

function provider(fields: Omit<Provider, 'apiKey'>, apiKey: string | null): Provider {
  const p = { ...fields } as Provider;
  Object.defineProperty(p, 'apiKey', { value: apiKey, enumerable: false });
  return p;
}

/** The default provider from `SIGNALS_LLM_BASE_URL`, `SIGNALS_LLM_MODEL`, `SIGNALS_LLM_API_KEY` and prices, or null. */
function defaultProvider(env: Record<string, string | undefined>): Provider | null {
  const base = env.SIGNALS_LLM_BASE_URL?.trim() || undefined;
  const model = env.SIGNALS_LLM_MODEL?.trim() || undefined;
  const key = env.SIGNALS_LLM_API_KEY?.trim() || undefined;
  if (base === undefined && model === undefined) {
    if (key !== undefined) throw new ProviderConfigError('SIGNALS_LLM_API_KEY is set but SIGNALS_LLM_MODEL is not: set the model (and SIGNALS_LLM_BASE_URL unless it is OpenAI)');
    return null;
  }
  if (model === undefined) throw new ProviderConfigError('SIGNALS_LLM_BASE_URL is set but SIGNALS_LLM_MODEL is not: set the model the default provider uses');
  return provider(
    {
      name: DEFAULT_PROVIDER,
      baseUrl: normalizeBaseUrl(base ?? OPENAI_BASE_URL, 'SIGNALS_LLM_BASE_URL', env),
      model,
      keyEnv: 'SIGNALS_LLM_API_KEY',
      pricePer1kInput: number(env, 'SIGNALS_LLM_PRICE_INPUT_PER_1K') ?? 0,
      pricePer1kOutput: number(env, 'SIGNALS_LLM_PRICE_OUTPUT_PER_1K') ?? 0,
      maxUsdPerDay: number(env, 'SIGNALS_LLM_MAX_USD_PER_DAY') || Infinity,
    },
    key ?? null,
  );
}

/**
 * The operator's providers: `default` from the environment, plus the config file's `providers:` (already
 * validated by `providersConfigSchema`). Throws `ProviderConfigError` on a bad URL, a missing model or key variable.
 */
export function operatorProviders(env: Record<string, string | undefined>, configured: Record<string, ProviderConfig> = {}): Providers {
  const out = new Map<string, Provider>();
  const fromEnv = defaultProvider(env);
  if (fromEnv) out.set(DEFAULT_PROVIDER, fromEnv);
  for (const [name, c] of Object.entries(configured)) {
    const where = `providers.${name}`;
    if (out.has(name)) throw new ProviderConfigError(`${where}: "${name}" is the provider from SIGNALS_LLM_*; give this one another name`);
    let key: string | null = null;
    if (c.api_key_env !== undefined) {
      key = env[c.api_key_env]?.trim() || null;
      if (key === null) throw new ProviderConfigError(`${where}.api_key_env: environment variable ${c.api_key_env} is not set`);
    }
    out.set(
      name,
      provider(
        {
          name,
          baseUrl: normalizeBaseUrl(c.base_url, `${where}.base_url`, env),
          model: c.model,
          keyEnv: c.api_key_env ?? null,
          pricePer1kInput: c.price_per_1k_input ?? 0,
          pricePer1kOutput: c.price_per_1k_output ?? 0,
          maxUsdPerDay: c.max_usd_per_day ?? Infinity,
          maxConcurrency: c.max_concurrency,
          timeoutMs: c.timeout_ms,
        },
        key,
      ),
    );
  }
  return out;
}

const envProviders = new WeakMap<object, Providers | ProviderConfigError>();

/** The default provider of an environment object, computed once per object (a bad setting is returned, not thrown). */
export function providersOfEnv(env: Record<string, string | undefined>): Providers | ProviderConfigError {
  let p = envProviders.get(env);
  if (p === undefined) {
    try {
      p = operatorProviders(env);
    } catch (e) {
      if (!(e instanceof ProviderConfigError)) throw e;
      p = e;
    }
    envProviders.set(env, p);
  }
  return p;
}

/** The providers as shown to callers: names, origin+path, model, priced; never a key or key variable. */
export function providerInfos(providers: Providers): ProviderInfo[] {
  return [...providers.values()].map((p) => ({
    name: p.name,
    base_url: p.baseUrl,
    model: p.model,
    priced: p.pricePer1kInput > 0 || p.pricePer1kOutput > 0,
  }));
}

/** The one-line answer when a signal needs an LLM and the operator configured none. */
export const NO_PROVIDER_HINT =
  'no LLM provider is configured: the operator sets SIGNALS_LLM_BASE_URL, SIGNALS_LLM_MODEL and SIGNALS_LLM_API_KEY (or providers: in the config file); or use a template, rules or a learned judge';

/**
 * The provider a definition's `llm` section names (default `default`). A legacy section with `base_url` (and
 * `api_key_env`) maps to the provider with the same URL and key variable; otherwise the error says what to move where.
 */
export function providerFor(llm: unknown, providers: Providers): Provider | ProviderConfigError {
  const section = (llm ?? {}) as { provider?: unknown; base_url?: unknown; api_key_env?: unknown };
  if (section.base_url !== undefined || section.api_key_env !== undefined) return legacyProvider(section, providers);
  const name = typeof section.provider === 'string' && section.provider !== '' ? section.provider : DEFAULT_PROVIDER;
  const found = providers.get(name);
  if (found) return found;
  if (providers.size === 0) return new ProviderConfigError(NO_PROVIDER_HINT);
  return new ProviderConfigError(`llm.provider: no provider "${name}" (the operator configured: ${[...providers.keys()].join(', ')})`);
}

function legacyProvider(section: { base_url?: unknown; api_key_env?: unknown }, providers: Providers): Provider | ProviderConfigError {
  const keyEnv = typeof section.api_key_env === 'string' ? section.api_key_env : null;
  let base: string | null = null;
  try {
    const u = new URL(String(section.base_url));
    if (u.search === '' && u.hash === '' && u.username === '' && u.password === '') base = `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    base = null;
  }
  const match = [...providers.values()].find((p) => p.baseUrl === base && (keyEnv === null ? p.keyEnv === null || p.apiKey === null : p.keyEnv === keyEnv));
  if (match) return match;
  return new ProviderConfigError(legacyMoveHint(keyEnv));
}

/** What to move where for a legacy `llm` section (with `base_url`/`api_key_env`) that matches no operator provider. */
export function legacyMoveHint(keyEnv: string | null): string {
  const fields = `base_url: <its URL>, model: <model>${keyEnv ? `, api_key_env: ${keyEnv}` : ''}`;
  return (
    `llm.base_url and llm.api_key_env are the operator's settings now, and no operator provider has this URL${keyEnv ? ` and key variable ${keyEnv}` : ''}: ` +
    `move them to the config file's providers: { NAME: { ${fields} } } (or to SIGNALS_LLM_BASE_URL, SIGNALS_LLM_MODEL and SIGNALS_LLM_API_KEY for the default provider) ` +
    `and write llm: { provider: NAME } in the signal`
  );
}
