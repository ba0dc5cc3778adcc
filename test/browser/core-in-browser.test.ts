/**
 * The core runs unchanged in a browser: the built ES modules of `dist/core` are loaded by Debian's Chromium from
 * a loopback static server and analyze the bundled sample and generated awkward conversations (astral characters,
 * lone surrogates, capitals, long runs) into what the same core gives in Node.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withChromium } from '../helpers/chromium.js';
import { analyze, serializeReportLine } from '../../src/core/index.js';
import { libraryReportLines, sampleLines } from '../helpers/sample.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Awkward conversations built here: where a browser's string handling could differ from Node's. */
function awkward(): string[] {
  const texts = ['🙂🙃 no, I meant the 🚲 page', 'ＦＵＬＬＷＩＤＴＨ I GIVE UP', '\ud800 lone surrogate, thanks!', 'WHY?????!!!!! '.repeat(40), 'ß İ ǅ ﬁ that works', ''];
  return texts.map((text, i) =>
    JSON.stringify({
      id: `awkward-${i}`,
      messages: [
        { from: 'human', value: text },
        { from: 'gpt', value: text.toUpperCase() },
        { from: 'function_call', value: JSON.stringify({ name: 'lookup', arguments: { q: text } }) },
        { from: 'observation', value: `Error: ${text} timed out` },
        { from: 'human', value: text },
      ],
    }),
  );
}

/** Serves the built `dist/` tree and an empty page, nothing else, on 127.0.0.1. */
async function startStaticServer() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>core</title>');
      return;
    }
    if (!path.startsWith('/dist/') || !path.endsWith('.js')) {
      res.writeHead(404).end();
      return;
    }
    try {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(join(ROOT, path)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('the core in Chromium', () => {
  it('gives the Node reports on the sample and on awkward conversations', async () => {
    const inputs = [...sampleLines('sharegpt'), ...awkward()];
    const expected = [
      ...libraryReportLines(),
      ...awkward().map((line) => {
        const row = JSON.parse(line);
        return serializeReportLine(row.id, analyze(row.messages));
      }),
    ];
    const server = await startStaticServer();
    try {
      const actual = await withChromium(async (context) => {
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(`${server.url}/`);
        await page.evaluate((records) => Object.assign(globalThis, { records }), inputs);
        // A string, not a function: the test runner would rewrite a dynamic import() inside a function.
        return page.evaluate<{ userAgent: string; lines: string[] }>(`(async () => {
          const core = await import('/dist/core/index.js');
          const lines = globalThis.records.map((line) => {
            const row = JSON.parse(line);
            return core.serializeReportLine(row.id, core.analyze(row.messages));
          });
          return { userAgent: navigator.userAgent, lines };
        })()`);
      });
      expect(actual.userAgent).toContain('Chrome');
      expect(actual.lines).toHaveLength(expected.length);
      expect(actual.lines).toEqual(expected);
    } finally {
      await server.close();
    }
  });
});
