/**
 * The playground page in headless Chromium (Debian's /usr/bin/chromium via playwright-core) against the Node
 * server (the browser is installed or asked for by scripts/ensure-chromium.mjs before `npm test`; never skipped).
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer } from '../../src/http/node.js';
import { withChromium } from '../helpers/chromium.js';
import { libraryReportLines, sampleLines } from '../helpers/sample.js';

/** sample:unclear-warranty: a `severe` conversation with three signals on three messages. */
const LINE = 3;

describe('playground page in Chromium', () => {
  it('analyzes a pasted sample conversation and shows its bucket', async () => {
    const conversation = sampleLines('sharegpt')[LINE];
    const reference = JSON.parse(libraryReportLines()[LINE]) as {
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
        await page.goto(server.url + '/playground');
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
