// Hostile JSON values in every field the signals routes read: objects whose `toString`/`valueOf` are not functions
// (a JSON body can carry them: `{"toString": 1}` makes `${value}` and `Number(value)` throw), prototype keys, arrays,
// lone surrogates, huge numbers. Each answer is a 4xx JSON error or a success, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal, turn } from '../service/fixtures.js';
import { MAX_LLM_RETRIES, MAX_LLM_TIMEOUT_MS, resolveLlmConfig } from '../../src/custom/llm/config.js';
import { operatorProviders } from '../../src/custom/llm/providers.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
let dir: string;
let store: Store;
let service: SignalsService;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  dir = newStoreDir('signals-hostile-');
  store = await openTestStore(dir);
  service = createSignalsService(store, { now: () => T0 + 3_600_000 });
  await service.api.createSignal({ definition: refundSignal('trace') as never, state: 'active' });
  await service.api.createSignal({ definition: refundSignal('session') as never, state: 'active' });
  await service.ingest([...turn({ traceId: 'a1', sessionId: 's1', at: T0, user: 'I want a refund' }), ...turn({ traceId: 'a2', at: T0 + 60_000, user: 'hello' })]);
  app = createApp({ ...configFromEnv({}), signals: service });
});
afterAll(async () => {
  await store.close();
  removeStoreDir(dir);
});

/** Values a JSON body can carry that code written for strings and numbers may trip over. */
const HOSTILE: unknown[] = [
  { toString: 1 },
  { toString: 1, valueOf: 1 },
  { valueOf: 'x', toString: null },
  { __proto__: { a: 1 } },
  [{ toString: 1 }],
  ['a', 'b'],
  {},
  null,
  true,
  -1,
  1e308,
  '\ud800',
  'x'.repeat(10_000),
];

const DEF = { name: 'probe', scope: 'trace', type: 'binary', prompt: 'p' };
/** Each route with a body builder putting the hostile value in one or more fields. */
const ROUTES: Array<[string, string, (v: unknown) => unknown]> = [
  ['POST', '/v1/signals', (v) => ({ definition: v })],
  ['POST', '/v1/signals', (v) => ({ template: v, overrides: v })],
  ['POST', '/v1/signals', (v) => ({ template: 'frustration', overrides: v, state: v })],
  ['POST', '/v1/signals', (v) => ({ definition: { ...DEF, name: `p${Math.random().toString(36).slice(2, 8)}` }, state: v })],
  ['POST', '/v1/signals/test', (v) => ({ definition: DEF, conversations: v, sample: v })],
  ['POST', '/v1/signals/test', (v) => ({ definition: DEF, sample: 3, since: v, until: v })],
  ['POST', '/v1/signals/test', (v) => ({ definition: DEF, targets: [v], sample: 3 })],
  ['POST', '/v1/signals/test', (v) => ({ definition: DEF, conversations: [[{ role: v, content: v }]] })],
  ['POST', '/v1/signals/test', (v) => ({ template: v, sample: 2 })],
  ['POST', '/v1/signals/refund-trace/test', (v) => ({ sample: v, since: v })],
  ['POST', '/v1/signals/refund-trace/reviews', (v) => ({ id: v, value: v, reviewer: v, agent: v, version: v, note: v })],
  ['POST', '/v1/signals/refund-trace/reviews', (v) => ({ id: 'a1', agent: 'shop', value: 'yes', reviewer: 'r', version: v })],
  ['POST', '/v1/signals/refund-trace/learn', (v) => ({ labelled: v, agreement: v, judge: v, apply: v })],
  ['POST', '/v1/signals/refund-trace/learn', (v) => ({ labelled: [{ target: { messages: [{ from: 'human', value: 'x' }], kind: v, id: v, agent: v }, label: 'yes' }] })],
  ['POST', '/v1/signals/refund-trace/runs', (v) => ({ since: v, until: v, rate: v })],
  ['POST', '/v1/signals/refund-trace/runs', (v) => ({ since: '2h', until: '1h', rate: v })],
  ['POST', '/v1/signals/refund-trace/state', (v) => ({ state: v })],
  ['PATCH', '/v1/signals/refund-session', (v) => ({ scope: v })],
  ['PATCH', '/v1/signals/refund-session', (v) => ({ prompt: v, labels: v, judge: v })],
  ['PATCH', '/v1/signals/refund-session', (v) => ({ rules: v, llm: v, filter: v, sample_rate: v })],
  ['POST', '/v1/alerts', (v) => ({ signal: v, name: v, metric: v, comparison: v, threshold: v, channels: v, window: v })],
  ['POST', '/v1/alerts', (v) => ({ signal: 'refund-trace', name: 'a', metric: 'volume', comparison: 'above', threshold: 1, window: '1h', channels: [v] })],
  ['POST', '/v1/alerts/backtest', (v) => ({ rule: v, since: v, until: v })],
  ['POST', '/v1/alerts/backtest', (v) => ({ rule: { signal: 'refund-trace', name: 'a', metric: 'volume', comparison: 'above', threshold: 1, window: '1h' }, since: '2h', until: '1h', cursor: v })],
  ['POST', '/v1/alerts/backtest', (v) => ({ rule: { signal: 'refund-trace', name: 'a', metric: 'volume', comparison: 'above', threshold: 1, window: '1h' }, since: '2h', until: '1h', limit: v })],
  ['POST', '/v1/analyze', (v) => ({ messages: [v] })],
];

describe('hostile values in request bodies', () => {
  it.each(ROUTES.map(([method, path, build], i) => [`${method} ${path} #${i}`, method, path, build] as const))('%s answers 4xx or 2xx, never 500', async (_, method, path, build) => {
    for (const value of HOSTILE) {
      const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(build(value)) });
      const text = await res.text();
      expect(res.status, `${JSON.stringify(value).slice(0, 60)} → ${text.slice(0, 200)}`).toBeLessThan(500);
      expect(JSON.parse(text)).toBeTypeOf('object');
    }
  });
});

describe("a signal's LLM retries and timeout are bounded", () => {
  const llmDef = (llm: Record<string, unknown>) => ({ ...DEF, name: 'slow', judge: 'llm', llm });
  it('refuses max_retries above 10 and timeout_ms above 5 minutes where a definition is taken (a test would otherwise hold the request for days)', async () => {
    for (const llm of [{ max_retries: 100_000 }, { timeout_ms: 99_999_999_999 }, { timeout_ms: 300_001 }, { max_retries: 11 }]) {
      for (const [method, path, body] of [
        ['POST', '/v1/signals/test', { definition: llmDef(llm), conversations: [[{ role: 'user', content: 'hi' }]] }],
        ['POST', '/v1/signals', { definition: llmDef(llm) }],
        ['PATCH', '/v1/signals/refund-trace', { judge: 'llm', rules: null, llm }],
      ] as const) {
        const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const text = await res.text();
        expect(res.status, `${method} ${path} ${JSON.stringify(llm)}: ${text}`).toBe(400);
        expect(text).toMatch(/llm\.(max_retries|timeout_ms)/);
      }
    }
  });

  it('a definition stored before the bound is judged within it (and a timer never overflows to 1 ms)', () => {
    const providers = operatorProviders({ SIGNALS_LLM_BASE_URL: 'https://llm.example.com/v1', SIGNALS_LLM_MODEL: 'm' });
    const resolved = resolveLlmConfig({ max_retries: 100_000, timeout_ms: 99_999_999_999 }, providers);
    expect(resolved.maxRetries).toBe(MAX_LLM_RETRIES);
    expect(resolved.timeoutMs).toBe(MAX_LLM_TIMEOUT_MS);
    expect(resolveLlmConfig({ max_retries: 2, timeout_ms: 1500 }, providers)).toMatchObject({ maxRetries: 2, timeoutMs: 1500 });
  });
});
