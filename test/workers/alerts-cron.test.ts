/** Alerts on Workers: the Worker's Cron `scheduled` handler evaluates alerts over D1 and delivers their webhooks. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src/http/worker.js';
import { createSignalsService } from '../../src/service/service.js';
import { d1Store } from '../../src/store/d1.js';
import { refundSignal, turn } from '../service/fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const MIN = 60_000;
const ORIGIN = 'http://agent-signals.test';
const HOOK = 'https://hooks.example.com/cron-hook';
const bindings = env as unknown as Env;
const at = (k: number) => new Date(T0 + k * MIN).toISOString();

const call = (method: string, path: string, body?: unknown) =>
  exports.default.fetch(new Request(ORIGIN + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }));

async function cron(k: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(T0 + k * MIN), cron: '* * * * *' }), bindings, ctx);
  await waitOnExecutionContext(ctx);
}

afterEach(() => vi.restoreAllMocks());

describe('alerts on the Cron Trigger', () => {
  it('fires and resolves on scheduled ticks (catching up the minutes between), delivering each notification', async () => {
    const sent: { url: string; body: Record<string, unknown> }[] = [];
    const real = globalThis.fetch;
    // The webhook receiver: outbound fetches to HOOK are answered here, everything else goes through.
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url !== HOOK) return real(input, init);
      sent.push({ url, body: JSON.parse(String(init?.body)) as Record<string, unknown> });
      return new Response('ok');
    });

    expect((await call('POST', '/v1/signals', { definition: { ...refundSignal('span'), name: 'cron-span', agent: 'cron' }, state: 'active' })).status).toBe(201);
    const created = await call('POST', '/v1/alerts', {
      name: 'cron-volume',
      signal: 'cron-span',
      metric: 'volume',
      comparison: 'above',
      threshold: 1,
      window: '5m',
      channels: [{ type: 'webhook', name: 'hook', url: HOOK }],
    });
    expect(created.status).toBe(201);
    const alert = (await created.json()) as { id: string };

    // Three spans ending in the first minute, stored through the service on the same D1.
    const svc = createSignalsService(d1Store(bindings.DB), { now: () => T0 + MIN });
    await svc.ingest([1, 2, 3].flatMap((i) => turn({ traceId: `cron${i}`, at: T0 + i * 10_000, user: 'refund', agent: 'cron' })));

    await cron(1); // volume 3 above 1: firing at once (for 0s)
    await cron(7); // replays minutes 2..7: the window (1m, 6m] is empty at 6m, resolved then
    const history = (await (await call('GET', `/v1/alerts/${alert.id}/history`)).json()) as { type: string; at: string; from?: string; to?: string; status?: string }[];
    expect(history.filter((h) => h.type === 'transition').map((h) => [h.at, h.from, h.to])).toEqual([
      [at(6), 'firing', 'ok'],
      [at(1), 'ok', 'firing'],
    ]);
    expect(history.filter((h) => h.type === 'delivery').map((h) => h.status)).toEqual(['sent', 'sent']);
    expect(sent.map((s) => [s.body.type, s.body.at, s.body.value])).toEqual([
      ['alert.firing', at(1), 3],
      ['alert.resolved', at(6), 0],
    ]);
    const [listed] = (await (await call('GET', '/v1/alerts?signal=cron-span')).json()) as { state: string; lastEvaluatedAt: string }[];
    expect(listed).toMatchObject({ state: 'ok', lastEvaluatedAt: at(7) });
  });
});
