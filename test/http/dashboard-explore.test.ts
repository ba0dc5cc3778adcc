/**
 * The traffic explorer in headless Chromium (Debian's /usr/bin/chromium via playwright-core) against the Node
 * server with a temp libsql store holding the bundled sample as the traffic of two agents: Sessions filtered by a
 * custom label value and a built-in signal (the rows the API lists for the same filters), a session opened,
 * followed to a trace and a span and back, a new session arriving while the list is open (no reload), the
 * pending-work line of a session-scope signal shown and then cleared; one colour per label value across views;
 * every view at 1280 and 390 px written to test-output/screenshots/ (the docs' pictures: npm run docs:screenshots) with nothing wider than the screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/types.js';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import type { PendingWork, TrafficItem } from '../../src/service/api.js';
import { toolRun } from '../../src/formats/traces/chat.js';
import { conversationToSpans } from '../../src/service/demo-traffic.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { screenshotDir, withChromium } from '../helpers/chromium.js';
import { sampleJsonl } from '../helpers/sample.js';

const AGENTS = ['ridgeline-support', 'harbor-billing'];
const HOUR = 3_600_000;
const SHOTS = screenshotDir();
const conversations = sampleJsonl<{ id: string; messages: Message[] }>('sharegpt');
// All but the last conversation are stored first; the last arrives while the Sessions view is open.
const STORED = conversations.length - 1;
const LIVE_SESSION = 'live-session-01';

let dir: string;
let node: NodeService;
let server: NodeServer;
// The service's clock: the test moves it past the 30 min idle time so sessions settle when it says.
let clock = Date.now();

function agentOf(i: number): string {
  return AGENTS[i % 2];
}
function spansOf(i: number, startMs: number, sessionId = `s-${String(i + 1).padStart(2, '0')}`) {
  return conversationToSpans(conversations[i].messages, { agent: agentOf(i), sessionId, startMs, turnMs: 40_000, traceIdPrefix: `ab${(i + 1).toString(16).padStart(4, '0')}` });
}
async function get<T>(path: string): Promise<T> {
  const res = await fetch(server.url + path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}
async function sessionsOf(query: string): Promise<TrafficItem[]> {
  return (await get<{ items: TrafficItem[] }>(`/v1/sessions?limit=200${query}`)).items;
}
async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-dashboard-explore-'));
  node = await startNodeService({ SIGNALS_DB: join(dir, 'signals.db') }, { intervalMs: 250, now: () => clock, onError: () => undefined });
  const api = node.service.api;
  // Session-scope signals for every agent: a yes/no one and one with four labels (model-free judges).
  await api.createSignal({ template: 'frustration', overrides: { agent: '*' }, state: 'active' });
  await api.createSignal({ template: 'task-outcome', overrides: { agent: '*' }, state: 'active' });
  // A draft: labels nothing live; its page says what a backfill of it would do.
  await api.createSignal({ template: 'sentiment', overrides: { agent: '*' }, state: 'draft' });
  const t0 = clock - 24 * HOUR;
  for (let i = 0; i < STORED; i++) await node.service.ingest(spansOf(i, t0 + i * HOUR));
  clock += 31 * 60_000;
  await until('the stored sessions to settle and be labelled', async () => (await node.service.api.pending()).waiting.sessions === 0);
  server = await startNodeServer({ ...configFromEnv({}), signals: node.service }, 0, '127.0.0.1');
}, 120_000);
afterAll(async () => {
  await server?.close();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const rowIds = (page: Page) => page.$$eval('#traffic-table tbody tr[data-id]', (trs) => trs.map((tr) => tr.getAttribute('data-id')));
/** What the reader sees that a person should never: a literal null, undefined or NaN. */
const junk = (page: Page) => page.$eval('#view', (v) => (v.textContent ?? '').match(/\b(null|undefined|NaN)\b/g) ?? []);

describe('traffic explorer in Chromium', () => {
  it('filters sessions, follows session → trace → span and back, shows new traffic and pending work live', async () => {
    await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));

      // Sessions of both agents, newest first, as the API lists them.
      await page.goto(server.url + '/#/sessions');
      await page.waitForSelector('#traffic-table tbody tr[data-id]');
      const everything = await sessionsOf('');
      expect(everything).toHaveLength(STORED);
      expect(new Set(everything.map((s) => s.agent))).toEqual(new Set(AGENTS));
      expect(await rowIds(page)).toEqual(everything.map((s) => s.id));
      expect(await junk(page)).toEqual([]);

      // A custom label value: frustration = yes.
      const frustrated = await sessionsOf('&signal=frustration&value=yes');
      expect(frustrated.length).toBeGreaterThan(0);
      expect(frustrated.length).toBeLessThan(STORED);
      await page.selectOption('#f-signal', 'frustration');
      await page.selectOption('#f-value', 'yes');
      await expect.poll(() => rowIds(page)).toEqual(frustrated.map((s) => s.id));
      expect(page.url()).toContain('signal=frustration');
      expect(page.url()).toContain('value=yes');
      expect(new Set(await page.$$eval('#traffic-table [data-signal="frustration"] .chip', (c) => c.map((x) => x.textContent)))).toEqual(new Set(['yes']));

      // And a built-in signal: the family the most of those sessions have, as a glob.
      const families = new Map<string, number>();
      for (const s of frustrated) for (const f of s.builtin) families.set(f, (families.get(f) ?? 0) + 1);
      const family = [...families.entries()].sort((a, b) => b[1] - a[1])[0][0];
      const both = await sessionsOf(`&signal=frustration&value=yes&builtin=${encodeURIComponent(family + '.*')}`);
      expect(both.length).toBeGreaterThan(0);
      await page.fill('#f-builtin', family + '.*');
      await page.press('#f-builtin', 'Enter');
      await expect.poll(() => rowIds(page)).toEqual(both.map((s) => s.id));
      expect(decodeURIComponent(page.url())).toContain(`builtin=${family}.*`);
      // The URL is the view: opened afresh, it shows the same rows.
      const shared = page.url();
      await page.goto('about:blank');
      await page.goto(shared);
      await expect.poll(() => rowIds(page)).toEqual(both.map((s) => s.id));
      expect(await page.inputValue('#f-builtin')).toBe(family + '.*');

      // Open a session: its traces in order, each with its spans; the conversation with the built-in signals marked.
      const chosen = both[0];
      await page.click(`#traffic-table tr[data-id="${chosen.id}"] td a`);
      await page.waitForSelector('#timeline .trace-head');
      expect(page.url()).toContain(`#/session/${chosen.id}?agent=${chosen.agent}`);
      const traces = (await get<{ items: TrafficItem[] }>(`/v1/traces?agent=${chosen.agent}&session=${chosen.id}`)).items;
      const spans = await get<{ traceId: string; spanId: string; kind: string; model: string | null }[]>(`/v1/sessions/${chosen.id}/spans?agent=${chosen.agent}`);
      expect(traces).toHaveLength(chosen.traces);
      const heads = await page.$$eval('#timeline .trace-head', (hs) => hs.map((x) => x.getAttribute('data-trace')));
      expect(new Set(heads)).toEqual(new Set(traces.map((t) => t.id)));
      expect(heads).toEqual([...new Set(spans.map((s) => s.traceId))]);
      expect(await page.$$eval('#timeline .span-row', (r) => r.map((x) => x.getAttribute('data-span')))).toEqual(spans.map((s) => s.spanId));
      expect(await page.textContent('#timeline .span-row.kind-llm')).toContain('demo-model');
      const target = await get<{ messageCount: number; labels: { signalId: string; value: string }[] }>(`/v1/targets/session/${chosen.id}?agent=${chosen.agent}`);
      expect(await page.locator('#messages .msg').count()).toBe(target.messageCount);
      expect(await page.locator('#messages .msg.flagged, #messages .msg.praised').count()).toBeGreaterThan(0);
      expect(await page.textContent('#target-labels [data-signal="frustration"] .chip')).toBe('yes');
      // The summary counts as the list does.
      const summary = await page.$$eval('#unit-summary dt', (dts) => Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling!.textContent])));
      expect(summary).toMatchObject({ Traces: String(chosen.traces), 'LLM calls': String(chosen.llmCalls), 'Tool calls': String(chosen.toolCalls), Turns: String(chosen.turns), Quality: chosen.quality });
      expect(await junk(page)).toEqual([]);

      // One colour per label value: task-outcome's label here and on the signal's own page.
      const outcome = (await page.textContent('#target-labels [data-signal="task-outcome"] .chip'))!;
      const here = await page.getAttribute('#target-labels [data-signal="task-outcome"] .chip', 'style');

      // Session → trace → span, and back up the same links.
      const firstTrace = heads[0]!;
      await page.click(`#timeline .trace-head[data-trace="${firstTrace}"] a`);
      await page.waitForSelector('#to-session');
      expect(page.url()).toContain(`#/trace/${firstTrace}`);
      expect(await page.$$eval('#timeline .span-row', (r) => r.map((x) => x.getAttribute('data-span')))).toEqual(spans.filter((s) => s.traceId === firstTrace).map((s) => s.spanId));
      const llmSpan = spans.find((s) => s.traceId === firstTrace && s.kind === 'llm')!;
      await page.click(`#timeline .span-row[data-span="${llmSpan.spanId}"] a`);
      await page.waitForSelector('#to-trace');
      expect(page.url()).toContain(`#/span/${llmSpan.spanId}`);
      expect(await page.getAttribute('#timeline .span-row.current', 'data-span')).toBe(llmSpan.spanId);
      await page.click('#to-trace');
      await page.waitForSelector(`#timeline .span-row[data-span="${llmSpan.spanId}"]:not(.current)`);
      expect(page.url()).toContain(`#/trace/${firstTrace}`);
      await page.click('#to-session');
      await page.waitForSelector('#timeline .trace-head');
      expect(page.url()).toContain(`#/session/${chosen.id}`);
      // The browser's Back goes the other way.
      await page.goBack();
      await page.waitForSelector('#to-session');
      expect(page.url()).toContain(`#/trace/${firstTrace}`);

      // The signal's page colours that value the same.
      await page.goto(server.url + '/#/signal/task-outcome?value=' + encodeURIComponent(outcome));
      await page.waitForSelector('#labels-table tbody tr[data-target] .chip');
      expect(await page.getAttribute('#labels-table tbody tr[data-target] .chip', 'style')).toBe(here);
      // And opens the same labels in the explorer.
      await page.click('#browse-traffic');
      const sameOutcome = await sessionsOf(`&signal=task-outcome&value=${encodeURIComponent(outcome)}`);
      await expect.poll(() => rowIds(page)).toEqual(sameOutcome.map((s) => s.id));
      expect(await page.inputValue('#f-signal')).toBe('task-outcome');
      expect(await page.inputValue('#f-value')).toBe(outcome);

      // Live: with the Sessions list open, a new session arrives; it appears without a reload, first waiting to
      // settle (the pending line names the session-scope signals), then labelled, and the line clears.
      await page.goto(server.url + '/#/sessions');
      await page.waitForSelector('#traffic-table tbody tr[data-id]');
      await page.waitForSelector('#pending[data-empty="1"]');
      await page.evaluate('window.stayed = true');
      // The new session's first trace also ran a tool that failed (a tool span, as instrumentations export one).
      const live = spansOf(STORED, clock - 10 * 60_000, LIVE_SESSION);
      const llmCall = live.find((s) => s.kind === 'llm')!;
      const failedTool = {
        ...llmCall,
        spanId: `${llmCall.spanId.slice(0, 12)}0003`,
        parentSpanId: llmCall.parentSpanId,
        name: 'execute_tool lookup_order',
        kind: 'tool' as const,
        model: null,
        startTimeUnixNano: String(BigInt(llmCall.endTimeUnixNano) + 1_000_000n),
        endTimeUnixNano: String(BigInt(llmCall.endTimeUnixNano) + 251_000_000n),
        messages: toolRun('call_9', 'lookup_order', '{"order":"RB-1"}', 'Error 503 Service Unavailable: the order service is down'),
      };
      await node.service.ingest([...live, failedTool]);
      await page.waitForSelector(`#traffic-table tbody tr[data-id="${LIVE_SESSION}"]`, { timeout: 30_000 });
      expect((await rowIds(page))[0]).toBe(LIVE_SESSION);
      expect(await page.textContent(`#traffic-table tr[data-id="${LIVE_SESSION}"] .badge`)).toBe('settling');
      await page.waitForSelector('#pending .pending-item[data-signal="frustration"][data-scope="session"]', { timeout: 30_000 });
      const line = (await page.textContent('#pending'))!;
      expect(line).toMatch(/frustration: 1 session waiting to settle \(30 min idle\), next in (\d+ h )?\d+ min/);
      expect(line).toContain('task-outcome: 1 session waiting');
      const pending = await get<PendingWork>('/v1/pending');
      expect(pending.waiting.sessions).toBe(1);
      expect(await page.textContent('#live-updated')).toMatch(/^Live · updated/);
      // The idle time passes (the service's clock moves); the session settles and is labelled, the line clears.
      clock += 31 * 60_000;
      await page.waitForSelector('#pending[data-empty="1"]', { timeout: 30_000 });
      await page.waitForSelector(`#traffic-table tr[data-id="${LIVE_SESSION}"] [data-signal="frustration"] .chip`, { timeout: 30_000 });
      expect(await page.textContent(`#traffic-table tr[data-id="${LIVE_SESSION}"] .badge`)).not.toBe('settling');
      expect(await page.evaluate('window.stayed')).toBe(true);
      // The failed tool call on the new session's timeline, with its status, as the spans API has it.
      const liveSpans = await get<{ spanId: string; tool: { name: string; status: string } | null }[]>(`/v1/sessions/${LIVE_SESSION}/spans?agent=${agentOf(STORED)}`);
      expect(liveSpans.find((s) => s.spanId === failedTool.spanId)!.tool).toMatchObject({ name: 'lookup_order', status: 'error' });
      await page.click(`#traffic-table tr[data-id="${LIVE_SESSION}"] td a`);
      await page.waitForSelector(`#timeline .span-row[data-span="${failedTool.spanId}"]`);
      expect(await page.textContent(`#timeline .span-row[data-span="${failedTool.spanId}"]`)).toMatch(/tool lookup_order error/);
      await page.goBack();
      await page.waitForSelector('#traffic-table tbody tr[data-id]');

      // Paused, the view stops asking; resumed, it goes on.
      await page.click('#live-pause');
      expect(await page.textContent('#live-updated')).toMatch(/^Paused/);
      const before = requests.length;
      await page.waitForTimeout(6500);
      expect(requests.slice(before).filter((u) => u.includes('/v1/sessions'))).toEqual([]);
      await page.click('#live-pause');
      expect(await page.textContent('#live-updated')).toMatch(/^Live/);

      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
    });
  }, 240_000);

  it('draws every view at 1280 and 390 px with nothing wider than the screen, a favicon and the navigation on the playground', async () => {
    const item = (await sessionsOf(`&agent=${AGENTS[0]}`))[0];
    const spans = await get<{ traceId: string; spanId: string; kind: string }[]>(`/v1/sessions/${item.id}/spans?agent=${item.agent}`);
    const llm = spans.find((s) => s.kind === 'llm')!;
    const views: [string, string, string][] = [
      ['sessions', '/#/sessions', '#traffic-table tbody tr[data-id]'],
      ['traces', '/#/traces', '#traffic-table tbody tr[data-id]'],
      ['session', `/#/session/${item.id}?agent=${item.agent}`, '#timeline .trace-head'],
      ['trace', `/#/trace/${llm.traceId}?agent=${item.agent}`, '#timeline .span-row'],
      ['span', `/#/span/${llm.spanId}?agent=${item.agent}`, '#timeline .span-row.current'],
      ['signals', '/#/signals', '#signals-table'],
      ['signal', '/#/signal/task-outcome', '#labels-table tbody tr[data-target]'],
      ['agents', '/#/agents', '#traffic-chart svg'],
      ['playground', '/playground', 'header nav'],
    ];
    await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
        for (const [name, path, ready] of views) {
          await page.goto(server.url + path);
          await page.waitForSelector(ready);
          await page.waitForLoadState('networkidle');
          const wide = await page.$eval('html', (html) => html.scrollWidth - html.clientWidth);
          expect(wide, `${name} at ${width} px is wider than the screen`).toBeLessThanOrEqual(0);
          if (name !== 'playground') expect(await junk(page), name).toEqual([]);
          await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
        }
      }
      // The playground has the dashboard's sections; the page has an icon.
      expect(await page.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href')))).toEqual(expect.arrayContaining(['/#/sessions', '/#/traces', '/#/signals', '/#/agents', '/playground']));
      // A draft's page says plainly what its backfill does; the draft labelled nothing.
      await page.goto(server.url + '/#/signal/sentiment');
      expect(await page.textContent('#draft-backfill')).toContain("a backfill does label stored traffic with the draft's definition");
      expect((await get<{ items: unknown[] }>('/v1/signals/sentiment/labels')).items).toEqual([]);
      const icon = await fetch(server.url + '/favicon.svg');
      expect(icon.headers.get('content-type')).toContain('image/svg+xml');
      expect(await icon.text()).toMatch(/^<svg /);
      expect(errors).toEqual([]);
    });
  }, 240_000);
});
