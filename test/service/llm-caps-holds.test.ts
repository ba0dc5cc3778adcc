/**
 * A signal its own day cap holds says so where users look (`GET /v1/signals/:id`, `GET /v1/signals`), read from the
 * store's spend ledger: a second replica on the same database that never met the cap shows the same hold, until
 * the next UTC day; a provider's day cap likewise in `GET /v1/providers`. A local fake OpenAI-compatible server
 * answers. Runs on libsql (node project) and PostgreSQL (postgres project).
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import type { SignalDetail, SignalSummary } from '../../src/service/api.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import type { Store } from '../../src/store/types.js';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { fakeProviderEnv, FAKE_LLM_KEY, llmRefundSignal, refundOrders, turn } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const MIDNIGHT = Date.parse('2026-12-01T00:00:00Z');

let llm: FakeOpenAi;
let dir: string;
let stores: Store[] = [];
let clock: number;

beforeAll(async () => {
  llm = await startFakeOpenAi();
  // Every answer reports 1000 input tokens: $1 at $1 per 1k (a request's estimate, its input at 4 characters a
  // token, is far less).
  llm.fallback = () => answer('yes', 'picked yes', { prompt_tokens: 1000, completion_tokens: 0 });
});
afterAll(async () => {
  await llm?.close();
});
beforeEach(() => {
  dir = newStoreDir('signals-llm-holds-');
  llm.requests.length = 0;
  clock = T0 + 60_000;
});
afterEach(async () => {
  for (const s of stores) await s.close();
  stores = [];
  removeStoreDir(dir);
});

/** The operator's environment: the fake provider at $1 per 1k input tokens, and `extra`. */
const operatorEnv = (extra: Record<string, string> = {}) => fakeProviderEnv(llm.baseUrl, extra);

/** Two replicas on one database. */
async function replicas(env: Record<string, string> = {}): Promise<SignalsService[]> {
  const out: SignalsService[] = [];
  for (const i of [0, 1]) {
    const store = await openTestStore(dir);
    stores.push(store);
    out.push(
      createSignalsService(store, {
        replicaId: `replica-${i}`,
        now: () => clock,
        env: operatorEnv(env),
      }),
    );
  }
  return out;
}

async function getJson<T>(svc: SignalsService, path: string): Promise<T> {
  const res = await createApp({ ...configFromEnv({}), signals: svc }).request(path);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

it("a signal over its max_requests_per_day shows the hold on every replica's API, until the next UTC day", async () => {
  const [a, b] = (await replicas()) as [SignalsService, SignalsService];
  const created = await a.api.createSignal({ definition: llmRefundSignal('refund-capped', { max_requests_per_day: 3 }) as never, state: 'active' });
  await a.api.createSignal({ definition: llmRefundSignal('refund-free') as never, state: 'draft' });
  expect(created.heldByDayCap).toBeUndefined();
  await refundOrders(a, 5, T0);
  // Replica a meets the cap; replica b never ran a job.
  await a.llmJobs(20);
  expect(llm.requests).toHaveLength(3);
  const expected = { reason: 'daily LLM budget reached: 3 requests used of 3 requests', until: MIDNIGHT, limit: 'requests', used: 3, cap: 3 };
  for (const svc of [a, b]) {
    const one = await getJson<SignalDetail>(svc, `/v1/signals/${created.id}`);
    expect(one.heldByDayCap).toEqual(expected);
    const list = await getJson<SignalSummary[]>(svc, '/v1/signals');
    expect(list.find((s) => s.name === 'refund-capped')?.heldByDayCap).toEqual(expected);
    // Another signal (no cap of its own) is not held.
    expect(list.find((s) => s.name === 'refund-free')?.heldByDayCap).toBeUndefined();
    expect(JSON.stringify(list)).not.toContain(FAKE_LLM_KEY);
  }
  // A Test of the signal books on its day cap too: nothing is sent, the row says why.
  const tested = await b.api.testSignal({ ref: 'refund-capped', sample: 1 });
  expect(tested.rows).toMatchObject([{ status: 'error', explanation: expected.reason }]);
  expect(llm.requests).toHaveLength(3);
  // The next UTC day the hold is gone.
  clock = MIDNIGHT + 1000;
  expect((await b.api.getSignal('refund-capped')).heldByDayCap).toBeUndefined();
});

it('a dollar cap the next request would pass holds the signal while its spend is under it; a raised cap lifts the hold', async () => {
  const [a, b] = (await replicas()) as [SignalsService, SignalsService];
  // Each request is estimated before it is sent (its input) and costs $1 when answered: after two ($2) the third's
  // estimate would pass $2.05.
  await a.api.createSignal({ definition: llmRefundSignal('refund-dollars', { max_usd_per_day: 2.05 }) as never, state: 'active' });
  await refundOrders(a, 5, T0);
  await a.llmJobs(1);
  await a.llmJobs(1);
  expect(llm.requests).toHaveLength(2);
  expect((await b.api.getSignal('refund-dollars')).heldByDayCap).toBeUndefined();
  await a.llmJobs(1);
  expect(llm.requests).toHaveLength(2);
  const held = (await b.api.getSignal('refund-dollars')).heldByDayCap;
  expect(held).toMatchObject({ limit: 'usd', cap: 2.05, until: MIDNIGHT });
  expect(held!.used).toBeCloseTo(2, 6);
  expect(held!.reason).toBe('daily LLM budget reached: $2.0000 used of $2.0500 (the next request would exceed it)');
  // A new version with a cap the refused request fits under: not held any more.
  await b.api.editSignal('refund-dollars', { llm: { max_usd_per_day: 10 } } as never);
  expect((await a.api.getSignal('refund-dollars')).heldByDayCap).toBeUndefined();
});

it("a provider's max_usd_per_day shows on every replica's GET /v1/providers, read from the ledger", async () => {
  const [a, b] = (await replicas({ SIGNALS_LLM_MAX_USD_PER_DAY: '2' })) as [SignalsService, SignalsService];
  await a.api.createSignal({ definition: llmRefundSignal('refund-provider') as never, state: 'active' });
  await refundOrders(a, 4, T0);
  for (let i = 0; i < 4; i++) await a.llmJobs(1);
  expect(llm.requests).toHaveLength(2);
  for (const svc of [a, b]) {
    const [provider] = await getJson<{ name: string; paused?: { reason: string; until: number } }[]>(svc, '/v1/providers');
    expect(provider).toMatchObject({ name: 'default', paused: { reason: 'daily LLM budget of provider default reached: $2.0000 used of $2.0000', until: MIDNIGHT } });
  }
  // The provider's cap is not the signal's: the signal shows no hold of its own.
  expect((await b.api.getSignal('refund-provider')).heldByDayCap).toBeUndefined();
});

it("a signal test spends within the provider's day cap like every other LLM call, on every replica and both test routes", async () => {
  const [a, b] = (await replicas({ SIGNALS_LLM_MAX_USD_PER_DAY: '2' })) as [SignalsService, SignalsService];
  await refundOrders(a, 5, T0);
  // A test of an unsaved definition over stored traffic: two requests fit the provider's $2, the third is not sent.
  const result = await a.api.testSignal({ definition: llmRefundSignal('refund-test') as never, sample: 5 });
  expect(llm.requests).toHaveLength(2);
  expect(result.rows.map((r) => r.status)).toEqual(['labelled', 'labelled', 'error', 'error', 'error']);
  expect(result.rows[2]!.explanation).toBe('daily LLM budget of provider default reached: $2.0000 used of $2.0000');
  // The other replica's Test, its conversations in the body (the route that needs no store), sends nothing either.
  const res = await createApp({ ...configFromEnv(operatorEnv({ SIGNALS_LLM_MAX_USD_PER_DAY: '2' })), signals: b }).request('/v1/signals/test', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ definition: { ...llmRefundSignal('refund-test'), agent: '*' }, conversations: [[{ role: 'user', content: 'refund please' }]] }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { rows: { status: string; explanation: string }[] };
  expect(body.rows[0]).toMatchObject({ status: 'error', explanation: 'daily LLM budget of provider default reached: $2.0000 used of $2.0000' });
  expect(llm.requests).toHaveLength(2);
  // And live jobs wait: the provider's dollars are spent for the day.
  await b.api.createSignal({ definition: llmRefundSignal('refund-live') as never, state: 'active' });
  await b.ingest(turn({ traceId: 'late', at: T0 + 9000, user: 'refund for the late order' }));
  await b.llmJobs(5);
  expect(llm.requests).toHaveLength(2);
});
