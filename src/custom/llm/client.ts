/**
 * One chat-completions call with retries: backoff on 429, 5xx, timeouts and network errors, honouring
 * `Retry-After`; every attempt is booked against the run's budget and runs inside its concurrency semaphore.
 */
import type { JudgeCost } from '../types.js';
import type { LlmBudget } from './budget.js';
import type { ResolvedLlmConfig } from './config.js';
import { describeReceived } from './answer.js';
import { isRetryableStatus, parseRetryAfter, retryDelay } from './retry.js';
import { type OutboundAllow, OutboundError, outboundFetch } from '../../outbound/policy.js';

/** What the client needs from its surroundings (all injectable for tests). */
export interface ChatDeps {
  config: ResolvedLlmConfig;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  budget: LlmBudget;
  /** The provider's key (the operator's; never shown, never sent anywhere but the provider's origin). */
  apiKey: string | null;
  /** The operator's outbound allow list (`SIGNALS_OUTBOUND_ALLOW`). */
  allow: OutboundAllow;
  /** Estimated input tokens of the request, booked before it is sent. */
  estimatedInputTokens: number;
  /** Awaited before each attempt is booked; what it throws stops the call with nothing more booked or sent. */
  beforeRequest?: () => Promise<void>;
}

/**
 * The decoded JSON body of a 2xx answer (with `received` saying what came back when it is not a chat completion:
 * `HTML page, status 200`), or why there is none (`status` when the endpoint answered one).
 */
export type ChatOutcome = { ok: true; body: unknown; received: string | null } | { ok: false; error: string; status?: number };

type Attempt =
  | { kind: 'ok'; body: unknown; received: string | null; usage: { input: number; output: number } }
  | { kind: 'retry'; error: string; retryAfterMs: number | null }
  | { kind: 'fail'; error: string; status?: number };

async function attempt(url: URL, payload: string, deps: ChatDeps): Promise<Attempt> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.config.timeoutMs);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (deps.apiKey) headers.authorization = `Bearer ${deps.apiKey}`;
  try {
    const response = await outboundFetch(url, { method: 'POST', headers, body: payload, signal: controller.signal }, { allow: deps.allow, fetch: deps.fetch });
    const text = await response.text();
    if (response.ok) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        // A 2xx with a body that is not JSON (a proxy's HTML page): the caller reports what came back.
        return { kind: 'ok', body: null, received: describeReceived(text, response.status, response.headers.get('content-type')), usage: { input: 0, output: 0 } };
      }
      const usage = (body as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } })?.usage;
      const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
      const message = (body as { choices?: Array<{ message?: unknown }> } | null)?.choices?.[0]?.message;
      const received = typeof message === 'object' && message !== null ? null : describeReceived(text, response.status, response.headers.get('content-type'));
      return { kind: 'ok', body, received, usage: { input: n(usage?.prompt_tokens), output: n(usage?.completion_tokens) } };
    }
    // The status only: an error body may echo the request, the key's owner or an internal endpoint's content.
    const error = `LLM endpoint answered HTTP ${response.status}`;
    if (isRetryableStatus(response.status)) {
      return { kind: 'retry', error, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), deps.now()) };
    }
    return { kind: 'fail', error, status: response.status };
  } catch (e) {
    if (controller.signal.aborted) {
      return { kind: 'retry', error: `LLM request timed out after ${deps.config.timeoutMs} ms`, retryAfterMs: null };
    }
    if (e instanceof OutboundError && e.message.startsWith('destination refused')) return { kind: 'fail', error: `LLM ${e.message}` };
    return { kind: 'retry', error: e instanceof OutboundError ? `LLM ${e.message}` : 'LLM request failed', retryAfterMs: null };
  } finally {
    clearTimeout(timer);
  }
}

/** `{base_url}/chat/completions`, built on the parsed URL (the base URL carries no query or fragment). */
export function chatCompletionsUrl(baseUrl: string): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * Posts `request` to `{base_url}/chat/completions`, retrying up to `maxRetries` times, and adds what every
 * attempt spent to `cost`. Throws `BudgetExceededError` when the budget refuses an attempt, and what
 * `deps.beforeRequest` throws.
 */
export async function chatCompletion(request: Record<string, unknown>, deps: ChatDeps, cost: JudgeCost): Promise<ChatOutcome> {
  const url = chatCompletionsUrl(deps.config.baseUrl);
  const payload = JSON.stringify(request);
  const { pricePer1kInput, pricePer1kOutput } = deps.config;
  for (let n = 0; ; n++) {
    await deps.beforeRequest?.();
    const reservation = await deps.budget.reserve({
      tokens: deps.estimatedInputTokens,
      usd: (deps.estimatedInputTokens / 1000) * pricePer1kInput,
    });
    let result: Attempt;
    try {
      result = await deps.budget.semaphore.run(() => attempt(url, payload, deps));
    } catch (e) {
      await reservation.settle({ requests: 1, tokens: 0, usd: 0 });
      throw e;
    }
    const input = result.kind === 'ok' ? result.usage.input : 0;
    const output = result.kind === 'ok' ? result.usage.output : 0;
    const usd = (input / 1000) * pricePer1kInput + (output / 1000) * pricePer1kOutput;
    cost.requests += 1;
    cost.inputTokens += input;
    cost.outputTokens += output;
    cost.usd += usd;
    await reservation.settle({ requests: 1, tokens: input + output, usd });
    if (result.kind === 'ok') return { ok: true, body: result.body, received: result.received };
    if (result.kind === 'fail') return { ok: false, error: result.error, status: result.status };
    if (n >= deps.config.maxRetries) return { ok: false, error: `${result.error} (gave up after ${n + 1} attempts)` };
    await deps.sleep(retryDelay(n, result.retryAfterMs));
  }
}
