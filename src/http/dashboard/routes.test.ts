import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../app.js';
import { conversationToSpans } from '../../service/demo-traffic.js';
import { createSignalsService } from '../../service/service.js';
import { openStore } from '../../store/libsql.js';
import type { Store } from '../../store/types.js';
import { DASHBOARD_JS } from './client.js';

describe('dashboard pages', () => {
  const app = createApp(configFromEnv({ SIGNALS_API_TOKEN: 'tok-1' }));

  it('serves the page at / without the token, with a CSP that allows scripts from this origin only', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<title>agent-signals dashboard</title>');
    expect(html).toContain('<script type="module" src="/dashboard/app.js"></script>');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // No address of another origin anywhere in the page, its script or its styles.
    const css = await (await app.request('/dashboard/app.css')).text();
    for (const text of [html, DASHBOARD_JS, css]) expect(text).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('serves the script as JavaScript and the styles as CSS, nosniff', async () => {
    const js = await app.request('/dashboard/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toBe(DASHBOARD_JS);
    expect((await app.request('/dashboard/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await app.request('/playground')).status).toBe(200);
  });
});

describe('dashboard API routes', () => {
  let dir: string;
  let store: Store;
  let app: ReturnType<typeof createApp>;
  const NOW = Date.parse('2026-12-01T12:00:00Z');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signals-dashboard-'));
    store = await openStore({ url: join(dir, 'signals.db') });
    const service = createSignalsService(store, { now: () => NOW });
    app = createApp({ ...configFromEnv({ SIGNALS_API_TOKEN: 'tok-1' }), signals: service });
    await service.api.createSignal({ template: 'task-outcome', overrides: { agent: 'shop' } });
    // Two conversations of two user turns each (one trace per turn): shop at 09:10 and 09:20, desk at 10:05 and 10:50.
    const convo = [
      { from: 'human', value: 'Where is my order?' },
      { from: 'gpt', value: 'Checking.' },
      { from: 'human', value: 'Thanks' },
      { from: 'gpt', value: 'It ships today.' },
    ] as const;
    await service.ingest(conversationToSpans(convo, { agent: 'shop', sessionId: 's1', startMs: Date.parse('2026-12-01T09:10:00Z'), turnMs: 600_000, traceIdPrefix: 'aa01' }));
    await service.ingest(conversationToSpans(convo, { agent: 'desk', sessionId: 's2', startMs: Date.parse('2026-12-01T10:05:00Z'), turnMs: 2_700_000, traceIdPrefix: 'aa02' }));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = (path: string, token = 'tok-1') => app.request(path, { headers: { authorization: `Bearer ${token}` } });

  it('lists the templates with their scope, type and labels, behind the token', async () => {
    expect((await app.request('/v1/templates')).status).toBe(401);
    const list = (await (await get('/v1/templates')).json()) as { id: string; type: string; labels: string[] }[];
    expect(list.map((t) => t.id)).toEqual(['nsfw', 'jailbreak', 'refusal', 'frustration', 'sentiment', 'task-outcome']);
    expect(list.find((t) => t.id === 'frustration')).toMatchObject({ type: 'binary', labels: ['yes', 'no'] });
    expect(list.find((t) => t.id === 'task-outcome')!.labels.length).toBeGreaterThanOrEqual(2);
  });

  it('draws a signal chart as SVG with a row per current label, and answers a bad bucket with 400', async () => {
    const res = await get('/v1/signals/task-outcome/chart.svg?since=6h&bucket=1h');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await res.text();
    expect(svg).toContain('task-outcome: labels over time');
    expect(svg).toContain('0 labels · 1h buckets');
    const bad = await get('/v1/signals/task-outcome/chart.svg?bucket=soon');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('bucket');
    expect((await get('/v1/signals/nope/chart.svg')).status).toBe(404);
  });

  it('counts traces per agent per hour and draws them a row per agent', async () => {
    const traffic = (await (await get('/v1/traffic?since=2026-12-01T08:00:00Z&until=2026-12-01T12:00:00Z&bucket=1h')).json()) as { start: string; traces: Record<string, number> }[];
    expect(traffic).toEqual([
      { start: '2026-12-01T08:00:00.000Z', traces: {} },
      { start: '2026-12-01T09:00:00.000Z', traces: { shop: 2 } },
      { start: '2026-12-01T10:00:00.000Z', traces: { desk: 2 } },
      { start: '2026-12-01T11:00:00.000Z', traces: {} },
    ]);
    expect(((await (await get('/v1/traffic?agent=desk&since=2026-12-01T08:00:00Z&until=2026-12-01T12:00:00Z')).json()) as unknown[]).length).toBe(4);
    const svg = await (await get('/v1/traffic.svg?since=2026-12-01T08:00:00Z&until=2026-12-01T12:00:00Z&width=400')).text();
    expect([...svg.matchAll(/<g data-value="([^"]+)">/g)].map((m) => m[1])).toEqual(['desk', 'shop']);
    expect(svg).toContain('4 traces · 1h buckets');
    expect(svg).toContain('viewBox="0 0 400 ');
    expect((await get('/v1/traffic.svg?width=99')).status).toBe(400);
  });

  it('draws at most 12 agent rows: the 11 busiest and the rest summed as "other agents (N)"', async () => {
    const many = mkdtempSync(join(tmpdir(), 'signals-dashboard-many-'));
    const manyStore = await openStore({ url: join(many, 'signals.db') });
    try {
      const service = createSignalsService(manyStore, { now: () => NOW });
      const manyApp = createApp({ ...configFromEnv({}), signals: service });
      const convo = [{ from: 'human', value: 'hi' }, { from: 'gpt', value: 'hello' }] as const;
      // 200 agents, agent-000 .. agent-199; agent-i sends 1 + (i % 3) one-turn conversations, so the busiest are i % 3 = 2.
      for (let i = 0; i < 200; i++) {
        const agent = `agent-${String(i).padStart(3, '0')}`;
        for (let k = 0; k <= i % 3; k++) {
          await service.ingest(conversationToSpans(convo, { agent, sessionId: `${agent}-${k}`, startMs: Date.parse('2026-12-01T09:00:00Z') + k * 60_000, turnMs: 1000, traceIdPrefix: `${String(i).padStart(3, '0')}${k}` }));
        }
      }
      const svg = await (await manyApp.request('/v1/traffic.svg?since=2026-12-01T08:00:00Z&until=2026-12-01T12:00:00Z')).text();
      const rows = [...svg.matchAll(/<g data-value="([^"]+)">/g)].map((m) => m[1]);
      expect(rows).toHaveLength(12);
      expect(rows.slice(0, 11)).toEqual(['agent-002', 'agent-005', 'agent-008', 'agent-011', 'agent-014', 'agent-017', 'agent-020', 'agent-023', 'agent-026', 'agent-029', 'agent-032']);
      expect(rows[11]).toBe('other agents (189)');
      // Every trace is still counted: 66 × (1 + 2 + 3) + 1 + 2.
      expect(svg).toContain('399 traces');
      const height = Number(/viewBox="0 0 \d+ (\d+)"/.exec(svg)![1]);
      expect(height).toBeLessThan(1000);
    } finally {
      await manyStore.close();
      rmSync(many, { recursive: true, force: true });
    }
  });
});
