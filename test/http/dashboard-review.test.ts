/**
 * The Review view in headless Chromium (Debian's /usr/bin/chromium via playwright-core) against the Node server: a
 * rules signal labelled 14 generated targets live; a reviewer walks 10 of them with the keyboard alone (y/n),
 * corrects 2 of the judge's labels, moves back and forth (j/k, arrows), undoes the last label (u), and the
 * agreement figures on the page change with each label. The stored human labels are then read over the API.
 * Screenshots at 1280 and 390 px go to test-output/screenshots/ (the docs' pictures: npm run docs:screenshots).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import type { JudgeReport, LabelRow, Page as ListPage } from '../../src/service/api.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { screenshotDir, withChromium } from '../helpers/chromium.js';
import { refundSignal, turn } from '../service/fixtures.js';

const SHOTS = screenshotDir();
let dir: string;
let node: NodeService;
let server: NodeServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-review-ui-'));
  node = await startNodeService({ SIGNALS_DB: join(dir, 'signals.db') }, { intervalMs: 250 });
  await node.service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
  const now = Date.now();
  const asks = ['Can I get a refund for the blender?', 'I would like a refund please', 'refund my order, it came broken', 'How do I ask for a refund?'];
  const other = ['Where is my parcel?', 'Do you ship to Norway?', 'Thanks, that fixed it', 'What colours does the kettle come in?', 'Can I change my address?'];
  const spans = Array.from({ length: 14 }, (_, i) =>
    turn({ traceId: `r${String(i).padStart(2, '0')}`, at: now - 3_600_000 + i * 60_000, user: i % 2 === 0 ? asks[i % asks.length] : other[i % other.length], answer: 'Let me look into that.' }),
  ).flat();
  await node.service.ingest(spans);
  server = await startNodeServer({ ...configFromEnv({}), signals: node.service }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const get = async <T,>(path: string): Promise<T> => (await (await fetch(`${server.url}/v1${path}`)).json()) as T;
const agreementText = (page: Page) => page.textContent('#agreement-share');
/** Waits until the element's text includes (or starts with) `text`. */
const waitText = (page: Page, selector: string, how: 'includes' | 'startsWith', text: string) =>
  page.waitForFunction(
    ([sel, mode, want]) => {
      const t = (globalThis as unknown as BrowserGlobals).document.querySelector(sel)?.textContent ?? '';
      return mode === 'includes' ? t.includes(want) : t.startsWith(want);
    },
    [selector, how, text] as const,
  );
/** What the page functions read (the test's TypeScript has no DOM types; the page's CSP allows no string eval). */
interface BrowserGlobals {
  document: { querySelector(s: string): { textContent: string | null } | null; documentElement: { scrollWidth: number; clientWidth: number } };
}

describe('Review view in Chromium', () => {
  it('reviews 10 targets by keyboard, corrects 2, and the agreement figures follow', async () => {
    const queue = (await get<ListPage<LabelRow>>('/signals/refund-span/review-queue?limit=25')).items;
    expect(queue).toHaveLength(14);
    await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));

      // From the signal view: its judges card links to the review.
      await page.goto(`${server.url}/#/signal/refund-span`);
      await page.waitForSelector('#judging table');
      expect(await page.textContent('#judging')).toContain('no reviewed target');
      await page.click('#review-link');
      await page.waitForSelector('#review-buttons button');
      expect(await agreementText(page)).toBe('v1: no reviewed target yet');
      expect(await page.textContent('#review-position')).toContain('Target 1 of 14');

      // A label without a name is refused with a message; the name is kept in the browser.
      await page.keyboard.press('y');
      await page.waitForSelector('#notice.error');
      expect(await page.textContent('#notice')).toContain('Enter your name as reviewer');
      await page.fill('#reviewer', 'ana');
      await page.press('#reviewer', 'Tab');
      await page.click('h1');

      const seen: string[] = [];
      // Agree with the judge except on the 4th and 8th targets (corrections).
      for (let i = 0; i < 10; i++) {
        const item = queue[i];
        expect(await page.textContent('#review-machine')).toContain(item.targetId);
        await page.waitForSelector(`#review-messages .msg`);
        const corrected = i === 3 || i === 7;
        const value = corrected ? (item.value === 'yes' ? 'no' : 'yes') : item.value!;
        await page.keyboard.press(value === 'yes' ? 'y' : 'n');
        await waitText(page, '#agreement-share', 'includes', `of ${i + 1}`);
        seen.push((await agreementText(page))!);
        if (i < 9) await waitText(page, '#review-position', 'startsWith', `Target ${i + 2} of`);
      }
      expect(seen[0]).toMatch(/^v1 \(rules\) agrees with reviewers on 100% of 1$/);
      expect(seen[2]).toMatch(/on 100% of 3( · Cohen.s kappa 1\.00)?$/);
      expect(seen[3]).toMatch(/on 75% of 4 · Cohen's kappa /);
      expect(seen[7]).toMatch(/on 75% of 8 · Cohen's kappa /);
      expect(seen[9]).toMatch(/on 80% of 10 · Cohen's kappa /);
      const confusion = await page.$$eval('#confusion tbody td', (cells) => cells.map((c) => Number(c.textContent)));
      expect(confusion.reduce((a, b) => a + b, 0)).toBe(10);
      expect(confusion[0] + confusion[3]).toBe(8);
      await page.screenshot({ path: `${SHOTS}/review-1280.png`, fullPage: true });

      // Move back with k and ←: the label given shows; forward with j and →.
      await page.keyboard.press('k');
      await page.keyboard.press('ArrowLeft');
      await waitText(page, '#review-position', 'startsWith', 'Target 9 of');
      expect(await page.textContent('#review-human')).toMatch(/Your label: (yes|no) by ana/);
      expect(await page.textContent('#review-machine')).toContain(queue[8].targetId);
      await page.keyboard.press('j');
      await page.keyboard.press('ArrowRight');
      await waitText(page, '#review-position', 'startsWith', 'Target 11 of');

      // u undoes the last label (the 10th target's): 7 of 9 agree.
      await page.keyboard.press('u');
      await waitText(page, '#agreement-share', 'includes', 'of 9');
      expect(await agreementText(page)).toMatch(/on 77\.8% of 9/);
      expect(await page.textContent('#review-position')).toMatch(/^Target 10 of/);
      expect(await page.textContent('#review-human')).toContain('Not labelled by you yet');

      // The phone layout of the same view.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(100);
      const overflow = await page.evaluate(() => {
        const root = (globalThis as unknown as BrowserGlobals).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/review-390.png`, fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(errors).toEqual([]);
    });

    // What the browser stored: 9 human labels by ana, the 2 corrections current over the rules' labels.
    const report = await get<JudgeReport>('/signals/refund-span/judges');
    expect(report).toMatchObject({ reviewed: 9, reviewers: [{ name: 'ana', n: 9 }] });
    expect(report.versions[0].agreement).toMatchObject({ n: 9, agree: 7 });
    for (const i of [3, 7]) {
      const labels = (await get<{ labels: LabelRow[] }>(`/targets/span/${queue[i].targetId}?agent=shop`)).labels;
      const current = labels.filter((l) => !l.superseded);
      expect(current).toEqual([expect.objectContaining({ judge: 'human', reviewer: 'ana' })]);
      expect(current[0].value).not.toBe(queue[i].value);
      expect(labels.find((l) => l.judge === 'rules')).toMatchObject({ value: queue[i].value, superseded: true });
    }
  }, 180_000);
});
