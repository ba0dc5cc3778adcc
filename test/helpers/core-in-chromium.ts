/** Runs the built core (`dist/core`) in Debian's Chromium over JSONL conversation lines: their report lines. */
import { withChromium } from './chromium.js';
import { startStaticServer } from './static-server.js';

/** The report line of each `{"id","messages"}` line, as the browser's core serializes it, and the browser's user agent. */
export async function coreReportsInChromium(records: string[]): Promise<{ userAgent: string; lines: string[] }> {
  const server = await startStaticServer('<!doctype html><title>core</title>');
  try {
    return await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${server.url}/`);
      await page.evaluate((lines) => Object.assign(globalThis, { records: lines }), records);
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
  } finally {
    await server.close();
  }
}
