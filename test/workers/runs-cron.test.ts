/**
 * A backfill a day cap paused, on Workers: the Cron tick (`cronTick`, what the Worker's `scheduled` handler runs) puts
 * it back once its UTC day ended and sends it to the work queue; the queue consumer (`consumeWork`, the Worker's
 * `queue` handler) judges the rest from the run's cursor. D1 inside workerd, the LLM behind an injected fetch.
 */
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { createSignalsService } from '../../src/service/service.js';
import { consumeWork, cronTick, type WorkMessage } from '../../src/service/workers.js';
import type { WorkNotice } from '../../src/service/context.js';
import { d1Store } from '../../src/store/d1.js';
import { llmRefundSignal, turn } from '../service/fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const MIDNIGHT = Date.parse('2026-12-01T00:00:00Z');
const WINDOW = { since: '2026-11-30T00:00:00Z', until: '2026-12-01T00:00:00Z' };
const bindings = env as unknown as Env;

it('the Cron tick resumes a day-capped run at the next UTC day and queues it; the consumer finishes it, asking none twice', async () => {
  let clock = T0 + 60_000;
  const asked: string[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    asked.push(/order (\d+)/.exec(String(init.body))?.[1] ?? '?');
    return Response.json({ choices: [{ message: { content: '{"explanation":"asks for a refund","label":"yes"}' } }], usage: { prompt_tokens: 100, completion_tokens: 2 } });
  }) as unknown as typeof globalThis.fetch;
  const svc = createSignalsService(d1Store(bindings.DB), {
    batchSize: 50,
    now: () => clock,
    fetch,
    env: { SIGNALS_LLM_BASE_URL: 'https://llm.example.test/v1', SIGNALS_LLM_MODEL: 'm', SIGNALS_LLM_API_KEY: 'k' },
  });
  const sent: WorkNotice[] = [];
  const workerEnv = { SIGNALS_QUEUE: { send: async (body: WorkNotice) => void sent.push(body) } };

  await svc.api.createSignal({ definition: { ...llmRefundSignal('cron-day-cap', { max_requests_per_day: 4 }), agent: 'cronrun' } as never, state: 'draft' });
  for (let i = 0; i < 6; i++) await svc.ingest(turn({ traceId: `cr${i}`, at: T0 + i * 1000, user: `I want a refund for order ${i}`, agent: 'cronrun' }));
  const run = await svc.api.startRun('cron-day-cap', WINDOW);
  for (let i = 0; i < 10 && (await svc.runBatch(run.id)) === 'more'; i++);
  expect(await svc.api.getRun(run.id)).toMatchObject({ status: 'paused', done: 4, resumesAt: new Date(MIDNIGHT).toISOString() });
  expect(asked).toHaveLength(4);

  // A Cron minute of the same day leaves it paused and queues nothing for it.
  clock = MIDNIGHT - 60_000;
  await cronTick(svc, workerEnv, clock);
  expect(await svc.api.getRun(run.id)).toMatchObject({ status: 'paused', done: 4 });
  expect(sent.filter((n) => n.type === 'run')).toEqual([]);

  // The first Cron minute of the next UTC day puts it back to running and sends it to the queue.
  clock = MIDNIGHT;
  await cronTick(svc, workerEnv, clock);
  expect(sent.filter((n) => n.type === 'run')).toEqual([{ type: 'run', id: run.id }]);
  expect((await svc.api.getRun(run.id)).status).toBe('running');

  // The consumer takes the message (and any it re-queues) and finishes the run from its cursor.
  for (let i = 0; i < 10 && sent.length > 0; i++) {
    const batch = sent.splice(0).map((body): WorkMessage => ({ body, ack() {}, retry() {} }));
    await consumeWork(svc, workerEnv, batch);
  }
  expect(await svc.api.getRun(run.id)).toMatchObject({ status: 'done', done: 6, counts: { yes: 6 }, resumesAt: null });
  expect(asked.sort()).toEqual(['0', '1', '2', '3', '4', '5']);
});
