/**
 * A backfill batch stopped part-way (a spending cap refuses a later target of the batch, or the provider fails)
 * keeps what it already paid for: the labels the LLM answered commit with the run's cursor, the run pauses (cap) or
 * waits (provider), and the rest of the window is judged later without asking the LLM about a target twice. A local
 * fake OpenAI-compatible server counts the requests and which target each was about. Runs on libsql (node project)
 * and PostgreSQL (postgres project).
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { configFromEnv, createApp } from '../../src/http/app.js';
import { runLine } from '../../src/node/commands/runs.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { labels } from '../../src/store/schema.js';
import type { Store } from '../../src/store/types.js';
import { answer, startFakeOpenAi, type FakeOpenAi, type SeenRequest } from '../helpers/fake-openai.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { fakeProviderEnv, llmRefundSignal, refundOrders } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const WINDOW = { since: '2026-11-30T00:00:00Z', until: '2026-12-01T00:00:00Z' };

let llm: FakeOpenAi;
let dir: string;
let store: Store | undefined;
let clock: number;

beforeAll(async () => {
  llm = await startFakeOpenAi();
  llm.fallback = () => answer('yes', 'picked yes', { prompt_tokens: 100, completion_tokens: 0 });
});
afterAll(async () => {
  await llm?.close();
});
beforeEach(() => {
  dir = newStoreDir('signals-llm-caps-backfill-');
  llm.requests.length = 0;
  clock = T0 + 60_000;
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  removeStoreDir(dir);
});

async function service(batchSize: number): Promise<SignalsService> {
  store = await openTestStore(dir);
  return createSignalsService(store, {
    batchSize,
    now: () => clock,
    env: fakeProviderEnv(llm.baseUrl),
  });
}

/** The order number a request to the fake provider asked about. */
const orderOf = (r: SeenRequest): string => /order (\d+)/.exec(JSON.stringify(r.body))?.[1] ?? '?';

/** Orders asked about more than once. */
function askedTwice(requests: SeenRequest[]): string[] {
  const seen = new Map<string, number>();
  for (const r of requests) seen.set(orderOf(r), (seen.get(orderOf(r)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([o]) => o);
}

async function drive(svc: SignalsService, runId: string) {
  for (let i = 0; i < 20; i++) {
    const outcome = await svc.runBatch(runId);
    if (outcome !== 'more') return outcome;
  }
  throw new Error('the run never stopped');
}

it('a day cap met mid-batch keeps the labels already paid for; the next day the rest is judged, none twice', async () => {
  // One batch holds the whole window (6 targets); the signal may send 4 requests a day.
  const svc = await service(50);
  await svc.api.createSignal({ definition: llmRefundSignal('refund-day-cap', { max_requests_per_day: 4 }) as never, state: 'draft' });
  await refundOrders(svc, 6, T0);
  const first = await svc.api.startRun('refund-day-cap', WINDOW);
  expect(await drive(svc, first.id)).toBe('finished');
  expect(llm.requests).toHaveLength(4);
  const paused = await svc.api.getRun(first.id);
  expect(paused.status).toBe('paused');
  expect(paused.error).toBe('daily LLM budget reached: 4 requests used of 4 requests');
  // The four answers are stored, counted and costed on the run.
  const stored = await store!.db.select({ status: labels.status, runId: labels.runId }).from(labels).where(eq(labels.status, 'labelled'));
  expect(stored).toHaveLength(4);
  expect(stored.every((l) => l.runId === first.id)).toBe(true);
  expect(paused.counts).toEqual({ yes: 4 });
  expect(paused.cost.requests).toBe(4);

  // The next UTC day a new run over the window judges only the two left.
  clock += 24 * 3_600_000;
  const second = await svc.api.startRun('refund-day-cap', WINDOW);
  expect(await drive(svc, second.id)).toBe('finished');
  expect((await svc.api.getRun(second.id)).status).toBe('done');
  expect(llm.requests).toHaveLength(6);
  expect(askedTwice(llm.requests)).toEqual([]);
  expect(await store!.db.select({ id: labels.id }).from(labels).where(eq(labels.status, 'labelled'))).toHaveLength(6);
});

it('a run a day cap paused goes on by itself on the first tick of the next UTC day (API and CLI say when); none is asked twice', async () => {
  const svc = await service(50);
  await svc.api.createSignal({ definition: llmRefundSignal('refund-day-resume', { max_requests_per_day: 4 }) as never, state: 'draft' });
  await refundOrders(svc, 6, T0);
  const run = await svc.api.startRun('refund-day-resume', WINDOW);
  expect(await drive(svc, run.id)).toBe('finished');
  expect(llm.requests).toHaveLength(4);
  const midnight = '2026-12-01T00:00:00.000Z';
  const paused = await svc.api.getRun(run.id);
  expect(paused).toMatchObject({ status: 'paused', done: 4, resumesAt: midnight, error: 'daily LLM budget reached: 4 requests used of 4 requests' });
  const res = await createApp({ ...configFromEnv({}), signals: svc }).request(`/v1/runs/${run.id}`);
  expect(await res.json()).toMatchObject({ status: 'paused', resumesAt: midnight });
  expect(runLine(paused)).toContain(`; resumes by itself at ${midnight}`);

  // Ticks of the same day leave it paused and ask nothing.
  clock = Date.parse(midnight) - 1;
  expect(await svc.tick(clock)).toMatchObject({ resumed: 0 });
  expect(await svc.api.getRun(run.id)).toMatchObject({ status: 'paused', done: 4 });
  expect(llm.requests).toHaveLength(4);
  // The first tick of the next UTC day puts it back and runs it to the end, from its cursor.
  clock = Date.parse(midnight);
  expect(await svc.tick(clock)).toMatchObject({ resumed: 1 });
  const done = await svc.api.getRun(run.id);
  expect(done).toMatchObject({ status: 'done', done: 6, counts: { yes: 6 }, error: null, resumesAt: null });
  expect(done.cost.requests).toBe(6);
  expect(llm.requests).toHaveLength(6);
  expect(askedTwice(llm.requests)).toEqual([]);
});

it('a run a day cap paused goes on the same day once a new version raises the cap', async () => {
  const svc = await service(50);
  await svc.api.createSignal({ definition: llmRefundSignal('refund-day-raised', { max_requests_per_day: 4 }) as never, state: 'draft' });
  await refundOrders(svc, 6, T0);
  const run = await svc.api.startRun('refund-day-raised', WINDOW);
  expect(await drive(svc, run.id)).toBe('finished');
  expect(await svc.api.getRun(run.id)).toMatchObject({ status: 'paused', done: 4 });
  // Still held: a tick leaves it paused.
  expect(await svc.tick(clock)).toMatchObject({ resumed: 0 });
  await svc.api.editSignal('refund-day-raised', { llm: { max_requests_per_day: 10 } } as never);
  expect(await svc.tick(clock)).toMatchObject({ resumed: 1 });
  expect(await svc.api.getRun(run.id)).toMatchObject({ status: 'done', done: 6, resumesAt: null });
  expect(llm.requests).toHaveLength(6);
  expect(askedTwice(llm.requests)).toEqual([]);
});

it('a run cap met mid-batch keeps the answered labels with the cursor: total requests equal the targets', async () => {
  const svc = await service(50);
  await svc.api.createSignal({ definition: llmRefundSignal('refund-run-cap', { max_requests_per_run: 3 }) as never, state: 'draft' });
  await refundOrders(svc, 7, T0);
  const runs: string[] = [];
  // Each run gets 3 requests: 7 targets take three runs, and no target is asked about twice.
  for (let i = 0; i < 3; i++) {
    const run = await svc.api.startRun('refund-run-cap', WINDOW);
    runs.push(run.id);
    await drive(svc, run.id);
  }
  expect(llm.requests).toHaveLength(7);
  expect(askedTwice(llm.requests)).toEqual([]);
  const states = await Promise.all(runs.map((id) => svc.api.getRun(id)));
  expect(states.map((r) => r.status)).toEqual(['paused', 'paused', 'done']);
  expect(states.map((r) => r.counts.yes ?? 0)).toEqual([3, 3, 1]);
  // A run cap does not lift with the day: those runs stay paused.
  expect(states.map((r) => r.resumesAt)).toEqual([null, null, null]);
  clock += 24 * 3_600_000;
  expect(await svc.tick(clock)).toMatchObject({ resumed: 0 });
  expect((await svc.api.getRun(runs[0]!)).status).toBe('paused');
  expect(llm.requests).toHaveLength(7);
});

it('a provider failure mid-batch keeps the labels answered before it; the run waits and resumes from there', async () => {
  const svc = await service(50);
  await svc.api.createSignal({ definition: llmRefundSignal('refund-outage', { max_retries: 0 }) as never, state: 'draft' });
  await refundOrders(svc, 6, T0);
  const run = await svc.api.startRun('refund-outage', WINDOW);
  // Targets 0 and 1 are answered, the third request meets an outage.
  llm.reply(answer('yes', 'picked yes', { prompt_tokens: 100, completion_tokens: 0 }), answer('no', 'picked no', { prompt_tokens: 100, completion_tokens: 0 }), { status: 500, json: { error: 'upstream down: internal detail' } });
  expect(await svc.runBatch(run.id)).toBe('waiting');
  expect(llm.requests).toHaveLength(3);
  const during = await svc.api.getRun(run.id);
  expect(during.status).toBe('running');
  expect(during.counts).toEqual({ yes: 1, no: 1 });
  expect(JSON.stringify(during)).not.toContain('internal detail');
  // No error label for the target the outage met: it is judged again once the provider answers.
  expect(await store!.db.select({ id: labels.id }).from(labels).where(eq(labels.status, 'error'))).toHaveLength(0);

  expect(await drive(svc, run.id)).toBe('finished');
  const after = await svc.api.getRun(run.id);
  expect(after.status).toBe('done');
  expect(after.counts).toEqual({ yes: 5, no: 1 });
  // 6 targets and the one failed request; only the target the outage met was asked about twice.
  expect(llm.requests).toHaveLength(7);
  expect(askedTwice(llm.requests)).toEqual([orderOf(llm.requests[2]!)]);
});

it('a live job whose target a backfill already judged (same version and revision) is closed without asking the LLM again', async () => {
  const svc = await service(50);
  await svc.api.createSignal({ definition: llmRefundSignal('refund-live') as never, state: 'active' });
  await refundOrders(svc, 4, T0);
  // The live jobs wait (say, for the provider); meanwhile a backfill over the window judges the same targets.
  const run = await svc.api.startRun('refund-live', WINDOW);
  expect(await drive(svc, run.id)).toBe('finished');
  expect(llm.requests).toHaveLength(4);
  expect(await svc.llmJobs(20)).toBe(4);
  expect(llm.requests).toHaveLength(4);
  expect(await store!.db.select({ id: labels.id }).from(labels)).toHaveLength(4);
});
