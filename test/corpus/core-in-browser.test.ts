/**
 * The core runs unchanged in a browser: the built ES modules of `dist/core` are loaded by Debian's Chromium from
 * a loopback static server and analyze corpus conversations into reports byte-identical to the reference.
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withChromium } from '../helpers/chromium.js';
import { corpusDir } from '../helpers/corpus.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = corpusDir();

function lines(path: string, count: number): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, count);
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

describe('the core in Chromium (corpus)', () => {
  it('gives the reference reports for corpus and adversarial conversations', async () => {
    const cases = [
      ['corpus/tau-bench.sharegpt.jsonl', 'parity/tau-bench.reports.jsonl', 40],
      ['parity/synthetic.sharegpt.jsonl', 'parity/synthetic.reports.jsonl', 150],
    ] as const;
    const inputs = cases.flatMap(([input, , n]) => lines(join(SHARED, input), n));
    const expected = cases.flatMap(([, reports, n]) => lines(join(SHARED, reports), n));
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
