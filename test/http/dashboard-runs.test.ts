// The signal view's Runs card lists the newest 25 runs and a "Load more" that adds the next page until the list
// ends (it showed the first 200 runs and no more, without saying so), in headless Chromium against the Node server.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withChromium } from '../helpers/chromium.js';
import { seededServer, type SeededServer } from '../helpers/seeded-server.js';
import { refundSignal } from '../service/fixtures.js';

const RUNS = 57;
let server: SeededServer;
/** The run ids, newest first. */
const started: string[] = [];

beforeAll(async () => {
  let now = Date.now() - 3_600_000;
  server = await seededServer(
    'signals-dashboard-runs-',
    async (service) => {
      await service.api.createSignal({ definition: refundSignal('trace') as never, state: 'active' });
      for (let k = 0; k < RUNS; k++) {
        now += 1000;
        const run = await service.api.startRun('refund-trace', { since: '2026-11-29T00:00:00Z', until: '2026-11-30T00:00:00Z' });
        // Finished, so the view follows none of them.
        await service.api.cancelRun(run.id);
        started.unshift(run.id);
      }
    },
    { now: () => now },
  );
});
afterAll(() => server?.close());

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
