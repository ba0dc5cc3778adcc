/** The signals service inside workerd: D1 store (migrations applied by apply-migrations.ts), Queue consumer, Cron. */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createSignalsService } from '../../src/service/service.js';
import { d1Store } from '../../src/store/d1.js';
import worker from '../../src/http/worker.js';
import { refundSignal, turn } from '../service/fixtures.js';
import { otlpTurn } from '../service/otlp-fixture.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const ORIGIN = 'http://agent-signals.test';
const bindings = env as unknown as Env;

/** A service on the test D1 with a fake clock; each test uses its own agent so tests never see each other's rows. */
function service(agent: string, clock: { now: number }, batchSize = 10) {
  return { svc: createSignalsService(d1Store(bindings.DB), { now: () => clock.now, batchSize }), def: (scope: 'span' | 'trace' | 'session', extra = {}) => ({ ...refundSignal(scope), name: `${agent}-${scope}`, agent, ...extra }) };
}
const ids = (items: { targetId: string; revision: string; value: string | null }[]) => items.map((l) => `${l.targetId}@${l.revision}=${l.value}`).sort();

describe('signals service on D1', () => {
  it('labels span, trace and session targets live, with settle and idle times on a fake clock', async () => {
    const clock = { now: T0 };
    const { svc, def } = service('w1', clock);
    for (const scope of ['span', 'trace', 'session'] as const) await svc.api.createSignal({ definition: def(scope) as never, state: 'active' });
    await svc.api.createSignal({ definition: def('span', { name: 'w1-draft' }) as never });
    const spans = turn({ traceId: 'w1t1', sessionId: 'w1s1', at: T0, user: 'refund please', agent: 'w1' });
    expect(await svc.ingest(spans)).toEqual({ spans: 2, stored: 2, labels: 1, queued: 0, unreadable: 0 });
    expect(await svc.ingest(spans)).toEqual({ spans: 2, stored: 0, labels: 0, queued: 0, unreadable: 0 });
    expect(ids((await svc.api.labels('w1-span')).items)).toEqual(['w1t1-llm@1=yes']);
    expect((await svc.api.labels('w1-draft')).items).toEqual([]);

    clock.now += 10_000;
    await svc.tick(clock.now);
    expect(ids((await svc.api.labels('w1-trace')).items)).toEqual(['w1t1@2=yes']);
    expect((await svc.api.labels('w1-session')).items).toEqual([]);
    clock.now += 30 * 60_000;
    await svc.tick(clock.now);
    expect(ids((await svc.api.labels('w1-session')).items)).toEqual(['w1s1@2=yes']);

    await svc.ingest(turn({ traceId: 'w1t2', sessionId: 'w1s1', at: T0 + 3_600_000, user: 'ok bye', agent: 'w1' }));
    clock.now += 30 * 60_000;
    await svc.tick(clock.now);
    expect(ids((await svc.api.labels('w1-session')).items)).toEqual(['w1s1@4=yes']);
    expect((await svc.api.target('session', 'w1s1')).labels.map((l) => l.revision)).toEqual(['4', '2']);
  });

  it('honours sampling, records versions, keeps scope fixed', async () => {
    const clock = { now: T0 };
    const { svc, def } = service('w2', clock);
    await svc.api.createSignal({ definition: def('span', { sample_rate: 0.5 }) as never, state: 'active' });
    const r = await svc.ingest(Array.from({ length: 40 }, (_, i) => turn({ traceId: `w2t${i}`, at: T0 + i, user: 'refund', agent: 'w2' })).flat());
    expect(r.labels).toBeGreaterThan(8);
    expect(r.labels).toBeLessThan(32);
    const { signal } = await svc.api.editSignal('w2-span', { sample_rate: 1 });
    expect(signal.version).toBe(2);
    await expect(svc.api.editSignal('w2-span', { scope: 'trace' })).rejects.toThrow('create a new signal');
    expect((await svc.api.versions('w2-span')).map((v) => v.version)).toEqual([2, 1]);
  });

  it('resumes a backfill stopped after two batches', async () => {
    const clock = { now: T0 + 86_400_000 };
    const { svc, def } = service('w3', clock);
    await svc.ingest(Array.from({ length: 25 }, (_, i) => turn({ traceId: `w3t${i}`, at: T0 + i * 1000, user: i % 5 === 0 ? 'refund' : 'hi', agent: 'w3' })).flat());
    await svc.api.createSignal({ definition: def('trace') as never });
    const run = await svc.api.startRun('w3-trace', { since: '2026-11-30T00:00:00Z', until: '2026-12-01T00:00:00Z' });
    expect(await svc.driveRun(run.id, 2)).toBe('more');
    expect(await svc.api.getRun(run.id)).toMatchObject({ status: 'running', done: 20 });
    // A fresh service (another isolate after a crash) continues from the stored cursor.
    const again = service('w3', clock).svc;
    expect(await again.driveRun(run.id)).toBe('finished');
    expect(await again.api.getRun(run.id)).toMatchObject({ status: 'done', total: 25, done: 25, counts: { yes: 5, no: 20 } });
    expect((await again.api.labels('w3-trace', { limit: 100 })).items).toHaveLength(25);
  });
});

describe('the Worker entry with D1, Queues and Cron', () => {
  it('stores POST /v1/traces traffic and labels it; the queue consumer runs backfill batches; Cron settles traces', async () => {
    const call = (method: string, path: string, body?: unknown) =>
      exports.default.fetch(new Request(ORIGIN + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }));
    const created = await call('POST', '/v1/signals', { definition: { ...refundSignal('span'), name: 'edge-span' }, state: 'active' });
    expect(created.status).toBe(201);
    expect((await call('POST', '/v1/traces', otlpTurn('2af7651916cd43dd8448eb211c80319c', T0, 'refund my order'))).status).toBe(200);
    const labels = (await (await call('GET', '/v1/signals/edge-span/labels')).json()) as { items: { value: string }[] };
    expect(labels.items.map((l) => l.value)).toEqual(['yes']);

    // Backfill through the queue consumer (the producer's message delivered by hand, for a deterministic test).
    await call('POST', '/v1/signals', { definition: { ...refundSignal('trace'), name: 'edge-trace' } });
    const run = (await (await call('POST', '/v1/signals/edge-trace/runs', { since: '2026-11-30T00:00:00Z', until: '2026-12-01T00:00:00Z' })).json()) as { id: string };
    const batch = createMessageBatch('agent-signals-work', [{ id: 'm1', timestamp: new Date(), attempts: 1, body: { type: 'run', id: run.id } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, bindings);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['m1']);
    expect(await (await call('GET', `/v1/runs/${run.id}`)).json()).toMatchObject({ status: 'done', total: 1, counts: { yes: 1 } });

    // Cron: a trace-scope signal labels the (long settled) trace on the scheduled tick.
    await call('POST', '/v1/signals', { definition: { ...refundSignal('trace'), name: 'edge-live-trace' }, state: 'active' });
    // The ingest clock is real here: the tick a minute later finds the trace settled.
    const controller = createScheduledController({ scheduledTime: new Date(Date.now() + 60_000), cron: '* * * * *' });
    const cronCtx = createExecutionContext();
    await worker.scheduled(controller, bindings, cronCtx);
    await waitOnExecutionContext(cronCtx);
    const live = (await (await call('GET', '/v1/signals/edge-live-trace/labels')).json()) as { items: { targetId: string; value: string }[] };
    expect(live.items.map((l) => [l.targetId, l.value])).toEqual([['2af7651916cd43dd8448eb211c80319c', 'yes']]);
  });
});
