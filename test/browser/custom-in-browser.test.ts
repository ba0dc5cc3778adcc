/**
 * All of src/custom runs unchanged in a browser: the built ES modules of `dist/` (with zod and yaml's browser
 * build through an import map) are loaded by Debian's Chromium from a loopback static server and give the same
 * answers as Node on project-written conversations.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as custom from '../../src/custom/index.js';
import { withChromium } from '../helpers/chromium.js';
import { customChecks, expectCustomChecks, type CustomChecks } from '../helpers/custom-runtime.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGE = `<!doctype html><title>custom</title><script type="importmap">${JSON.stringify({
  imports: { zod: '/node_modules/zod/index.js', yaml: '/node_modules/yaml/browser/index.js' },
})}</script>`;
const SERVED = ['/dist/', '/node_modules/zod/', '/node_modules/yaml/browser/'];

/** Serves the built `dist/` tree, zod and yaml's browser build, and the page; nothing else, on 127.0.0.1. */
async function startStaticServer() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      return;
    }
    if (!SERVED.some((p) => path.startsWith(p)) || !path.endsWith('.js')) {
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

describe('custom signals in Chromium', () => {
  it('sample, config, rules judge, templates and test runs agree with Node', async () => {
    const expected = await customChecks(custom);
    const server = await startStaticServer();
    try {
      const actual = await withChromium(async (context) => {
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(`${server.url}/`);
        // A string, not a function: the test runner would rewrite a dynamic import() inside a function.
        return page.evaluate<{ userAgent: string; result: CustomChecks }>(`(async () => {
          const custom = await import('/dist/custom/index.js');
          const checks = ${customChecks.toString()};
          return { userAgent: navigator.userAgent, result: await checks(custom) };
        })()`);
      });
      expect(actual.userAgent).toContain('Chrome');
      expectCustomChecks(actual.result, expect as never);
      expect(actual.result).toEqual(expected);
    } finally {
      await server.close();
    }
  });
});
