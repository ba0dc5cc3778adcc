/**
 * Issue 23 acceptance 2, in Debian Chromium against the Node server with only SIGNALS_LLM_* set (a local fake
 * OpenAI-compatible server as the default provider, allowed by SIGNALS_OUTBOUND_ALLOW): a yes/no signal and a
 * 3-label signal created through the form (nothing typed but names, prompts and labels), tested on the last 24
 * hours, activated; the prompt edited (version 2, the change listed); an alert with a webhook channel and a
 * cooldown created in the alert form, backtested, fired to a local webhook receiver, its history with the fire,
 * the delivery, a pause and a resume; the notification's link followed to the signal's view. Screenshots at 1280
 * and 390 px go to test-output/screenshots/forms-*.png (the docs' pictures: npm run docs:screenshots).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/types.js';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import type { LabelRow, Page as LabelPage } from '../../src/service/api.js';
import { conversationToSpans } from '../../src/service/demo-traffic.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { screenshotDir, withChromium } from '../helpers/chromium.js';
import { answer, type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.js';

const AGENT = 'shop-assistant';
const HOUR = 3_600_000;
const SHOTS = screenshotDir();

// Our own small conversations: what the users ask decides what the fake model answers.
const ASKS = [
  'I want a refund for order 1182, the kettle arrived broken.',
  'Where is my parcel? It was due on Monday.',
  'Can you recommend a good kettle for a small kitchen?',
  'Please give me my money back, I was charged twice (refund please).',
  'My delivery has not arrived and tracking says nothing.',
  'What colours does the toaster come in?',
];
const conversation = (ask: string): Message[] => [
  { from: 'human', value: ask },
  { from: 'gpt', value: 'Thanks for reaching out. Let me look into that for you.' },
];
/** What the fake model answers for a user text, by the labels the request's schema allows. */
function verdict(user: string, allowed: string[]): { label: string; explanation: string } {
  const refund = /refund|money back/i.test(user);
  const delivery = /parcel|delivery|tracking/i.test(user);
  if (allowed.includes('yes')) return refund ? { label: 'yes', explanation: 'The user asks for their money back.' } : { label: 'no', explanation: 'No refund is asked for.' };
  const label = refund ? 'refund' : delivery ? 'delivery' : 'other';
  return { label, explanation: `The user's request is about ${label}.` };
}

let dir: string;
let model: FakeOpenAi;
let node: NodeService;
let server: NodeServer;
let receiver: Server;
let receiverUrl: string;
const hooks: Record<string, unknown>[] = [];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function ingestAsks(prefix: string, from: number, startMs: number) {
  return Promise.all(
    ASKS.map((ask, i) =>
      node.service.ingest(
        conversationToSpans(conversation(ask), {
          agent: AGENT,
          sessionId: `${prefix}-${i + 1}`,
          startMs: startMs + i * 60_000,
          turnMs: 30_000,
          traceIdPrefix: `${(from + i).toString(16).padStart(6, '0')}`,
        }),
      ),
    ),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-forms-ui-'));
  model = await startFakeOpenAi();
  model.fallback = (req) => {
    const user = (req.body.messages as { role: string; content: string }[]).filter((m) => m.role === 'user').map((m) => m.content).join('\n');
    const allowed = (req.body.response_format?.json_schema?.schema?.properties?.label?.enum as string[] | undefined) ?? ['yes', 'no'];
    const v = verdict(user, allowed);
    return answer(v.label, v.explanation);
  };
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/signals`;
  const port = await freePort();
  const env = {
    SIGNALS_DB: join(dir, 'signals.db'),
    SIGNALS_LLM_BASE_URL: model.baseUrl,
    SIGNALS_LLM_MODEL: 'fake-judge-1',
    SIGNALS_LLM_API_KEY: 'sk-forms-test',
    SIGNALS_OUTBOUND_ALLOW: '127.0.0.1',
    SIGNALS_DASHBOARD_URL: `http://127.0.0.1:${port}`,
  };
  // Sessions settle 1.2 s after their last span, so live labels show within the test.
  node = await startNodeService(env, { intervalMs: 250, sessionIdleMinutes: 0.02, onError: () => undefined });
  await ingestAsks('earlier', 0x100, Date.now() - 20 * HOUR);
  server = await startNodeServer({ ...configFromEnv({}), signals: node.service }, port, '127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  await node?.stop();
  await model?.close();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  rmSync(dir, { recursive: true, force: true });
});

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: `${SHOTS}/forms-${name}.png`, fullPage });
async function labelsOf(signal: string): Promise<LabelRow[]> {
  const res = await fetch(`${server.url}/v1/signals/${signal}/labels?limit=100`);
  return ((await res.json()) as LabelPage<LabelRow>).items;
}
async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, seconds = 60): Promise<T> {
  let v = await what();
  for (let i = 0; i < seconds * 4 && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 250));
    v = await what();
  }
  return v;
}
const userOf = (i: number) => ASKS[i];
const expectedRows = (allowed: string[]) => ASKS.map((_, i) => verdict(userOf(i), allowed));

describe('signal and alert forms in Chromium', () => {
  it('creates a yes/no and a 3-label signal, tests, activates, edits the prompt, alerts to a webhook and follows its link', async () => {
    await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));

      // New yes/no signal: name, prompt, the defaults (session scope, yes/no, the default provider's LLM, all traffic).
      await page.goto(server.url + '/#/signals');
      await page.click('#new-signal');
      await page.waitForSelector('#sf-name');
      expect(await page.inputValue('#sf-agent')).toBe(AGENT);
      expect(await page.isChecked('#sf-scope-session')).toBe(true);
      expect(await page.isChecked('#sf-type-binary')).toBe(true);
      expect(await page.inputValue('#sf-judge')).toBe('llm');
      expect(await page.textContent('#sf-provider')).toContain('default · fake-judge-1');
      await page.fill('#sf-name', 'refund');
      await page.fill('#sf-prompt', 'Does the user ask for a refund?');

      // Test on the last 24 hours: the six stored sessions, newest first, as the model judged them; nothing stored.
      await page.selectOption('#sf-test-window', '24h');
      await page.fill('#sf-test-n', '10');
      await page.click('#sf-test');
      await page.waitForSelector('#sf-test-table');
      const tested = await page.$$eval('#sf-test-table tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-target'), tr.querySelector('.chip')!.textContent, tr.querySelector('.expl')!.textContent]));
      const want = expectedRows(['yes', 'no']).map((v, i) => [`earlier-${i + 1}`, v.label, v.explanation]).reverse();
      expect(tested).toEqual(want);
      expect(await page.textContent('#sf-test-summary')).toContain('6 most recent sessions classified');
      expect((await (await fetch(`${server.url}/v1/signals`)).json()) as unknown[]).toEqual([]);
      await shot(page, 'new-signal');

      // Activate: version 1, active, with the defaults in its definition.
      await page.click('#sf-activate');
      await page.waitForSelector('h1 .badge.active');
      const refund = (await (await fetch(`${server.url}/v1/signals/refund`)).json()) as { id: string; definition: Record<string, unknown>; version: number };
      expect(refund.version).toBe(1);
      expect(refund.definition).toMatchObject({ name: 'refund', agent: AGENT, scope: 'session', type: 'binary', judge: 'llm', sample_rate: 1, prompt: 'Does the user ask for a refund?' });
      expect(refund.definition.llm).toBeUndefined();

      // A 3-label signal: the label editor (two rows to start, one added), an error placed next to its row.
      await page.click('nav a[data-nav="new"]');
      await page.waitForSelector('#sf-name');
      await page.fill('#sf-name', 'request-kind');
      await page.fill('#sf-prompt', 'What is the user asking about?');
      await page.check('#sf-type-labels');
      await expect.poll(() => page.locator('#sf-labels .label-row').count()).toBe(2);
      const names = page.locator('#sf-labels .label-name');
      await names.nth(0).fill('refund');
      await names.nth(1).fill('refund');
      await page.click('#sf-add-label');
      await names.nth(2).fill('other');
      await page.locator('#sf-labels .label-desc').nth(0).fill('money back, a return or a chargeback');
      await page.click('#sf-save-draft');
      await page.waitForSelector('#err-label-1:not([hidden])');
      expect(await page.textContent('#err-label-1')).toContain('duplicate label "refund"');
      expect(await page.getAttribute('#sf-labels .label-row:nth-child(2) .label-name', 'aria-invalid')).toBe('true');
      await shot(page, 'label-error');
      await names.nth(1).fill('delivery');
      await page.locator('#sf-labels .label-desc').nth(1).fill('where an order is, late or lost parcels');
      await page.selectOption('#sf-sample', '0.5');
      await page.click('#sf-test');
      await page.waitForSelector('#sf-test-table');
      const tested3 = await page.$$eval('#sf-test-table tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-target'), tr.querySelector('.chip')!.textContent]));
      expect(tested3).toEqual(expectedRows(['refund', 'delivery', 'other']).map((v, i) => [`earlier-${i + 1}`, v.label]).reverse());
      await shot(page, 'labels-signal');
      await page.click('#sf-save-draft');
      await page.waitForSelector('h1 .badge.draft');
      const kind = (await (await fetch(`${server.url}/v1/signals/request-kind`)).json()) as { definition: Record<string, unknown> };
      expect(kind.definition).toMatchObject({
        type: 'labels',
        sample_rate: 0.5,
        labels: [
          { name: 'refund', description: 'money back, a return or a chargeback' },
          { name: 'delivery', description: 'where an order is, late or lost parcels' },
          { name: 'other' },
        ],
      });
      await page.click('button[data-state="active"]');
      await page.waitForSelector('h1 .badge.active');

      // Edit the yes/no signal's prompt: version 2, the change listed in the notice and the versions table.
      // While the refund signal loads (its answer held here), the request-kind view being left takes no click: its
      // Edit button must not open the signal just left.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(
        '**/v1/signals/refund',
        async (r) => {
          await held;
          await r.continue();
        },
        { times: 1 },
      );
      await page.goto(`${server.url}/#/signal/refund`);
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { getElementById(id: string): { inert: boolean } } }).document.getElementById('view').inert)).toBe(true);
      await expect(page.click('#edit-signal', { timeout: 1_000 })).rejects.toThrow(/Timeout/);
      expect(await page.isVisible('#sf-prompt')).toBe(false);
      release();
      await page.waitForSelector('h1 .badge.active');
      await page.click('#edit-signal');
      await page.waitForSelector('#sf-prompt');
      expect(await page.isDisabled('#sf-scope-session')).toBe(true);
      expect(await page.getAttribute('#sf-name', 'readonly')).not.toBeNull();
      await page.fill('#sf-prompt', 'Does the user ask for a refund or their money back?');
      await page.click('#sf-save');
      await page.waitForSelector('#versions-table tr[data-version="2"]');
      expect(await page.textContent('#notice')).toBe(
        'Version 2 saved: prompt: "Does the user ask for a refund?" → "Does the user ask for a refund or their money back?"',
      );
      expect(await page.textContent('h1')).toContain('version 2');
      expect(await page.$$eval('#versions-table tr[data-version="2"] ins.diff', (n) => n.map((x) => x.textContent))).toEqual([' or their money back']);
      expect(await page.$$eval('#versions-table tr[data-version="2"] del.diff', (n) => n.map((x) => x.textContent))).toEqual([]);
      await page.locator('#versions-table').scrollIntoViewIfNeeded();
      await shot(page, 'versions', false);

      // New traffic is labelled live by version 2.
      await ingestAsks('later', 0x200, Date.now() - 10 * 60_000);
      const live = await until(() => labelsOf('refund'), (l) => l.filter((x) => x.targetId.startsWith('later-')).length === ASKS.length);
      expect(live.filter((x) => x.targetId.startsWith('later-')).map((l) => [l.targetId, l.value, l.version]).sort()).toEqual(
        expectedRows(['yes', 'no']).map((v, i) => [`later-${i + 1}`, v.label, 2]).sort(),
      );

      // An alert in the alert form: share of yes above 10% over 1 hour, every 10 s, cooldown 15 minutes, a webhook.
      await page.click('#new-alert');
      await page.waitForSelector('#af-name');
      await page.fill('#af-name', 'refund-spike');
      expect(await page.inputValue('#af-metric')).toBe('true_rate');
      await page.fill('#af-threshold', '10');
      await page.selectOption('#af-window', '1h');
      await page.selectOption('#af-every', '10s');
      await page.selectOption('#af-cooldown', '15m');
      await page.click('#af-add-channel');
      await page.selectOption('#af-channels .ch-type', 'webhook');
      // A destination the outbound policy refuses is an error on the channel's row.
      await page.fill('#af-channels .ch-dest', 'http://10.1.2.3/hook');
      await page.click('#af-save');
      await page.waitForSelector('#err-channel-0:not([hidden])');
      expect(await page.textContent('#err-channel-0')).toMatch(/private|not allowed|SIGNALS_OUTBOUND_ALLOW/);
      await page.fill('#af-channels .ch-name', 'ops-hook');
      await page.fill('#af-channels .ch-dest', receiverUrl);
      await page.selectOption('#af-backtest-window', '24h');
      await page.click('#af-backtest');
      await page.waitForSelector('#af-backtest-chart svg');
      expect(await page.textContent('#af-backtest-summary')).toMatch(/^\d+ evaluations, [1-9]\d* transitions, [1-9]\d* notifications would have been sent$/);
      expect(await page.textContent('#af-backtest-result table tbody tr td:nth-child(4)')).toMatch(/^(\d{1,3}(\.\d)?%|no data)$/);
      await shot(page, 'alert-form');
      await page.click('#af-save');
      await page.waitForURL(/#\/alert\/alt_/);
      await page.waitForSelector('h1 .badge');
      const alerts = (await (await fetch(`${server.url}/v1/alerts`)).json()) as { id: string; rule: Record<string, unknown> }[];
      expect(alerts).toHaveLength(1);
      expect(alerts[0].rule).toMatchObject({ name: 'refund-spike', signal: 'refund', metric: 'true_rate', comparison: 'above', threshold: 0.1, window: '1h', every: '10s', cooldown: '15m', channels: [{ type: 'webhook', name: 'ops-hook', url: receiverUrl }] });

      // It fires: the receiver gets the notification with the link to the signal's page.
      const fired = await until(async () => hooks.filter((b) => b.type === 'alert.firing'), (h) => h.length > 0, 90);
      expect(fired).toHaveLength(1);
      expect(fired[0]).toMatchObject({ alert: 'refund-spike', signal: 'refund', link: `${server.url}/signals/refund` });

      // History: the fire and the delivery; then a pause and a resume, each recorded.
      await until(async () => (await (await fetch(`${server.url}/v1/alerts/${alerts[0].id}/history`)).json()) as { type: string }[], (h) => h.some((e) => e.type === 'delivery'));
      await page.reload();
      await page.waitForSelector('#af-history tr[data-event="Fired"]');
      await page.waitForSelector('#af-history tr[data-event="Notified webhook"]');
      // A share is shown as people read it (33.3%), not as 0.3333.
      expect(await page.textContent('#af-history tr[data-event="Fired"] td:nth-child(3)')).toMatch(/^\d{1,3}(\.\d)?%$/);
      await page.click('#af-pause');
      await page.waitForSelector('#af-history tr[data-event="Paused"]');
      await page.click('#af-pause');
      await page.waitForSelector('#notice:has-text("resumed")');
      // A resume is recorded as the transition out of paused at the next evaluation (every 10 s).
      const resumed = await until(
        async () => {
          await page.reload();
          await page.waitForSelector('#af-history');
          return page.locator('#af-history tr[data-event="Resumed"]').count();
        },
        (n) => n > 0,
        60,
      );
      expect(resumed).toBe(1);
      await page.locator('#af-history').scrollIntoViewIfNeeded();
      await shot(page, 'alert-history');

      // Edit the alert in the same form: the change is listed.
      await page.selectOption('#af-cooldown', '1h');
      await page.click('#af-save');
      await page.waitForSelector('#notice:has-text("Saved refund-spike: cooldown")');

      // Follow the notification's link: the signal's view.
      await page.goto(String(fired[0].link));
      await page.waitForSelector('#labels-table tbody tr[data-target]');
      expect(page.url()).toMatch(/#\/signal\/refund$/);
      expect(await page.textContent('h1')).toContain('refund');
      expect(await page.textContent('#alerts-table tr[data-alert="refund-spike"]')).toContain('webhook (ops-hook)');

      // On a phone: the forms in one column, nothing wider than the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = () => page.$eval('html', (html) => html.scrollWidth - html.clientWidth);
      await page.goto(`${server.url}/#/new?template=frustration`);
      await page.waitForSelector('#sf-name');
      expect(await page.inputValue('#sf-name')).toBe('frustration');
      expect(await page.textContent('#sf-judge')).toContain('rules');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot(page, 'phone-new-signal');
      await page.goto(`${server.url}/#/edit/request-kind`);
      await page.waitForSelector('#sf-labels .label-row');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.locator('#sf-labels').scrollIntoViewIfNeeded();
      await shot(page, 'phone-labels', false);
      await page.goto(`${server.url}/#/alert/${alerts[0].id}`);
      await page.waitForSelector('#af-history');
      await shot(page, 'phone-alert');
      expect(await overflow()).toBeLessThanOrEqual(0);

      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
    });
  }, 240_000);
});
