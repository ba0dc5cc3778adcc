/**
 * The playground page in headless Chromium (Debian's /usr/bin/chromium via playwright-core) against the Node
 * server. Skipped only on a machine without Chromium outside CI; in CI a missing browser fails the launch.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer } from '../../src/http/node.js';
import { noChromium, withChromium } from '../helpers/chromium.js';

const SHARED = new URL('../../../shared/', import.meta.url);
/** tau-bench task2 trial1: a `poor` conversation with three signals on three messages. */
const LINE = 9;

describe.skipIf(noChromium)('playground page in Chromium', () => {
  it('analyzes a pasted corpus conversation and shows the reference bucket', async () => {
    const conversation = readFileSync(new URL('corpus/tau-bench.sharegpt.jsonl', SHARED), 'utf8').split('\n')[LINE];
    const reference = JSON.parse(readFileSync(new URL('parity/tau-bench.reports.jsonl', SHARED), 'utf8').split('\n')[LINE]) as {
      id: string;
      report: Record<string, unknown> & { overall_quality: string; summary: string };
    };
    expect(reference.id).toBe((JSON.parse(conversation) as { id: string }).id);
    const flaggedIndices = new Set(
      JSON.stringify(reference.report)
        .match(/"message_index":\d+/g)!
        .map((m) => Number(m.split(':')[1])),
    );

    const server = await startNodeServer(configFromEnv({}), 0, '127.0.0.1');
    try {
      await withChromium(async (context) => {
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(server.url + '/');
        await page.fill('#input', conversation);
        await page.click('#analyze');
        await page.waitForSelector('#bucket');
        expect(await page.textContent('#bucket')).toBe(reference.report.overall_quality);
        expect(await page.textContent('#summary')).toBe(reference.report.summary);
        const flagged = await page.$$eval('.msg.flagged', (nodes) => nodes.map((n) => Number(n.getAttribute('data-index'))));
        expect(new Set(flagged)).toEqual(flaggedIndices);
        mkdirSync('test-output', { recursive: true });
        await page.screenshot({ path: 'test-output/playground.png' });
        // Follow the first signal's link to its message, highlighted, for a second screenshot.
        await page.click('#signals a');
        expect(await page.getAttribute('.msg:target', 'class')).toContain('flagged');
        await page.screenshot({ path: 'test-output/playground-flagged.png' });
      });
    } finally {
      await server.close();
    }
  });
});
