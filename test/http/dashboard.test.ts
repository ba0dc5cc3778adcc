/**
 * The dashboard in headless Chromium (Debian's /usr/bin/chromium via playwright-core) against the Node server with
 * a temp libsql store holding the bundled sample as an agent's traffic: create a signal from a template, test it,
 * activate it, ingest traffic, see labels appear, filter by value, open a target, backfill, create an alert and
 * backtest it; then the same pages on a phone-sized screen. Screenshots go to test-output/dashboard-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
import { withChromium } from '../helpers/chromium.js';
import { sampleJsonl } from '../helpers/sample.js';

const AGENT = 'ridgeline-support';
const HOUR = 3_600_000;
const OUT = 'test-output';
const conversations = sampleJsonl<{ id: string; messages: Message[] }>('sharegpt');
// The first 13 conversations are the traffic already stored; the other 12 arrive after the signal is active.
const SEEDED = 13;

function spansOf(i: number, now: number) {
  // Seeded traffic over 24 h to 12 h ago, the later traffic over 12 h to 1 h ago.
  const startMs = i < SEEDED ? now - 24 * HOUR + i * HOUR : now - 12 * HOUR + (i - SEEDED) * 55 * 60_000;
  return conversationToSpans(conversations[i].messages, {
    agent: AGENT,
    sessionId: `demo-session-${String(i + 1).padStart(2, '0')}`,
    startMs,
    turnMs: 40_000,
    traceIdPrefix: `de${(i + 1).toString(16).padStart(4, '0')}`,
  });
}

let dir: string;
let node: NodeService;
let server: NodeServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-dashboard-ui-'));
  // Sessions settle 1.2 s after their last span arrives (30 min by default), so live labels show within the test.
  node = await startNodeService({ SIGNALS_DB: join(dir, 'signals.db') }, { intervalMs: 250, sessionIdleMinutes: 0.02 });
  const now = Date.now();
  for (let i = 0; i < SEEDED; i++) await node.service.ingest(spansOf(i, now));
  server = await startNodeServer({ ...configFromEnv({}), signals: node.service }, 0, '127.0.0.1');
  mkdirSync(OUT, { recursive: true });
});
afterAll(async () => {
  await server?.close();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: `${OUT}/dashboard-${name}.png`, fullPage });
const chips = (page: Page, selector: string) => page.$$eval(`${selector} .chip`, (nodes) => nodes.map((n) => n.textContent));
async function labelsOf(query: string): Promise<LabelRow[]> {
  const res = await fetch(`${server.url}/v1/signals/frustration/labels?limit=100${query}`);
  return ((await res.json()) as LabelPage<LabelRow>).items;
}

describe('dashboard in Chromium', () => {
  it('creates, tests and activates a signal, shows live labels, filters, opens a target, backfills, alerts and backtests', async () => {
    await withChromium(async (context) => {
      const requests: string[] = [];
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('request', (r) => requests.push(r.url()));
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));

      // Signals: none yet; create one from the frustration template for the agent already seen.
      await page.goto(server.url + '/');
      await page.waitForSelector('#create-form');
      await page.selectOption('#template', 'frustration');
      await page.click('#create');
      await page.waitForSelector('#sf-name');
      expect(await page.inputValue('#sf-agent')).toBe(AGENT);
      expect(await page.inputValue('#sf-name')).toBe('frustration');
      await page.click('#sf-save-draft');
      await page.waitForSelector('h1 .badge.draft');
      expect(page.url()).toMatch(/#\/signal\/sig_/);
      expect(await page.textContent('h1')).toContain('frustration');

      // Test: the preview over stored sessions, nothing written.
      await page.fill('#test-sample', '13');
      await page.click('#test');
      await page.waitForSelector('#test-result table');
      const tested = await chips(page, '#test-result table');
      expect(tested).toHaveLength(SEEDED);
      expect(tested.every((v) => v === 'yes' || v === 'no')).toBe(true);
      expect(tested).toContain('yes');
      expect(await labelsOf('')).toEqual([]);
      await shot(page, 'test');

      // Activate, then new traffic arrives and is labelled live once its sessions go quiet.
      await page.click('button[data-state="active"]');
      await page.waitForSelector('h1 .badge.active');
      const now = Date.now();
      for (let i = SEEDED; i < conversations.length; i++) await node.service.ingest(spansOf(i, now));
      let live: LabelRow[] = [];
      for (let tries = 0; tries < 60 && live.length < conversations.length - SEEDED; tries++) {
        await new Promise((r) => setTimeout(r, 500));
        live = await labelsOf('');
      }
      expect(live).toHaveLength(conversations.length - SEEDED);
      expect(live.every((l) => l.runId === null)).toBe(true);
      await page.reload();
      await page.waitForSelector('#labels-table tbody tr[data-target]');
      const rows = await page.$$eval('#labels-table tbody tr[data-target]', (trs) => trs.map((tr) => [tr.getAttribute('data-target'), tr.querySelector('.chip')!.textContent]));
      expect(rows).toEqual(live.map((l) => [l.targetId, l.value]));
      await page.waitForSelector('#chart svg g[data-value="yes"]');
      expect(await page.$$eval('#chart svg g[data-value]', (gs) => gs.map((g) => g.getAttribute('data-value')))).toEqual(['yes', 'no']);
      // yes and no chips have different colours.
      const colours = await page.$$eval('#labels-table .chip', (cs) => [...new Set(cs.map((c) => `${c.textContent}=${c.getAttribute('style')}`))].sort());
      expect(colours).toHaveLength(2);
      await shot(page, 'signal');

      // Filter by value: only the yes labels, as the API lists them.
      const yes = live.filter((l) => l.value === 'yes');
      expect(yes.length).toBeGreaterThan(0);
      await page.selectOption('#filter-value', 'yes');
      await expect.poll(() => page.locator('#labels-table tbody tr[data-target]').count()).toBe(yes.length);
      expect(await page.$$eval('#labels-table tbody tr[data-target]', (trs) => trs.map((tr) => tr.getAttribute('data-target')))).toEqual(yes.map((l) => l.targetId));
      expect(new Set(await chips(page, '#labels-table'))).toEqual(new Set(['yes']));
      expect(page.url()).toContain('value=yes');

      // Open a target: its messages, the built-in signals on the messages they point at, and the custom label.
      const first = yes[0];
      await page.click(`#labels-table tr[data-target="${first.targetId}"] a`);
      await page.waitForSelector('#messages .msg');
      const target = (await (await fetch(`${server.url}/v1/targets/session/${first.targetId}`)).json()) as { messages: Message[]; report: unknown };
      expect(await page.$$eval('#messages .msg', (m) => m.length)).toBe(target.messages.length);
      const pointed = new Set((JSON.stringify(target.report).match(/"message_index":\d+/g) ?? []).map((m) => Number(m.split(':')[1])));
      // Problems flagged in red, good news (satisfaction) in green: every message a built-in signal points at is marked.
      const flagged = await page.$$eval('.msg.flagged, .msg.praised', (nodes) => nodes.map((n) => Number(n.getAttribute('data-index'))));
      expect(new Set(flagged)).toEqual(pointed);
      expect(await page.textContent('#target-labels [data-signal="frustration"] .chip')).toBe('yes');
      expect(await page.textContent('#target-labels [data-signal="frustration"] p')).toBe(first.explanation);
      await shot(page, 'target');
      if (pointed.size > 0) {
        await page.click('#builtin-signals a');
        expect(await page.locator('.msg.flagged:focus, .msg.praised:focus').count()).toBe(1);
      }

      // Back to the signal: backfill the stored traffic, with progress, until done.
      await page.goBack();
      await page.waitForSelector('#backfill');
      await page.selectOption('#backfill-window', '48h');
      await page.click('#backfill');
      await page.waitForSelector('#backfill-progress[data-status="done"]', { timeout: 30_000 });
      // Every session of the window is done; those labelled live already are skipped, the seeded ones get labels.
      const n = conversations.length;
      expect(await page.textContent('#backfill-progress')).toContain(`done: ${n} / ${n} targets`);
      await page.waitForSelector('#runs-table .badge.done');
      expect((await labelsOf('')).filter((l) => l.runId !== null)).toHaveLength(SEEDED);

      // Edit: a lower sample rate is a new version, listed with the first.
      await page.click('#edit-signal');
      await page.waitForSelector('#sf-sample');
      await page.selectOption('#sf-sample', '0.5');
      await page.click('#sf-save');
      await page.waitForSelector('#notice:has-text("Version 2 saved: sample_rate: 1 → 0.5")');
      expect(await page.textContent('#notice')).toBe('Version 2 saved: sample_rate: 1 → 0.5');
      await expect.poll(() => page.locator('#versions-table tbody tr').count()).toBe(2);
      expect(await page.textContent('h1')).toContain('version 2');

      // An alert on the share of yes in the alert form: its backtest over the last 48 hours, then saved.
      await page.click('#new-alert');
      await page.waitForSelector('#af-name');
      await page.fill('#af-name', 'frustration-high');
      await page.selectOption('#af-metric', 'true_rate');
      await page.fill('#af-threshold', '25');
      await page.selectOption('#af-window', '6h');
      await page.fill('#af-min', '2');
      await page.selectOption('#af-backtest-window', '48h');
      await page.click('#af-backtest');
      await page.waitForSelector('#af-backtest-chart svg');
      const summary = (await page.textContent('#af-backtest-summary'))!;
      expect(summary).toMatch(/^\d+ evaluations, \d+ transitions, \d+ notifications would have been sent$/);
      const evaluations = Number(summary.split(' ')[0]);
      expect(evaluations).toBeGreaterThanOrEqual(47 * 60);
      await page.locator('#af-backtest-result').scrollIntoViewIfNeeded();
      await shot(page, 'alert-backtest');
      await page.click('#af-save');
      await page.waitForSelector('h1:has-text("frustration-high")');
      expect(page.url()).toMatch(/#\/alert\/alt_/);

      // Agents: the traffic and the signal on it.
      await page.click('nav a[data-nav="agents"]');
      await page.waitForSelector('#agents-table');
      await page.waitForSelector(`#traffic-chart svg g[data-value="${AGENT}"]`);
      expect(await page.textContent(`#agents-table tr[data-agent="${AGENT}"]`)).toContain('frustration (active)');
      await shot(page, 'agents');

      // Signals list: state, version and the 24 h distribution bar.
      await page.click('nav a[data-nav="signals"]');
      await page.waitForSelector('#signals-table tr[data-signal="frustration"] .dist span');
      await shot(page, 'signals');

      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
    });
  }, 180_000);

  it('is usable on a phone-sized screen and from the keyboard', async () => {
    await withChromium(async (context) => {
      const page = await context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = () => page.$eval('html', (html) => html.scrollWidth - html.clientWidth);
      await page.goto(server.url + '/');
      await page.waitForSelector('#signals-table');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot(page, 'phone-signals', false);
      // Keyboard: tab to the first link in the table and follow it with Enter.
      await page.focus('#signals-table a');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#labels-table');
      await page.waitForSelector('#chart svg');
      expect(await page.locator('#view:focus').count()).toBe(1);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot(page, 'phone-signal', false);
      await page.locator('#labels-table').scrollIntoViewIfNeeded();
      await shot(page, 'phone-labels', false);
      await page.click('#labels-table tbody tr[data-target] a');
      await page.waitForSelector('#messages .msg');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot(page, 'phone-target', false);
      await page.close();
    });
  }, 120_000);
});
