/**
 * The dashboard in headless Chromium with a key scoped to one agent (SIGNALS_AGENT_KEYS) saved as its token: every
 * view it links to opens without an error and shows that agent's traffic and signal, nothing of the other agent
 * stored beside it (its name, its signal, its conversation text), and says alerts are the operator's; it offers only
 * what the key may do (GET /v1/whoami): no edit, state, test, backfill, new signal or alert actions (which the
 * operator's token shows on the same page), no request answered 403, and review works. Screenshots go to
 * test-output/dashboard-agent-key-*.png.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { createSignalsService } from '../../src/service/service.js';
import type { Store } from '../../src/store/types.js';
import type { Page } from 'playwright-core';
import { withChromium } from '../helpers/chromium.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { refundSignal, turn } from '../service/fixtures.js';

const OPERATOR = 'operator-token-dashboard';
const ALPHA_KEY = 'alpha-dashboard-key-0123456789';
const sha = (key: string) => createHash('sha256').update(key).digest('hex');
const BETA_SECRET = 'beta-only-refund-for-order-7731';
const OUT = 'test-output';

let dir: string;
let store: Store;
let server: NodeServer;

beforeAll(async () => {
  dir = newStoreDir('signals-dashboard-key-');
  store = await openTestStore(dir);
  const now = Date.now();
  const service = createSignalsService(store);
  for (const agent of ['agent-alpha', 'agent-beta']) await service.api.createSignal({ definition: { ...refundSignal('span'), name: `${agent}-refund`, agent } as never, state: 'active' });
  // A second version: the operator's signal view offers Restore for the first.
  await service.api.editSignal('agent-alpha-refund', { description: 'refunds of agent alpha' });
  await service.ingest(turn({ traceId: 'alpha-trace-1', sessionId: 'alpha-session', at: now - 600_000, user: 'alpha would like a refund', agent: 'agent-alpha' }));
  await service.ingest(turn({ traceId: 'beta-trace-1', sessionId: 'beta-session', at: now - 300_000, user: `please: ${BETA_SECRET}`, agent: 'agent-beta' }));
  const env = { SIGNALS_API_TOKEN: OPERATOR, SIGNALS_AGENT_KEYS: `agent-alpha=sha256:${sha(ALPHA_KEY)}` };
  server = await startNodeServer({ ...configFromEnv(env), signals: service }, 0, '127.0.0.1');
  mkdirSync(OUT, { recursive: true });
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  removeStoreDir(dir);
});

describe('dashboard with a key scoped to one agent', () => {
  it("shows that agent's views without errors and nothing of the other agent", async () => {
    await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      const { errors, refused } = watch(page);
      await page.goto(server.url + '/');
      await page.fill('#token', ALPHA_KEY);
      await page.press('#token', 'Enter');
      const views: Array<[string, string]> = [
        ['signals', 'agent-alpha-refund'],
        ['signal/agent-alpha-refund', 'Alerts are the operator'],
        ['agents', 'agent-alpha'],
        ['sessions', 'alpha-session'],
        ['traces', 'alpha-trace-1'],
        ['session/alpha-session?agent=agent-alpha', 'alpha would like a refund'],
        ['review', 'agent-alpha-refund'],
      ];
      for (const [hash, expected] of views) {
        await show(page, hash);
        await page.waitForSelector(`#view-error, #view :text("${expected}")`, { timeout: 30_000 });
        const text = await page.innerText('body');
        await page.screenshot({ path: `${OUT}/dashboard-agent-key-${hash.split(/[/?]/)[0]}.png`, fullPage: true });
        expect(await page.$('#view-error'), `#/${hash}: ${text.slice(0, 400)}`).toBeNull();
        expect(text, `#/${hash}`).toContain(expected);
        for (const marker of ['agent-beta', BETA_SECRET, 'beta-session', 'beta-trace']) expect(text, `#/${hash} shows ${marker}`).not.toContain(marker);
      }
      // No view asks for what the key may not read (the operator's pending work, alerts, providers).
      expect(refused).toEqual([]);
      expect(errors).toEqual([]);
    });
  });

  it('offers only the actions the key may take (the operator sees them on the same pages); review works', async () => {
    await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      const { errors, refused } = watch(page);
      const open = async (hash: string, selector: string) => {
        await show(page, hash);
        await page.waitForSelector(`#view-error, ${selector}`, { timeout: 30_000 });
        expect(await page.$('#view-error'), `#/${hash}`).toBeNull();
      };
      const present = async (selectors: string[]) => Promise.all(selectors.map(async (sel) => ((await page.$(sel)) === null ? null : sel)));
      const actions = ['#edit-signal', '#test', '#backfill', 'button[data-state]', '#new-alert', '#versions-table button'];
      await page.goto(server.url + '/');

      // The operator's token: the same selectors find every action (what the key misses below is really missing).
      await saveToken(page, OPERATOR);
      await open('signal/agent-alpha-refund', '#edit-signal');
      expect(await present(actions)).toEqual(actions);
      expect(await page.isVisible('nav a[data-nav="new"]')).toBe(true);
      expect(await page.isVisible('#caller')).toBe(false);
      refused.length = 0;

      await saveToken(page, ALPHA_KEY);
      await open('signals', '#signals-table');
      expect(await present(['#new-signal', '#create-form', 'button[data-state]'])).toEqual([null, null, null]);
      expect(await page.isVisible('nav a[data-nav="new"]')).toBe(false);
      expect(await page.innerText('#caller')).toBe('Key of agent agent-alpha');
      expect(await page.innerText('#signals-operator-only')).toContain("the operator's");
      await page.screenshot({ path: `${OUT}/dashboard-agent-key-actions-signals.png`, fullPage: true });

      await open('signal/agent-alpha-refund', '#test-operator-only');
      expect(await present(actions)).toEqual(actions.map(() => null));
      for (const id of ['#test-operator-only', '#backfill-operator-only', '#alerts-operator']) expect(await page.innerText(id), id).toContain("operator's");
      await page.screenshot({ path: `${OUT}/dashboard-agent-key-actions-signal.png`, fullPage: true });

      for (const hash of ['new', 'edit/agent-alpha-refund']) {
        await open(hash, '#form-operator-only');
        expect(await page.$('#signal-form'), hash).toBeNull();
      }
      await open('alert/new?signal=agent-alpha-refund', '#alert-operator-only');
      expect(await page.$('#alert-form'), 'alert form').toBeNull();

      // Review: the action a key may take, end to end.
      await open('review/agent-alpha-refund', '#review-messages .msg');
      await page.fill('#reviewer', 'alpha-reviewer');
      await page.click('#review-buttons button[data-label="no"]');
      await page.locator('#notice', { hasText: /: no/ }).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: `${OUT}/dashboard-agent-key-actions-review.png`, fullPage: true });
      const res = await fetch(`${server.url}/v1/signals/agent-alpha-refund/labels`, { headers: { authorization: `Bearer ${OPERATOR}` } });
      const items = ((await res.json()) as { items: Array<{ judge: string; reviewer: string | null; value: string }> }).items;
      expect(items.filter((l) => l.judge === 'human').map((l) => [l.reviewer, l.value])).toEqual([['alpha-reviewer', 'no']]);

      // On a phone: the header with the key's badge and the signal page fit the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await open('signal/agent-alpha-refund', '#test-operator-only');
      expect(await page.isVisible('#caller')).toBe(true);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.screenshot({ path: `${OUT}/dashboard-agent-key-actions-signal-390.png`, fullPage: true });

      expect(refused).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});

/** The page's script errors and the requests answered 403, as they happen. */
function watch(page: Page): { errors: string[]; refused: string[] } {
  const errors: string[] = [];
  const refused: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    if (r.status() === 403) refused.push(`${r.request().method()} ${r.url()}`);
  });
  return { errors, refused };
}

/**
 * Opens `#/hash` and waits until the view has drawn that route (`data-drawn`, set by the router once a view or its
 * error is drawn): text or selectors alone could match the view being left (an error drawn before a token was saved,
 * an agent's name in the header).
 */
async function show(page: Page, hash: string): Promise<void> {
  await page.evaluate('delete document.getElementById("view").dataset.drawn');
  await page.goto(`${server.url}/#/${hash}`);
  await page.waitForSelector(`#view[data-drawn=${JSON.stringify(`#/${hash}`)}]`, { timeout: 30_000 });
}

/** Saves `token` in the page's token field, as a person does. */
async function saveToken(page: Page, token: string): Promise<void> {
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  // A function, not a string: the page's CSP allows no string eval, which polling a string predicate needs.
  await page.waitForFunction((want) => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('agent-signals-token') === want, token);
}
