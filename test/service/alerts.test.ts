/**
 * Alerts end to end on the test store (libsql, PostgreSQL or D1): traffic ingested minute by minute on a fake clock labels a span
 * signal, the tick evaluates the alert live and delivers to local webhook receivers; a backtest over the same
 * stored labels then reports the same transitions (issue 12, acceptance 1).
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import type { AlertHistoryEntry } from '../../src/service/api.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { type Receiver, receiver } from '../helpers/webhook-receiver.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal, turn } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const MIN = 60_000;
const at = (k: number) => new Date(T0 + k * MIN).toISOString();

let dir: string;
let store: Store;
let clock: number;
let service: SignalsService;
let hooks: Receiver;

beforeEach(async () => {
  dir = newStoreDir('signals-alerts-');
  store = await openTestStore(dir);
  clock = T0;
  hooks = await receiver();
  service = createSignalsService(store, {
    now: () => clock,
    // A signing secret goes with a destination the operator configured (url_env), never a caller's url.
    env: { HOOK_SECRET: 's3cret', OPS_HOOK_URL: `${hooks.url}/ok`, SIGNALS_CHANNEL_VARS: 'HOOK_SECRET,OPS_HOOK_URL', SIGNALS_OUTBOUND_ALLOW: '127.0.0.1' },
    // Three attempts, 30 s then 2 min apart: a failed delivery is retried by the next ticks of the fake clock.
    alerts: { maxAttempts: 3, retryBaseMs: 30_000, dashboardUrl: 'http://127.0.0.1:8787' },
  });
  await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
});
afterEach(async () => {
  await hooks.close();
  await store.close();
  removeStoreDir(dir);
});

const rule = (extra: Record<string, unknown> = {}) => ({
  name: 'refunds-high',
  signal: 'refund-span',
  metric: 'true_rate',
  comparison: 'above',
  threshold: 0.5,
  window: '5m',
  every: '1m',
  for: '2m',
  cooldown: '3m',
  min_labels: 2,
  ...extra,
});

/** Minute k's traffic: two turns ending inside minute k, refunds in minutes 11..20. */
async function trafficOfMinute(k: number): Promise<void> {
  const user = k >= 11 && k <= 20 ? 'I want a refund' : 'Where is my parcel?';
  await service.ingest([
    ...turn({ traceId: `m${k}a`, at: T0 + (k - 1) * MIN + 1_000, user }),
    ...turn({ traceId: `m${k}b`, at: T0 + (k - 1) * MIN + 30_000, user }),
  ]);
}

/** Runs the live loop: traffic of minute k, then the tick at the end of minute k; no traffic after minute `last`. */
async function live(minutes: number, last = minutes, from = 1): Promise<void> {
  for (let k = from; k <= minutes; k++) {
    if (k <= last) await trafficOfMinute(k);
    clock = T0 + k * MIN;
    await service.tick(clock);
  }
}

const transitionsOf = (history: AlertHistoryEntry[]) =>
  history
    .filter((e) => e.type === 'transition')
    .reverse()
    .map(({ at, from, to, value, reason }) => ({ at, from, to, value, reason }));

describe('alerts live and backtested', () => {
  it('a live run and a backtest over the same stored labels make the same transitions; notifications reach the webhook', async () => {
    const created = await service.api.createAlert(
      rule({
        channels: [
          { type: 'webhook', name: 'ops', url_env: 'OPS_HOOK_URL', secret_env: 'HOOK_SECRET' },
          { type: 'webhook', name: 'broken', url: `${hooks.url}/down` },
        ],
      }),
    );
    expect(created).toMatchObject({ name: 'refunds-high', state: 'ok', lastEvaluatedAt: null, rule: { signal: 'refund-span', every: '1m', no_data: 'ok' } });

    await live(15);
    // Firing at 15: the delivery to the broken receiver failed once and waits in the store for its next try.
    const early = (await service.api.alertHistory(created.id)).filter((e) => e.type === 'delivery');
    expect(early.map((d) => [d.channel, d.kind, d.status, d.attempts, d.error, d.nextAttemptAt])).toEqual([
      ['broken', 'firing', 'pending', 1, 'HTTP 500', new Date(T0 + 15 * MIN + 30_000).toISOString()],
      ['ops', 'firing', 'sent', 1, null, null],
    ]);
    await live(36, 30, 16);
    // Hand-computed from the traffic: rate over minutes k-4..k is 0.6 at 13 (pending), firing once it held 2m
    // (15), 0.4 at 23 (resolved); minutes 31..36 have no traffic: no data, which is ok, so no transition.
    const history = await service.api.alertHistory(created.id);
    const liveTransitions = transitionsOf(history);
    expect(liveTransitions.map((t) => [t.at, t.from, t.to, t.value])).toEqual([
      [at(13), 'ok', 'pending', 0.6],
      [at(15), 'pending', 'firing', 1],
      [at(23), 'firing', 'ok', 0.4],
    ]);

    const bt = (await service.api.backtestAlert(created.id, { since: at(1), until: at(36) })) as {
      evaluations: number;
      transitions: unknown[];
      notifications: { kind: string; repeat: boolean; at: string }[];
      series: { at: string; value: number | null; labels: number }[];
      chart: string;
    };
    expect(bt.evaluations).toBe(36);
    expect(bt.transitions).toEqual(liveTransitions);
    expect(bt.notifications.map((n) => [n.kind, n.repeat, n.at])).toEqual([
      ['firing', false, at(15)],
      ['firing', true, at(18)],
      ['firing', true, at(21)],
      ['resolved', false, at(23)],
    ]);
    expect(bt.series[34]).toMatchObject({ at: at(35), value: null, labels: 0 });
    expect(bt.chart).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);

    // The same four notifications reached the working receiver, signed; the broken one got 3 attempts each, on later ticks.
    const ok = hooks.received.filter((r) => r.path === '/ok');
    expect(ok.map((r) => JSON.parse(r.body) as Record<string, unknown>).map((b) => [b.type, b.repeat, b.at, b.value])).toEqual([
      ['alert.firing', false, at(15), 1],
      ['alert.firing', true, at(18), 1],
      ['alert.firing', true, at(21), 0.8],
      ['alert.resolved', false, at(23), 0.4],
    ]);
    for (const r of ok) expect(r.signature).toBe(`sha256=${createHmac('sha256', 's3cret').update(r.body).digest('hex')}`);
    expect(JSON.parse(ok[0].body)).toMatchObject({ alert: 'refunds-high', signal: 'refund-span', link: 'http://127.0.0.1:8787/signals/refund-span' });
    expect(hooks.received.filter((r) => r.path === '/down')).toHaveLength(12);

    // One delivery per notification and channel with its attempts: 4 sent to ops at once, 4 failed to broken after
    // 3 attempts each (HTTP 500), none of which held up an evaluation.
    const deliveries = history.filter((e) => e.type === 'delivery');
    expect(deliveries.filter((d) => d.channel === 'ops').map((d) => [d.status, d.kind, d.attempts, d.httpStatus, d.lastAttemptAt])).toEqual([
      ['sent', 'resolved', 1, 200, at(23)],
      ['sent', 'firing', 1, 200, at(21)],
      ['sent', 'firing', 1, 200, at(18)],
      ['sent', 'firing', 1, 200, at(15)],
    ]);
    const broken = deliveries.filter((d) => d.channel === 'broken');
    // Attempts at the notification's tick, 30 s later (the next tick) and 2 min after that.
    expect(broken.map((d) => [d.kind, d.status, d.attempts, d.httpStatus, d.error, d.lastAttemptAt, d.nextAttemptAt])).toEqual([
      ['resolved', 'failed', 3, 500, 'HTTP 500', at(26), null],
      ['firing', 'failed', 3, 500, 'HTTP 500', at(24), null],
      ['firing', 'failed', 3, 500, 'HTTP 500', at(21), null],
      ['firing', 'failed', 3, 500, 'HTTP 500', at(18), null],
    ]);

    const [listed] = await service.api.listAlerts('refund-span');
    expect(listed).toMatchObject({ state: 'ok', lastEvaluatedAt: at(36), lastValue: null, stateSince: at(23) });
  });

  it('catches up on missed evaluation times, as a Cron minute over a 10s alert does, and still matches the backtest', async () => {
    const created = await service.api.createAlert(rule({ every: '10s', for: '30s' }));
    // Ticks only every 3 minutes: each tick replays the 18 missed 10 s evaluations.
    for (let k = 1; k <= 30; k++) {
      await trafficOfMinute(k);
      if (k % 3 === 0) {
        clock = T0 + k * MIN;
        const r = await service.tick(clock);
        expect(r.alerts.evaluations).toBe(k === 3 ? 1 : 18);
      }
    }
    const liveTransitions = transitionsOf(await service.api.alertHistory(created.id));
    expect(liveTransitions.map((t) => [t.from, t.to])).toEqual([
      ['ok', 'pending'],
      ['pending', 'firing'],
      ['firing', 'ok'],
    ]);
    const bt = (await service.api.backtestAlert(created.id, { since: at(3), until: at(30) })) as { transitions: unknown[] };
    expect(bt.transitions).toEqual(liveTransitions);
  });

  it('pausing records a transition and stops evaluation; resuming starts again from ok', async () => {
    const created = await service.api.createAlert(rule());
    await live(15);
    expect((await service.api.listAlerts())[0].state).toBe('firing');
    clock += 20_000;
    expect((await service.api.setAlertPaused(created.id, true)).state).toBe('paused');
    for (let k = 16; k <= 18; k++) {
      await trafficOfMinute(k);
      clock = T0 + k * MIN;
      expect((await service.tick(clock)).alerts.evaluations).toBe(0);
    }
    expect((await service.api.setAlertPaused(created.id, false)).state).toBe('ok');
    await trafficOfMinute(19);
    clock = T0 + 19 * MIN;
    await service.tick(clock);
    const t = transitionsOf(await service.api.alertHistory(created.id));
    expect(t.slice(-2).map((x) => [x.at, x.from, x.to])).toEqual([
      [new Date(T0 + 15 * MIN + 20_000).toISOString(), 'firing', 'paused'],
      // From a clean ok the condition must hold `for` again: pending, not firing.
      [at(19), 'paused', 'pending'],
    ]);
  });

  it('rejects bad rules with every problem and its path; checks the rule against the signal', async () => {
    await expect(service.api.createAlert({ ...rule(), window: '1m', metric: 'value_share' })).rejects.toMatchObject({
      code: 'invalid',
      details: ['window: must be between 5m and 2d (got 1m)', 'value: value_share needs the label value to count', ],
    });
    await expect(service.api.createAlert(rule({ metric: 'value_count', value: 'maybe' }))).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('"maybe" is not a label of "refund-span" (yes, no)') });
    await expect(service.api.createAlert(rule({ signal: 'nope' }))).rejects.toMatchObject({ code: 'not_found' });
    await service.api.createAlert(rule());
    await expect(service.api.createAlert(rule())).rejects.toMatchObject({ code: 'conflict' });
    await expect(service.api.backtestAlert('alt_missing', { since: '1h', until: '0h' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('alert REST routes', () => {
  it('create, list, backtest saved and unsaved rules, pause, resume, history; 4xx JSON on bad input', async () => {
    const app = createApp({ ...configFromEnv({}), signals: service });
    const json = (method: string, path: string, body?: unknown) =>
      app.request(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    await live(24);

    const bad = await json('POST', '/v1/alerts', { ...rule(), threshold: 2 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { code: 'invalid', message: 'Invalid alert rule:\nthreshold: true_rate is a share: threshold must be between 0 and 1', details: ['threshold: true_rate is a share: threshold must be between 0 and 1'] },
    });

    const unsaved = await json('POST', '/v1/alerts/backtest', { rule: rule(), since: at(1), until: at(24) });
    expect(unsaved.status).toBe(200);
    const u = (await unsaved.json()) as { transitions: { at: string; to: string }[]; evaluations: number };
    expect(u.transitions.map((t) => [t.at, t.to])).toEqual([
      [at(13), 'pending'],
      [at(15), 'firing'],
      [at(23), 'ok'],
    ]);

    const created = await json('POST', '/v1/alerts', rule());
    expect(created.status).toBe(201);
    const alert = (await created.json()) as { id: string };
    expect(((await (await json('GET', '/v1/alerts?signal=refund-span')).json()) as { id: string }[]).map((a) => a.id)).toEqual([alert.id]);
    const saved = await json('POST', `/v1/alerts/${alert.id}/backtest`, { since: '24m', until: '0m' });
    expect(saved.status).toBe(400); // `0m` is no duration
    const savedOk = await json('POST', `/v1/alerts/${alert.id}/backtest`, { since: '23m', until: at(24) });
    expect(((await savedOk.json()) as { transitions: unknown[] }).transitions).toEqual(
      u.transitions.map((t) => expect.objectContaining({ at: t.at, to: t.to })),
    );
    expect((await json('POST', `/v1/alerts/${alert.id}/backtest`, { since: at(24), until: at(1) })).status).toBe(400);
    expect((await json('POST', `/v1/alerts/${alert.id}/pause`, {})).status).toBe(200);
    const history = (await (await json('GET', `/v1/alerts/${alert.id}/history`)).json()) as AlertHistoryEntry[];
    expect(history.map((h) => (h.type === 'transition' ? h.to : h.type))).toEqual(['paused']);
    expect(((await (await json('POST', `/v1/alerts/${alert.id}/resume`, {})).json()) as { state: string }).state).toBe('ok');
    expect((await json('GET', '/v1/alerts/alt_nope/history')).status).toBe(404);
  });
});
