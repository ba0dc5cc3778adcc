/**
 * All of src/custom runs unchanged in a browser: the built ES modules of `dist/` (with zod and yaml's browser
 * build through an import map) are loaded by Debian's Chromium from a loopback static server and give the same
 * answers as Node on project-written conversations.
 */
import { describe, expect, it } from 'vitest';
import * as custom from '../../src/custom/index.js';
import { withChromium } from '../helpers/chromium.js';
import { startStaticServer } from '../helpers/static-server.js';
import { customChecks, expectCustomChecks, type CustomChecks } from '../helpers/custom-runtime.js';

const PAGE = `<!doctype html><title>custom</title><script type="importmap">${JSON.stringify({
  imports: { zod: '/node_modules/zod/index.js', yaml: '/node_modules/yaml/browser/index.js' },
})}</script>`;
const SERVED = ['/dist/', '/node_modules/zod/', '/node_modules/yaml/browser/'];

describe('custom signals in Chromium', () => {
  it('sample, config, rules judge, templates and test runs agree with Node', async () => {
    const expected = await customChecks(custom);
    const server = await startStaticServer(PAGE, SERVED);
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
