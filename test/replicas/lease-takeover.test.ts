/**
 * Claims on paid work between replicas: two stores opened on one database stand for two replicas (libsql in `node`,
 * PostgreSQL in `postgres`), a local fake OpenAI-compatible provider counts the requests and which target each was
 * about. A claim is kept by its heartbeat while an LLM call outlasts the lease; a holder that stalled past its lease
 * (its claim taken over) sends no further request (retries included) and writes nothing; two processes given the
 * same replica id still take turns. Each target is paid for once (or, for the one request in flight when a stalled
 * holder lost its claim, by both: that request was already sent).
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { jobCounts } from '../../src/store/jobs.js';
import { labels } from '../../src/store/schema.js';
import type { Store } from '../../src/store/types.js';
import { answer, startFakeOpenAi, type FakeOpenAi, type FakeReply, type SeenRequest } from '../helpers/fake-openai.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { fakeProviderEnv, llmRefundSignal, refundOrders } from '../service/fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const WINDOW = { since: '2026-11-30T00:00:00Z', until: '2026-12-01T00:00:00Z' };
/** A lease no heartbeat renews during a test (a third of it is 20 s): only the test's clock makes it run out. */
const LONG_LEASE = 60_000;

let llm: FakeOpenAi;
let dir: string;
let stores: Store[] = [];

beforeAll(async () => {
  llm = await startFakeOpenAi();
});
afterAll(async () => {
  await llm?.close();
});
beforeEach(() => {
  dir = newStoreDir('signals-lease-takeover-');
  llm.requests.length = 0;
  llm.fallback = () => answer('yes');
});
afterEach(async () => {
  for (const s of stores) await s.close();
  stores = [];
  removeStoreDir(dir);
});

/** Two replicas on one database: ids `a` and `b` unless `ids` says otherwise. */
async function replicas(o: { now?: () => number; leaseMs: number; ids?: [string, string]; env?: Record<string, string> }): Promise<[SignalsService, SignalsService]> {
  const out: SignalsService[] = [];
  for (const id of o.ids ?? ['a', 'b']) {
    const store = await openTestStore(dir);
    stores.push(store);
    out.push(createSignalsService(store, { replicaId: id, now: o.now, leaseMs: o.leaseMs, batchSize: 50, env: fakeProviderEnv(llm.baseUrl, o.env) }));
  }
  return out as [SignalsService, SignalsService];
}

/** The order number a request to the fake provider asked about. */
const orderOf = (r: SeenRequest): string => /order (\d+)/.exec(JSON.stringify(r.body))?.[1] ?? '?';

/** Requests per order, as `{ order: n }`. */
function perOrder(requests: SeenRequest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) out[orderOf(r)] = (out[orderOf(r)] ?? 0) + 1;
  return out;
}

/** Resolves once the provider has seen `n` requests. */
async function requestsSeen(n: number): Promise<void> {
  for (let i = 0; i < 3000 && llm.requests.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  expect(llm.requests.length).toBeGreaterThanOrEqual(n);
}

/** A gate the test opens. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** The stored labels of a signal, as `order -> value`. */
async function labelValues(store: Store, signalId: string): Promise<Record<string, string | null>> {
  const rows = await store.db.select().from(labels).where(eq(labels.signalId, signalId));
  return Object.fromEntries(rows.map((r) => [r.targetId.replace(/^t(\d+).*$/, '$1'), r.value]));
}

it('an LLM call that outlasts the lease keeps its claim (heartbeat): the other replica pays for nothing', async () => {
  // Real time: a 900 ms lease renewed every 300 ms; every answer takes 2 s, more than two leases.
  llm.fallback = () => ({ ...answer('yes'), delayMs: 2000 });
  const [a, b] = await replicas({ leaseMs: 900 });
  const now = Date.now();
  const live = await a.api.createSignal({ definition: llmRefundSignal('refund-live') as never, state: 'active' });
  await refundOrders(a, 3, now - 60_000);
  const backfill = await a.api.createSignal({ definition: llmRefundSignal('refund-backfill') as never, state: 'draft' });
  const run = await a.api.startRun('refund-backfill', { since: new Date(now - 3_600_000).toISOString(), until: new Date(now).toISOString() });
  // Replica a starts the live jobs and the run; replica b tries both while a's calls are in flight, past a's first lease.
  const jobsA = a.llmJobs(20);
  const runA = a.runBatch(run.id);
  await requestsSeen(2);
  await new Promise((r) => setTimeout(r, 1500));
  expect(await b.llmJobs(20)).toBe(0);
  expect(await b.runBatch(run.id)).toBe('held');
  expect(await jobsA).toBe(3);
  expect(await runA).toBe('finished');
  expect(llm.requests).toHaveLength(6);
  expect(await labelValues(stores[0]!, live.id)).toEqual({ 0: 'yes', 1: 'yes', 2: 'yes' });
  expect(await labelValues(stores[0]!, backfill.id)).toEqual({ 0: 'yes', 1: 'yes', 2: 'yes' });
  expect(await a.api.getRun(run.id)).toMatchObject({ status: 'done', done: 3 });
});

it('a backfill replica that stalls past its lease stops paying once another took the run over; the run is judged once', async () => {
  let clock = T0 + 60_000;
  const [a, b] = await replicas({ now: () => clock, leaseMs: LONG_LEASE });
  await a.api.createSignal({ definition: llmRefundSignal('refund-backfill') as never, state: 'draft' });
  await refundOrders(a, 4, T0);
  const run = await a.api.startRun('refund-backfill', WINDOW);
  // Replica a's first request (order 0) hangs until the test opens it: meanwhile a stalls (no renewal) past its lease.
  const held = gate();
  llm.reply({ ...answer('yes'), gate: held.promise });
  const batchA = a.runBatch(run.id);
  await requestsSeen(1);
  clock += LONG_LEASE + 1;
  // Replica b takes the run over and judges the whole window.
  expect(await b.runBatch(run.id)).toBe('finished');
  expect(perOrder(llm.requests)).toEqual({ 0: 2, 1: 1, 2: 1, 3: 1 });
  held.open();
  // Replica a gets its answer, learns its claim was taken before its next request, and stops.
  expect(await batchA).toBe('held');
  expect(perOrder(llm.requests)).toEqual({ 0: 2, 1: 1, 2: 1, 3: 1 });
  const done = await b.api.getRun(run.id);
  expect(done).toMatchObject({ status: 'done', done: 4, counts: { yes: 4 } });
  expect(done.cost.requests).toBe(4);
});

it('a live job whose claim was taken over while its request was in flight neither retries nor writes its late answer', async () => {
  let clock = T0 + 60_000;
  const [a, b] = await replicas({ now: () => clock, leaseMs: LONG_LEASE });
  const signal = await a.api.createSignal({ definition: llmRefundSignal('refund-live', { max_retries: 2 }) as never, state: 'active' });
  await refundOrders(a, 2, T0);
  // Replica a's two requests hang until the test opens them: order 0 then fails (HTTP 503, worth a retry), order 1
  // answers "no". Replica b's answers ("yes") hang on their own gate.
  const heldA = gate();
  const heldB = gate();
  const replies: Record<string, FakeReply[]> = {
    0: [{ status: 503, json: { error: 'overloaded' }, gate: heldA.promise }, { ...answer('yes'), gate: heldB.promise }],
    1: [{ ...answer('no'), gate: heldA.promise }, { ...answer('yes'), gate: heldB.promise }],
  };
  llm.fallback = (r) => replies[orderOf(r)]!.shift() ?? answer('yes');
  const jobsA = a.llmJobs(20);
  await requestsSeen(2);
  clock += LONG_LEASE + 1;
  const jobsB = b.llmJobs(20);
  await requestsSeen(4);
  // a's answers come first: its 503 is not retried, its "no" is not written.
  heldA.open();
  expect(await jobsA).toBe(2);
  expect(await labelValues(stores[0]!, signal.id)).toEqual({});
  heldB.open();
  expect(await jobsB).toBe(2);
  expect(perOrder(llm.requests)).toEqual({ 0: 2, 1: 2 });
  expect(await labelValues(stores[0]!, signal.id)).toEqual({ 0: 'yes', 1: 'yes' });
  expect(await jobCounts(stores[0]!)).toEqual({ done: 2 });
});

it('two processes given the same replica id take turns on a run: each target is paid once', async () => {
  llm.fallback = () => ({ ...answer('yes'), delayMs: 300 });
  const [a, b] = await replicas({ leaseMs: LONG_LEASE, ids: ['signals', 'signals'] });
  const now = Date.now();
  await a.api.createSignal({ definition: llmRefundSignal('refund-backfill') as never, state: 'draft' });
  await refundOrders(a, 4, now - 60_000);
  const run = await a.api.startRun('refund-backfill', { since: new Date(now - 3_600_000).toISOString(), until: new Date(now).toISOString() });
  const outcomes = await Promise.all([a.runBatch(run.id), b.runBatch(run.id)]);
  expect(outcomes.sort()).toEqual(['finished', 'held']);
  expect(perOrder(llm.requests)).toEqual({ 0: 1, 1: 1, 2: 1, 3: 1 });
  expect(await a.api.getRun(run.id)).toMatchObject({ status: 'done', done: 4 });
});
