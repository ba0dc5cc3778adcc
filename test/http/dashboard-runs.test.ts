// The signal view's Runs card lists the newest 25 runs and a "Load more" that adds the next page until the list
// ends (it showed the first 200 runs and no more, without saying so), in headless Chromium against the Node server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { createSignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { withChromium } from '../helpers/chromium.js';
import { refundSignal } from '../service/fixtures.js';

const RUNS = 57;
const dir = mkdtempSync(join(tmpdir(), 'signals-dashboard-runs-'));
let store: Store;
let server: NodeServer;
/** The run ids, newest first. */
const started: string[] = [];

beforeAll(async () => {
  store = await openStore({ url: join(dir, 'signals.db') });
  let now = Date.now() - 3_600_000;
  const service = createSignalsService(store, { now: () => now });
  await service.api.createSignal({ definition: refundSignal('trace') as never, state: 'active' });
  for (let k = 0; k < RUNS; k++) {
    now += 1000;
    const run = await service.api.startRun('refund-trace', { since: '2026-11-29T00:00:00Z', until: '2026-11-30T00:00:00Z' });
    // Finished, so the view follows none of them.
    await service.api.cancelRun(run.id);
    started.unshift(run.id);
  }
  server = await startNodeServer({ ...configFromEnv({}), signals: service }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('shows 25 runs and loads the others a page at a time, each once, until none is left', async () => {
  const pages = await withChromium(async (context) => {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/#/signal/refund-trace`);
    await page.waitForSelector('#runs-table tbody tr');
    const rows = () => page.$$eval('#runs-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-run')));
    const seen = [await rows()];
    for (const want of [50, RUNS]) {
      expect(await page.isVisible('#runs-more')).toBe(true);
      await page.click('#runs-more');
      await expect.poll(() => page.locator('#runs-table tbody tr').count()).toBe(want);
      seen.push(await rows());
    }
    // The button goes once the list ended.
    await page.waitForSelector('#runs-more', { state: 'hidden' });
    expect(errors).toEqual([]);
    return seen;
  });
  expect(pages.map((p) => p.length)).toEqual([25, 50, RUNS]);
  expect(pages.at(-1)).toEqual(started);
});
