import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../app.js';
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
});
