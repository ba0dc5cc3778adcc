/**
 * Stored markup in headless Chromium (Debian's /usr/bin/chromium via playwright-core): traffic whose agent name,
 * span name, model and messages carry HTML and SVG markup, a signal whose prompt and description do, a reviewer's name
 * and note that do. Every dashboard view that shows them renders the markup as text: no element of it reaches the
 * DOM (the CSP would block its scripts anyway; this checks the markup itself never becomes elements), and no CSP
 * violation is reported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { withChromium } from '../helpers/chromium.js';
import { span } from '../service/fixtures.js';
import { storeAsSent } from '../helpers/stored-as-sent.js';

/** Markup that would leave an element marked `data-pwned` (or run a script) if any view parsed it as HTML or SVG. */
const payload = (where: string) =>
  `PWN-${where} <img src="x" data-pwned="${where}" onerror="document.title='pwned'"><svg data-pwned="${where}"><script>document.title='pwned'</script></svg>` +
  `</text><image href="x" data-pwned="${where}"/><a data-pwned="${where}" href="javascript:document.title='pwned'">x</a>`;
/** Agent names are capped (longer ones end in a hash), so the agent's markup is short. */
const AGENT = 'PWN-agent <img src=x data-pwned=agent><svg data-pwned=agent></svg></text><image href=x data-pwned="agent"/>';

/** Characters XML does not allow (a control character, a noncharacter) in an agent name, which the SVG charts show. */
const CONTROL_AGENT = 'ctl\u0001agent\uffff';
/** Agent "shop" with a zero-width space: the dashboard shows it as `shop\u200b`, apart from "shop". */
const LOOK_ALIKE = 'shop\u200b';

let dir: string;
let node: NodeService;
let server: NodeServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-xss-'));
  node = await startNodeService({ SIGNALS_DB: join(dir, 'signals.db') }, { intervalMs: 250 });
  const api = node.service.api;
  await api.createSignal({
    definition: {
      name: 'markup',
      agent: '*',
      scope: 'span',
      type: 'binary',
      description: payload('description'),
      prompt: payload('prompt'),
      judge: 'rules',
      rules: { when: [{ label: 'yes', if: { phrases: ['PWN'] } }], default: 'no' },
    } as never,
    state: 'active',
  });
  const now = Date.now();
  await node.service.ingest([
    span({ traceId: 'x1', spanId: 'x1-root', name: payload('span-name'), agent: AGENT, sessionId: 'sx', startMs: now - 60_000, endMs: now - 50_000 }),
    span({
      traceId: 'x1',
      spanId: 'x1-llm',
      parentSpanId: 'x1-root',
      agent: AGENT,
      sessionId: 'sx',
      kind: 'llm',
      model: payload('model'),
      startMs: now - 59_000,
      endMs: now - 51_000,
      messages: [
        { role: 'user', content: payload('user') },
        { role: 'assistant', content: payload('assistant') },
      ],
    }),
    // Not reviewed: the Review view's queue shows it.
    span({ traceId: 'x2', spanId: 'x2-llm', agent: AGENT, kind: 'llm', startMs: now - 40_000, endMs: now - 39_000, messages: [{ role: 'user', content: payload('queued') }] }),
  ]);
  // Stored as sent (ingest stores names without their invisible characters now; rows stored before keep them): a
  // control character in a name, and a look-alike of agent "shop".
  await storeAsSent(node.store, [
    span({ traceId: 'x3', spanId: 'x3-root', agent: CONTROL_AGENT, startMs: now - 30_000, endMs: now - 29_000 }),
    span({ traceId: 'x4', spanId: 'x4-root', agent: 'shop', startMs: now - 28_000, endMs: now - 27_000 }),
    span({ traceId: 'x5', spanId: 'x5-root', agent: LOOK_ALIKE, startMs: now - 26_000, endMs: now - 25_000 }),
  ], now);
  // The live lane stores and labels the spans on its own tick.
  for (let i = 0; i < 200 && (await api.labels('markup')).items.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  await api.review('markup', { id: 'x1-llm', agent: AGENT, value: 'yes', reviewer: '<img src=x data-pwned=reviewer>PWN-reviewer', note: payload('note') });
  // A second version: the signal view diffs the prompts word by word.
  await api.editSignal('markup', { prompt: payload('prompt2'), description: payload('description2') });
  server = await startNodeServer({ ...configFromEnv({}), signals: node.service }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What the page functions read (the test's TypeScript has no DOM types). */
interface BrowserGlobals {
  document: {
    title: string;
    body: { textContent: string | null };
    querySelector(s: string): { value?: string } | null;
    querySelectorAll(s: string): { length: number };
  };
}

describe('stored markup in the dashboard (Chromium)', () => {
  it('every view shows agent, span, model, message, prompt, reviewer and note markup as text, never as elements', async () => {
    const enc = encodeURIComponent;
    // What each view must show once drawn: text, or for the edit form a field's value (the form holds the stored
    // markup as values, so the page's text has none of it).
    const views: Array<[string, string, string?]> = [
      ['#/sessions', 'PWN-agent'],
      ['#/traces', 'PWN-agent'],
      ['#/agents', 'PWN-agent'],
      [`#/session/sx?agent=${enc(AGENT)}`, 'PWN-user'],
      [`#/trace/x1?agent=${enc(AGENT)}`, 'PWN-assistant'],
      [`#/span/x1-llm?agent=${enc(AGENT)}`, 'PWN-note'],
      ['#/signal/markup', 'PWN-prompt2'],
      ['#/review/markup', 'PWN-queued'],
      ['#/edit/markup', 'PWN-prompt2', '#sf-prompt'],
    ];
    await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${server.url}/`);
      for (const [hash, shown, field] of views) {
        await page.goto(`${server.url}/${hash}`);
        await page
          .waitForFunction(
            ([want, selector]) => {
              const d = (globalThis as unknown as BrowserGlobals).document;
              const text = selector === undefined ? d.body.textContent : (d.querySelector(selector)?.value ?? '');
              return (text ?? '').includes(want);
            },
            [shown, field] as const,
            { timeout: 20_000 },
          )
          .catch(async (err: Error) => {
            throw new Error(`${hash}: "${shown}" never shown (${err.message}); the page says: ${(await page.textContent('body'))?.slice(0, 400)}`);
          });
        // Give any late view (charts, lists) a moment to draw before looking for elements.
        await page.waitForLoadState('networkidle');
        const found = await page.evaluate(() => {
          const d = (globalThis as unknown as BrowserGlobals).document;
          return { pwned: d.querySelectorAll('[data-pwned]').length, title: d.title };
        });
        expect(found, hash).toEqual({ pwned: 0, title: expect.not.stringContaining('pwned') });
      }
      // Form fields hold the markup as values; the page never reported blocking a script or an inline handler.
      expect(violations).toEqual([]);
    });
  });

  it("draws the Agents chart when an agent's name holds characters XML does not allow (the SVG stays well-formed)", async () => {
    await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${server.url}/#/agents`);
      await page.waitForSelector('#traffic-chart > *', { timeout: 20_000 });
      const chart = await page.evaluate(() => {
        const box = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null; querySelectorAll(s: string): { length: number } } | null } }).document.querySelector('#traffic-chart');
        return { rows: box?.querySelectorAll('svg g[data-value]').length ?? 0, errors: box?.querySelectorAll('.error, parsererror').length ?? 0, text: box?.textContent ?? '' };
      });
      expect(chart.errors, chart.text.slice(0, 200)).toBe(0);
      expect(chart.rows).toBe(4);
      // What nobody sees is escaped; what XML cannot hold is U+FFFD.
      expect(chart.text).toContain('ctl\\x01agent\ufffd');
      expect(chart.text).toContain('shop\\u200b');
    });
  });

  it("shows what nobody sees in a stored agent's name as escapes, so names that look alike look different", async () => {
    await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${server.url}/#/agents`);
      await page.waitForSelector('#agents-table tr[data-agent]', { timeout: 20_000 });
      const cells = await page.evaluate(() => {
        const d = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ textContent: string | null }> } }).document;
        return [...d.querySelectorAll('#agents-table tr[data-agent] td:first-child')].map((td) => td.textContent);
      });
      expect(cells.sort()).toEqual([AGENT, 'ctl\\x01agent\uffff', 'shop', 'shop\\u200b'].sort());
      await page.goto(`${server.url}/#/traces?agent=${encodeURIComponent(LOOK_ALIKE)}`);
      await page.waitForSelector('#f-agent option[value="shop"]', { state: 'attached', timeout: 20_000 });
      const shown = await page.evaluate(() => {
        const d = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null; querySelectorAll(s: string): Iterable<{ textContent: string | null; value: string }> } }).document;
        return { title: d.querySelector('h1')?.textContent, options: [...d.querySelectorAll('#f-agent option')].map((o) => [o.value, o.textContent]) };
      });
      expect(shown.title).toBe('Traces of shop\\u200b');
      expect(shown.options).toContainEqual([LOOK_ALIKE, 'shop\\u200b']);
      expect(shown.options).toContainEqual(['shop', 'shop']);
    });
  });
});
