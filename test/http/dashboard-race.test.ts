/**
 * The dashboard's views race in headless Chromium: an answer a view waits for is held back (Playwright's request
 * routing), the reader moves to another view, which draws, then the held answer is let go (or fails). The newer view
 * must stay: the slow view's render (or its error) is dropped because its route is no longer current. The same within
 * a view: a signal's labels filtered one way answer after the filter changed, and only the newer filter's rows stay.
 * Screenshots go to test-output/dashboard-race-*.png.
 */
import { mkdirSync } from 'node:fs';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { createSignalsService } from '../../src/service/service.js';
import type { Store } from '../../src/store/types.js';
import { withChromium } from '../helpers/chromium.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { refundSignal, turn } from '../service/fixtures.js';

const OUT = 'test-output';
let dir: string;
let store: Store;
let server: NodeServer;

beforeAll(async () => {
  dir = newStoreDir('signals-dashboard-race-');
  store = await openTestStore(dir);
  const service = createSignalsService(store);
  for (const name of ['slow-signal', 'fast-signal']) await service.api.createSignal({ definition: { ...refundSignal('span'), name } as never, state: 'active' });
  await service.ingest(turn({ traceId: 'race-trace-1', sessionId: 'race-session', at: Date.now() - 60_000, user: 'a refund please' }));
  await service.ingest(turn({ traceId: 'race-trace-2', sessionId: 'race-session', at: Date.now() - 30_000, user: 'where is my parcel?' }));
  server = await startNodeServer({ ...configFromEnv({}), signals: service }, 0, '127.0.0.1');
  mkdirSync(OUT, { recursive: true });
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  removeStoreDir(dir);
});

/** Holds the answers to requests matching `pattern` until the returned release is called (with a status to fail them). */
async function hold(page: Page, pattern: RegExp): Promise<{ seen: Promise<void>; release: (status?: number) => Promise<void> }> {
  let seenResolve!: () => void;
  const seen = new Promise<void>((r) => (seenResolve = r));
  const answered: Array<Promise<void>> = [];
  let done: (status?: number) => void = () => undefined;
  const gate = new Promise<number | undefined>((r) => (done = r));
  const handler = (route: Route) => {
    seenResolve();
    const answer = gate.then((status) =>
      status === undefined
        ? route.continue()
        : route.fulfill({ status, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal_error', message: 'held answer failed on purpose' } }) }),
    );
    answered.push(answer);
    return answer;
  };
  await page.route(pattern, handler);
  return {
    seen,
    release: async (status) => {
      done(status);
      await Promise.all(answered);
      await page.unroute(pattern, handler);
    },
  };
}

/** The view's heading once nothing is loading (the held view had every chance to draw). */
async function settledHeading(page: Page): Promise<string> {
  await page.waitForFunction('!document.getElementById("view").hasAttribute("aria-busy")');
  // The released answer arrives, then the slow view runs to its render: give it a few turns of the page's work.
  for (let i = 0; i < 5; i++) await page.evaluate('new Promise((r) => setTimeout(r, 100))');
  return (await page.innerText('#view h1')).split('\n')[0];
}

describe('dashboard views that answer late', () => {
  it('a slow view never draws over the one opened after it (released, failed, or the same view for another signal)', async () => {
    await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}/#/sessions`);
      await page.waitForSelector('#view h1');

      const cases: Array<{ name: string; slow: string; held: RegExp; fast: string; ready: string; heading: string; status?: number }> = [
        { name: 'released', slow: '#/agents', held: /\/v1\/agents$/, fast: '#/signals', ready: '#signals-table', heading: 'Signals' },
        { name: 'failed', slow: '#/agents', held: /\/v1\/agents$/, fast: '#/signals', ready: '#signals-table', heading: 'Signals', status: 500 },
        { name: 'same-view', slow: '#/signal/slow-signal', held: /\/v1\/signals\/slow-signal\/versions$/, fast: '#/signal/fast-signal', ready: '#versions-table', heading: 'fast-signal' },
      ];
      for (const c of cases) {
        await page.goto(`${server.url}/#/sessions`);
        await page.waitForSelector('#view h1:text("Sessions")');
        const gate = await hold(page, c.held);
        await page.evaluate(`location.hash = ${JSON.stringify(c.slow)}`);
        await gate.seen;
        await page.evaluate(`location.hash = ${JSON.stringify(c.fast)}`);
        await page.waitForSelector(c.ready);
        expect((await page.innerText('#view h1')).split('\n')[0], c.name).toContain(c.heading);
        await gate.release(c.status);
        expect(await settledHeading(page), `${c.name}: the slow view drew over the newer one`).toContain(c.heading);
        expect(await page.$('#view-error'), c.name).toBeNull();
        expect(await page.$(c.ready), c.name).not.toBeNull();
        expect(await page.evaluate('location.hash'), c.name).toBe(c.fast);
        await page.screenshot({ path: `${OUT}/dashboard-race-${c.name}.png` });
      }
      // Within a view: the labels filtered by "yes" answer late, the reader picks "no" meanwhile; only "no" rows stay.
      await page.goto(`${server.url}/#/signal/fast-signal`);
      await page.waitForSelector('#labels-table tbody tr[data-target]');
      const gate = await hold(page, /\/v1\/signals\/[^/]+\/labels\?.*value=yes/);
      await page.selectOption('#filter-value', 'yes');
      await gate.seen;
      await page.selectOption('#filter-value', 'no');
      const chips = () => page.$$eval('#labels-table tbody .chip', (found) => found.map((c) => c.getAttribute('data-value')));
      await expect.poll(chips, { timeout: 30_000 }).toEqual(['no']);
      await gate.release();
      await settledHeading(page);
      expect(await chips()).toEqual(['no']);
      await page.screenshot({ path: `${OUT}/dashboard-race-filter.png` });

      // The held view itself still opens when it is the current one.
      await page.evaluate('location.hash = "#/agents"');
      await page.waitForSelector('#view h1:text("Agents")');
      expect(errors).toEqual([]);
    });
  });
});
