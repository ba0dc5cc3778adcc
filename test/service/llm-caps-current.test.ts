/**
 * Spending caps are the signal's current version's: LLM jobs queued under an older version (and backfill batches of
 * one) spend on the signal's accounts under the caps in force when they run, so a new version that lowers a cap
 * stops them and one that raises it lets them go the same day. A local fake OpenAI-compatible server counts the
 * requests. Runs on libsql (node project) and PostgreSQL (postgres project).
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { llmJobs } from '../../src/store/schema.js';
import type { Store } from '../../src/store/types.js';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { fakeProviderEnv, llmRefundSignal, refundOrders } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const WINDOW = { since: '2026-11-30T00:00:00Z', until: '2026-12-01T00:00:00Z' };

let llm: FakeOpenAi;
let dir: string;
let store: Store | undefined;

beforeAll(async () => {
  llm = await startFakeOpenAi();
  llm.fallback = () => answer('yes', 'picked yes', { prompt_tokens: 100, completion_tokens: 0 });
});
afterAll(async () => {
  await llm?.close();
});
beforeEach(() => {
  dir = newStoreDir('signals-llm-caps-current-');
  llm.requests.length = 0;
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  removeStoreDir(dir);
});

async function service(): Promise<SignalsService> {
  store = await openTestStore(dir);
  return createSignalsService(store, { now: () => T0 + 60_000, env: fakeProviderEnv(llm.baseUrl) });
}

async function jobStatuses(): Promise<Record<string, number>> {
  const rows = await store!.db.select({ status: llmJobs.status, version: llmJobs.version, n: count() }).from(llmJobs).groupBy(llmJobs.status, llmJobs.version);
  return Object.fromEntries(rows.map((r) => [`v${r.version} ${r.status}`, Number(r.n)]));
}

it('a new version that lowers the day cap holds the jobs queued under the old one', async () => {
  const svc = await service();
  await svc.api.createSignal({ definition: llmRefundSignal('refund-lowered', { max_requests_per_day: 10 }) as never, state: 'active' });
  await refundOrders(svc, 6, T0);
  expect(await jobStatuses()).toEqual({ 'v1 pending': 6 });
  // Before any job runs, the operator lowers the cap to 2 (version 2).
  await svc.api.editSignal('refund-lowered', { llm: { max_requests_per_day: 2 } } as never);
  await svc.llmJobs(20);
  await svc.llmJobs(20);
  expect(llm.requests).toHaveLength(2);
  expect(await jobStatuses()).toEqual({ 'v1 done': 2, 'v1 pending': 4 });
  expect((await svc.api.getSignal('refund-lowered')).heldByDayCap).toMatchObject({ used: 2, cap: 2 });
});

it('a new version that raises the day cap lets the held jobs go the same day', async () => {
  const svc = await service();
  await svc.api.createSignal({ definition: llmRefundSignal('refund-raised', { max_requests_per_day: 2 }) as never, state: 'active' });
  await refundOrders(svc, 5, T0);
  await svc.llmJobs(20);
  expect(llm.requests).toHaveLength(2);
  expect(await jobStatuses()).toEqual({ 'v1 done': 2, 'v1 pending': 3 });
  // A pass meanwhile sends nothing (the cap holds the signal).
  await svc.llmJobs(20);
  expect(llm.requests).toHaveLength(2);
  await svc.api.editSignal('refund-raised', { llm: { max_requests_per_day: 10 } } as never);
  await svc.llmJobs(20);
  expect(llm.requests).toHaveLength(5);
  expect(await jobStatuses()).toEqual({ 'v1 done': 5 });
  expect((await svc.api.getSignal('refund-raised')).heldByDayCap).toBeUndefined();
});

it('a backfill of an older version spends under the current version’s run cap', async () => {
  const svc = await service();
  await svc.api.createSignal({ definition: llmRefundSignal('refund-run', { max_requests_per_run: 10 }) as never, state: 'draft' });
  await refundOrders(svc, 5, T0);
  const run = await svc.api.startRun('refund-run', WINDOW);
  await svc.api.editSignal('refund-run', { llm: { max_requests_per_run: 3 } } as never);
  expect(await svc.driveRun(run.id)).toBe('finished');
  expect(llm.requests).toHaveLength(3);
  expect(await svc.api.getRun(run.id)).toMatchObject({ version: 1, status: 'paused', done: 3, error: 'run LLM budget reached: 3 requests used of 3 requests' });
});
