// The alert form's backtest lists its transitions 100 at a time and a "Load more" that asks the same replay (the
// rule and the window's times as first answered) for the next part, until every transition is listed (it listed the
// first 1,000 and said to narrow the window, which replays another window). Headless Chromium, Node server.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withChromium } from '../helpers/chromium.js';
import { seededServer, type SeededServer } from '../helpers/seeded-server.js';
import { refundSignal, turn } from '../service/fixtures.js';

let server: SeededServer;

beforeAll(async () => {
  server = await seededServer('signals-dashboard-backtest-', async (service) => {
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    // A refund every 20 minutes over the last 22 hours: an alert on any label in 5 minutes fires and resolves at each
    // (132 transitions in the last 24 hours).
    const start = Date.now() - 22 * 3_600_000;
    const spans = [];
    for (let k = 0; k < 66; k++) spans.push(...turn({ traceId: `t${k}`, at: start + k * 20 * 60_000, user: 'I want a refund' }));
    await service.ingest(spans);
  });
});
afterAll(() => server?.close());

it('lists 100 transitions, then the rest with Load more, each once and in time order', async () => {
  const seen = await withChromium(async (context) => {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/#/alert/new?signal=refund-span`);
    await page.waitForSelector('#af-name');
    await page.selectOption('#af-metric', 'volume');
    await page.fill('#af-threshold', '0');
    await page.selectOption('#af-window', '5m');
    await page.selectOption('#af-every', '1m');
    await page.selectOption('#af-backtest-window', '24h');
    await page.click('#af-backtest');
    await page.waitForSelector('#af-backtest-transitions tbody tr');
    const summary = (await page.textContent('#af-backtest-summary'))!;
    const total = Number(/ (\d+) transitions,/.exec(summary)?.[1]);
    const rows = () => page.locator('#af-backtest-transitions tbody tr').count();
    const first = await rows();
    const listed = await page.textContent('#af-backtest-listed');
    await page.click('#af-backtest-more');
    await page.waitForSelector('#af-backtest-more', { state: 'hidden' });
    const times = await page.$$eval('#af-backtest-transitions tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    const tos = await page.$$eval('#af-backtest-transitions tbody tr td:nth-child(3)', (tds) => tds.map((td) => td.textContent));
    expect(errors).toEqual([]);
    return { total, first, listed, all: await rows(), times, tos };
  });
  expect(seen.total).toBe(132);
  expect(seen.first).toBe(100);
  expect(seen.listed).toBe('100 of 132 transitions listed; Load more lists the next ones.');
  expect(seen.all).toBe(132);
  // Each fire is followed by its resolve: a part that repeated or skipped one would break the alternation.
  expect(seen.tos).toEqual(Array.from({ length: 132 }, (_, i) => (i % 2 === 0 ? 'firing' : 'ok')));
  expect(seen.times).toEqual([...seen.times].sort());
});
