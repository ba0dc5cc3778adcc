// Issue 22 item 3: with one LLM provider that hangs and another that answers 500 (local fake servers), a
// trace-scope rules signal on other traffic is labelled within its settle time + 2 s, an alert on it fires on
// schedule, and the failing provider is paused with its reason.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configFromEnv } from '../../src/http/app.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { withChromium } from '../helpers/chromium.js';
import { cli } from '../helpers/cli-run.js';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.js';
import { llmRefundSignal, turn } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'signals-lanes-'));
let hanging: FakeOpenAi;
let failing: FakeOpenAi;
let hooks: Server;
let hookUrl: string;
const hookBodies: { at: number; body: { type?: string } }[] = [];
let node: NodeService;
let server: NodeServer;

beforeAll(async () => {
  hanging = await startFakeOpenAi();
  hanging.fallback = () => ({ hang: true });
  failing = await startFakeOpenAi();
  failing.fallback = () => ({ status: 500, json: { error: 'internal detail that must not be shown' } });
  hooks = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      hookBodies.push({ at: Date.now(), body: JSON.parse(text) as { type?: string } });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
  // The operator's providers, as a deployment configures them: a config file naming both servers.
  const config = join(dir, 'signals.config.json');
  const provider = (baseUrl: string) => ({ base_url: baseUrl, model: 'fake-model', api_key_env: 'FAKE_LLM_KEY', max_concurrency: 2 });
  writeFileSync(config, JSON.stringify({ providers: { hangs: provider(hanging.baseUrl), fails: provider(failing.baseUrl) } }));
  node = await startNodeService(
    { SIGNALS_DB: join(dir, 'signals.db'), SIGNALS_CONFIG: config, SIGNALS_OUTBOUND_ALLOW: '127.0.0.1', FAKE_LLM_KEY: 'k' },
    { intervalMs: 200, traceSettleSeconds: 1, breakers: { threshold: 3, pauseMs: 120_000 }, onError: () => undefined },
  );
  server = await startNodeServer({ ...configFromEnv({}), signals: node.service }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  await node?.stop();
  await hanging?.close();
  await failing?.close();
  await new Promise<void>((r) => hooks.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('background lanes under a hanging and a failing LLM provider', () => {
  it('settles and alerts on schedule, and pauses the failing provider with its reason', async () => {
    const { api } = node.service;
    await api.createSignal({ definition: llmRefundSignal('llm-hangs', { provider: 'hangs' }) as never, state: 'active' });
    await api.createSignal({ definition: llmRefundSignal('llm-fails', { provider: 'fails' }) as never, state: 'active' });
    await api.createSignal({
      definition: {
        name: 'other-refund',
        agent: 'other',
        scope: 'trace',
        type: 'binary',
        prompt: 'Does the user ask for a refund?',
        judge: 'rules',
        rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' },
      } as never,
      state: 'active',
    });
    await api.createAlert({
      name: 'other-refunds',
      signal: 'other-refund',
      metric: 'volume',
      comparison: 'above',
      threshold: 0,
      window: '5m',
      every: '10s',
      channels: [{ type: 'webhook', name: 'ops', url: hookUrl }],
    } as never);

    // LLM traffic for both providers: 20 LLM spans, each queueing one job per LLM signal.
    const now = Date.now();
    const shop = Array.from({ length: 20 }, (_, i) => turn({ traceId: `shop-${i}`, at: now - 5000 + i, user: `refund request ${i}` })).flat();
    expect(await node.service.ingest(shop)).toMatchObject({ queued: 40 });
    // Let both providers take their jobs (the hanging one holds its slots from now on).
    await vi.waitFor(() => expect(hanging.requests.length).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });

    // Other traffic: a trace of agent `other`; its root ends now, so it settles 1 s after its last span arrived.
    const sent = Date.now();
    await node.service.ingest(turn({ traceId: 'other-1', at: sent - 900, user: 'I want a refund', agent: 'other' }));
    let labelledAfter = -1;
    await vi.waitFor(
      async () => {
        const { items } = await api.labels('other-refund');
        expect(items).toHaveLength(1);
        labelledAfter = Date.now() - sent;
      },
      { timeout: 15_000, interval: 50 },
    );
    console.log(`trace labelled ${labelledAfter} ms after its last span arrived (settle time 1000 ms)`);
    expect(labelledAfter).toBeLessThanOrEqual(1000 + 2000);
    expect((await api.labels('other-refund')).items[0]).toMatchObject({ value: 'yes', judge: 'rules' });

    // The alert fires at the first 10 s evaluation time after the label, and its webhook is called.
    const labelled = Date.now();
    const due = Math.ceil(labelled / 10_000) * 10_000;
    await vi.waitFor(() => expect(hookBodies.some((h) => h.body.type === 'alert.firing')).toBe(true), { timeout: 20_000, interval: 100 });
    const [summary] = await api.listAlerts();
    expect(summary.state).toBe('firing');
    const firedAt = Date.parse(summary.stateSince!);
    console.log(`alert fired at its evaluation time +${firedAt - due} ms; webhook ${hookBodies[0].at - due} ms after it`);
    expect(firedAt).toBeLessThanOrEqual(due);
    expect(hookBodies[0].at - due).toBeLessThan(2000);

    // The failing provider is paused with a fixed reason (no response body), shown by the API and the CLI.
    type Info = { name: string; paused?: { reason: string; until: number } };
    let fails: Info | undefined;
    await vi.waitFor(
      async () => {
        const list = (await (await fetch(`${server.url}/v1/providers`)).json()) as Info[];
        fails = list.find((p) => p.name === 'fails');
        expect(fails?.paused).toBeDefined();
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(fails!.paused!.reason).toMatch(/^HTTP 500 \(3 failures in a row\)/);
    expect(fails!.paused!.until).toBeGreaterThan(Date.now() + 60_000);
    const shown = await cli(['providers', '--url', server.url]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/fails\s.*paused.*HTTP 500 \(3 failures in a row\)/);
    expect(shown.out + JSON.stringify(fails)).not.toMatch(/internal detail/);
    // And by the dashboard, on the view of a signal that uses it.
    const line = await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${server.url}/#/signal/llm-fails`);
      const text = await (await page.waitForSelector('#provider-paused', { timeout: 20_000 })).textContent();
      await page.screenshot({ path: 'test-output/dashboard-provider-paused.png' });
      return text;
    });
    expect(line).toMatch(/^LLM provider fails is paused until \d{4}-\d\d-\d\d \d\d:\d\d UTC: HTTP 500 \(3 failures in a row\)/);
    // The hanging provider holds at most its 2 slots; nothing else waited for it.
    expect(hanging.maxInFlight).toBeLessThanOrEqual(2);
    const requestsWhenPaused = failing.requests.length;
    await new Promise((r) => setTimeout(r, 1000));
    expect(failing.requests.length).toBe(requestsWhenPaused);
    const jobs = await node.service.context.store.db.query.llmJobs.findMany();
    // No job of the failing provider was closed as an error label: they wait in the queue.
    expect((await api.labels('llm-fails')).items).toEqual([]);
    expect(jobs.filter((j) => j.status === 'failed')).toEqual([]);
  });
});
