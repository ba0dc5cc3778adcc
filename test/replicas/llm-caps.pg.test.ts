/**
 * LLM day caps hold for the deployment, not per process: two service instances (replicas, as `signals serve` runs
 * them: their own pool, replica id and breakers) on one PostgreSQL database judge queued LLM jobs against a local
 * fake OpenAI-compatible server that counts the requests it gets. A signal's `max_requests_per_day` lets exactly that
 * many requests through however the replicas race; the provider's `max_usd_per_day` (SIGNALS_LLM_MAX_USD_PER_DAY)
 * counts every signal's spend and every replica's; jobs over a cap wait (pending, no attempt spent, no error label)
 * and are judged on the next UTC day; a backfill's run cap holds across its batches, whichever replica runs them.
 * Runs in the `postgres` project.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { labels, llmJobs } from '../../src/store/schema.js';
import type { Store } from '../../src/store/types.js';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { fakeProviderEnv, llmRefundSignal, refundOrders } from '../service/fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');

let llm: FakeOpenAi;
let dir: string;
let stores: Store[] = [];
let clock: number;

beforeAll(async () => {
  llm = await startFakeOpenAi();
  // Every answer reports 100 input tokens (10 cents at the price below) and no output.
  llm.fallback = () => answer('yes', 'picked yes', { prompt_tokens: 100, completion_tokens: 0 });
});
afterAll(async () => {
  await llm?.close();
});
beforeEach(() => {
  dir = newStoreDir('signals-llm-caps-');
  llm.requests.length = 0;
  clock = T0 + 60_000;
});
afterEach(async () => {
  for (const s of stores) await s.close();
  stores = [];
  removeStoreDir(dir);
});

/** Two replicas on one database, each counting the requests it sends. */
async function replicas(env: Record<string, string> = {}, batchSize?: number) {
  const sent = [0, 0];
  const services: SignalsService[] = [];
  for (const i of [0, 1]) {
    const store = await openTestStore(dir);
    stores.push(store);
    services.push(
      createSignalsService(store, {
        replicaId: `replica-${i}`,
        batchSize,
        now: () => clock,
        env: fakeProviderEnv(llm.baseUrl, env),
        fetch: (input, init) => {
          sent[i]++;
          return fetch(input, init);
        },
      }),
    );
  }
  return { services, sent, store: stores[0]! };
}

/** Runs jobs on the given replicas at once, round after round, until a round starts none. */
async function drain(services: SignalsService[], perRound = 20) {
  for (let round = 0; round < 50; round++) {
    const started = await Promise.all(services.map((s) => s.llmJobs(perRound)));
    if (started.every((n) => n === 0)) return;
  }
  throw new Error('jobs kept running: a capped job must wait, not spin');
}

async function jobStatuses(store: Store) {
  const rows = await store.db.select({ status: llmJobs.status, n: count() }).from(llmJobs).groupBy(llmJobs.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

it("a signal's max_requests_per_day lets exactly that many requests through two racing replicas; the rest wait for the next day", async () => {
  const { services, sent, store } = await replicas();
  await services[0]!.api.createSignal({ definition: llmRefundSignal('refund-llm', { max_requests_per_day: 5 }) as never, state: 'active' });
  await refundOrders(services[0]!, 12, T0);
  expect(await jobStatuses(store)).toEqual({ pending: 12 });

  // Replica 0 spends 3 of the 5 alone; then both race for the last 2 (each would allow 5 if it counted alone).
  expect(await services[0]!.llmJobs(3)).toBe(3);
  expect(sent).toEqual([3, 0]);
  await drain(services);
  expect(llm.requests).toHaveLength(5);
  expect(sent[0]! + sent[1]!).toBe(5);
  console.log(`requests per replica: ${sent.join(', ')}`);
  expect(await jobStatuses(store)).toEqual({ done: 5, pending: 7 });
  // No error label for the jobs over the cap: they wait, their attempts unspent.
  expect((await store.db.select({ status: labels.status }).from(labels)).map((l) => l.status)).toEqual(Array(5).fill('labelled'));
  expect((await store.db.select({ attempts: llmJobs.attempts }).from(llmJobs).where(eq(llmJobs.status, 'pending'))).map((j) => j.attempts)).toEqual(Array(7).fill(0));
  // Another pass the same day sends nothing.
  await drain(services);
  expect(llm.requests).toHaveLength(5);

  // The next UTC day: five more.
  clock += 24 * 3_600_000;
  await drain(services);
  expect(llm.requests).toHaveLength(10);
  expect(await jobStatuses(store)).toEqual({ done: 10, pending: 2 });
});

it("the provider's max_usd_per_day counts every signal's spend on every replica", async () => {
  // 10 cents a request; 35 cents a day for the provider, whichever signal and replica spends it.
  const { services, sent, store } = await replicas({ SIGNALS_LLM_MAX_USD_PER_DAY: '0.35' });
  await services[0]!.api.createSignal({ definition: llmRefundSignal('refund-a') as never, state: 'active' });
  await refundOrders(services[0]!, 6, T0);
  // Replica 0 alone, one job at a time, until the provider's cap stops it.
  await drain([services[0]!], 1);
  const first = sent[0]!;
  console.log(`requests before the provider's cap: ${first}`);
  expect(first).toBeGreaterThanOrEqual(1);
  // Never more than one request past the cap (the last one reserved its estimate; the answer cost more).
  expect(first * 0.1).toBeLessThanOrEqual(0.35 + 0.1);
  expect((await jobStatuses(store)).pending).toBeGreaterThan(0);
  // The provider is shown paused by its cap, until the next UTC day.
  const [info] = await services[0]!.api.providers();
  expect(info!.paused?.reason).toMatch(/^daily LLM budget of provider default reached: \$0\.\d{4} used of \$0\.3500/);
  expect(info!.paused?.until).toBe(Date.parse('2026-12-01T00:00:00Z'));

  // Another signal of the same provider, judged by the other replica (its own process, nothing spent there yet).
  await services[1]!.api.createSignal({ definition: llmRefundSignal('refund-b') as never, state: 'active' });
  await refundOrders(services[1]!, 6, T0);
  await drain(services);
  expect(sent[1]).toBe(0);
  expect(llm.requests).toHaveLength(first);
});

it("a backfill's max_requests_per_run holds across batches and replicas: the run pauses with the reason", async () => {
  const { services, sent } = await replicas({}, 1);
  const [a, b] = services as [SignalsService, SignalsService];
  await a.api.createSignal({ definition: llmRefundSignal('refund-backfill', { max_requests_per_run: 3 }) as never, state: 'draft' });
  await refundOrders(a, 6, T0);
  const run = await a.api.startRun('refund-backfill', { since: '2026-11-30T00:00:00Z', until: '2026-12-01T00:00:00Z' });
  // One target per batch, alternately on each replica, until the run stops.
  for (let i = 0; i < 12; i++) {
    const outcome = await [a, b][i % 2]!.runBatch(run.id);
    if (outcome === 'finished') break;
  }
  expect(sent[0]! + sent[1]!).toBe(3);
  const after = await a.api.getRun(run.id);
  expect(after.status).toBe('paused');
  expect(after.error).toBe('run LLM budget reached: 3 requests used of 3 requests');
});
