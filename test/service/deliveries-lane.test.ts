// Issue 22 item 8: alert deliveries are stored first and sent from the store by their own lane. A webhook that
// hangs delays nothing else (a trace-scope rules signal is labelled within its settle time + 2 s, another alert's
// webhook is called at its evaluation time), and a delivery that failed is retried from the store by a new
// process after a restart.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AlertHistoryEntry } from '../../src/service/api.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { turn } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'signals-deliveries-'));
const env = { SIGNALS_DB: join(dir, 'signals.db'), SIGNALS_OUTBOUND_ALLOW: '127.0.0.1' };
// A hanging receiver holds its attempt for up to a minute; a failed attempt is tried again a minute later.
const RETRY_MS = 60_000;
const options = { intervalMs: 200, traceSettleSeconds: 1, alerts: { timeoutMs: 60_000, retryBaseMs: RETRY_MS, maxAttempts: 4 }, onError: () => undefined };

/** Requests per path: `/dead` never answers, `/ok` answers 200, `/flaky` answers 503 until `flakyUp`. */
const received: Record<string, number[]> = { '/dead': [], '/ok': [], '/flaky': [] };
const held: ServerResponse[] = [];
let flakyUp = false;
const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
  req.resume();
  req.on('end', () => {
    received[req.url ?? '']?.push(Date.now());
    if (req.url === '/dead') held.push(res);
    else if (req.url === '/flaky' && !flakyUp) res.writeHead(503).end('{"error":"receiver body that must not be stored"}');
    else res.writeHead(200).end('{}');
  });
});
let base = '';
let node: NodeService | undefined;

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of held) res.destroy();
  await node?.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const deliveries = async (n: NodeService, alert: string) =>
  (await n.service.api.alertHistory(alert)).filter((e): e is Extract<AlertHistoryEntry, { type: 'delivery' }> => e.type === 'delivery');

describe('alert deliveries from the store', () => {
  it('a hanging webhook delays no label and no other alert; a failed delivery is retried after a restart', async () => {
    node = await startNodeService(env, options);
    const { api } = node.service;
    await api.createSignal({
      definition: {
        name: 'refund',
        agent: 'shop',
        scope: 'trace',
        type: 'binary',
        prompt: 'Does the user ask for a refund?',
        judge: 'rules',
        rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' },
      } as never,
      state: 'active',
    });
    const alert = (name: string, path: string) =>
      api.createAlert({ name, signal: 'refund', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', every: '10s', channels: [{ type: 'webhook', name, url: `${base}${path}` }] } as never);
    await alert('dead', '/dead');
    await alert('flaky', '/flaky');

    // The first refund trace: both alerts fire; the dead receiver now holds an attempt open.
    await node.service.ingest(turn({ traceId: 't1', at: Date.now() - 900, user: 'I want a refund' }));
    await vi.waitFor(() => expect(received['/dead'].length + received['/flaky'].length).toBe(2), { timeout: 30_000, interval: 100 });

    // While it hangs: a new trace is labelled within its settle time + 2 s, and a new alert's webhook is called
    // within 2 s of its first evaluation time.
    await alert('live', '/ok');
    const sent = Date.now();
    await node.service.ingest(turn({ traceId: 't2', at: sent - 900, user: 'refund please' }));
    let labelledAfter = -1;
    await vi.waitFor(
      async () => {
        expect((await api.labels('refund')).items.map((l) => l.targetId)).toContain('t2');
        labelledAfter = Date.now() - sent;
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(labelledAfter).toBeLessThanOrEqual(1000 + 2000);
    await vi.waitFor(() => expect(received['/ok']).toHaveLength(1), { timeout: 20_000, interval: 50 });
    const live = (await api.listAlerts()).find((a) => a.name === 'live')!;
    expect(received['/ok'][0] - Date.parse(live.stateSince!)).toBeLessThan(2000);
    expect(received['/dead']).toHaveLength(1);

    // The 503 is stored as a pending delivery with its reason (never the body) and its next try.
    const [flaky] = await deliveries(node, 'flaky');
    expect(flaky).toMatchObject({ status: 'pending', attempts: 1, httpStatus: 503, error: 'HTTP 503' });
    expect(Date.parse(flaky.nextAttemptAt!)).toBeGreaterThan(Date.parse(flaky.lastAttemptAt!));
    // What an operator watches: the backlog, with the oldest due time, in the pending work.
    const { notifications } = await api.pending();
    expect(notifications.failed).toBe(0);
    expect(notifications.pending).toBeGreaterThanOrEqual(1);
    expect(Date.parse(notifications.oldestDueAt!)).toBeLessThanOrEqual(Date.parse(flaky.nextAttemptAt!));

    // A restart before the next try: the new process (its clock past the next try) finds the delivery in the
    // store and sends it.
    await node.stop();
    node = undefined;
    expect(received['/flaky']).toHaveLength(1);
    flakyUp = true;
    node = await startNodeService(env, { ...options, now: () => Date.now() + RETRY_MS + 5_000 });
    await vi.waitFor(() => expect(received['/flaky']).toHaveLength(2), { timeout: 30_000, interval: 100 });
    await vi.waitFor(async () => expect((await deliveries(node!, 'flaky'))[0]).toMatchObject({ status: 'sent', attempts: 2, error: null }), {
      timeout: 10_000,
      interval: 100,
    });
  }, 120_000);
});
