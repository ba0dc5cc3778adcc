// Hand-written spans and signal definitions for the service tests (no shared data).
import type { CapturedSpan } from '../../src/formats/captured-span.js';

/** Milliseconds → OTLP nanoseconds string. */
export const ns = (ms: number): string => `${BigInt(ms) * 1_000_000n}`;

/** A span with defaults; `messages` are OpenAI chat messages. */
export function span(p: Partial<CapturedSpan> & { traceId: string; spanId: string; startMs: number; endMs: number }): CapturedSpan {
  const { startMs, endMs, ...rest } = p;
  return {
    parentSpanId: '',
    name: 'chat',
    agent: 'shop',
    sessionId: null,
    convention: 'genai-semconv',
    kind: 'other',
    model: 'gpt-test',
    messages: [],
    unreadable: false,
    startTimeUnixNano: ns(startMs),
    endTimeUnixNano: ns(endMs),
    ...rest,
  };
}

/** A two-span trace: a root agent span and one LLM child carrying the user's text and the answer. */
export function turn(o: { traceId: string; sessionId?: string | null; at: number; user: string; answer?: string; agent?: string }): CapturedSpan[] {
  const root = span({ traceId: o.traceId, spanId: `${o.traceId}-root`, name: 'agent.run', startMs: o.at, endMs: o.at + 900, sessionId: o.sessionId ?? null, agent: o.agent ?? 'shop' });
  const llm = span({
    traceId: o.traceId,
    spanId: `${o.traceId}-llm`,
    parentSpanId: root.spanId,
    startMs: o.at + 100,
    endMs: o.at + 800,
    sessionId: o.sessionId ?? null,
    agent: o.agent ?? 'shop',
    kind: 'llm',
    messages: [
      { role: 'user', content: o.user },
      { role: 'assistant', content: o.answer ?? 'Let me check that for you.' },
    ],
  });
  return [root, llm];
}

/** A binary rules signal: yes when the user says "refund" (any scope). */
export function refundSignal(scope: 'span' | 'trace' | 'session', extra: Record<string, unknown> = {}) {
  return {
    name: `refund-${scope}`,
    agent: 'shop',
    scope,
    type: 'binary',
    prompt: 'Does the user ask for a refund?',
    judge: 'rules',
    rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' },
    ...extra,
  };
}

/** A binary span-scope LLM signal asking whether the user wants a refund; `llm` is its `llm` section. */
export function llmRefundSignal(name: string, llm: Record<string, unknown> = {}) {
  return { name, agent: 'shop', scope: 'span', type: 'binary', prompt: 'Does the user ask for a refund?', judge: 'llm', llm };
}

/** The API key the operator gives the fake provider in tests (never to be seen in an answer). */
export const FAKE_LLM_KEY = 'sk-fake-provider-key';

/**
 * The operator's environment for a local fake OpenAI-compatible provider (test/helpers/fake-openai.ts) at `baseUrl`:
 * model `fake-model`, $1 per 1k input tokens, outbound calls to loopback allowed; `extra` adds or overrides.
 */
export function fakeProviderEnv(baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SIGNALS_LLM_BASE_URL: baseUrl,
    SIGNALS_LLM_MODEL: 'fake-model',
    SIGNALS_LLM_API_KEY: FAKE_LLM_KEY,
    SIGNALS_LLM_PRICE_INPUT_PER_1K: '1',
    SIGNALS_OUTBOUND_ALLOW: '127.0.0.1',
    ...extra,
  };
}

/** Ingests `n` traces a second apart from `t0`, each one LLM span whose user wants a refund for order `i` (`t{i}`). */
export async function refundOrders(svc: { ingest(spans: CapturedSpan[]): Promise<unknown> }, n: number, t0: number): Promise<void> {
  for (let i = 0; i < n; i++) await svc.ingest(turn({ traceId: `t${i}`, at: t0 + i * 1000, user: `I want a refund for order ${i}` }));
}
