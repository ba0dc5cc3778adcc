/**
 * The dashboard in headless Chromium with a key scoped to one agent (SIGNALS_AGENT_KEYS) saved as its token: every
 * view it links to opens without an error and shows that agent's traffic and signal, nothing of the other agent
 * stored beside it (its name, its signal, its conversation text), and says alerts are the operator's. Screenshots go
 * to test-output/dashboard-agent-key-*.png.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { createSignalsService } from '../../src/service/service.js';
import type { Store } from '../../src/store/types.js';
import { withChromium } from '../helpers/chromium.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { refundSignal, turn } from '../service/fixtures.js';

const OPERATOR = 'operator-token-dashboard';
const ALPHA_KEY = 'alpha-dashboard-key-0123456789';
const sha = (key: string) => createHash('sha256').update(key).digest('hex');
const BETA_SECRET = 'beta-only-refund-for-order-7731';
const OUT = 'test-output';

let dir: string;
let store: Store;
let server: NodeServer;

beforeAll(async () => {
  dir = newStoreDir('signals-dashboard-key-');
  store = await openTestStore(dir);
  const now = Date.now();
  const service = createSignalsService(store);
  for (const agent of ['agent-alpha', 'agent-beta']) await service.api.createSignal({ definition: { ...refundSignal('span'), name: `${agent}-refund`, agent } as never, state: 'active' });
  await service.ingest(turn({ traceId: 'alpha-trace-1', sessionId: 'alpha-session', at: now - 600_000, user: 'alpha would like a refund', agent: 'agent-alpha' }));
  await service.ingest(turn({ traceId: 'beta-trace-1', sessionId: 'beta-session', at: now - 300_000, user: `please: ${BETA_SECRET}`, agent: 'agent-beta' }));
  const env = { SIGNALS_API_TOKEN: OPERATOR, SIGNALS_AGENT_KEYS: `agent-alpha=sha256:${sha(ALPHA_KEY)}` };
  server = await startNodeServer({ ...configFromEnv(env), signals: service }, 0, '127.0.0.1');
  mkdirSync(OUT, { recursive: true });
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  removeStoreDir(dir);
});

describe('dashboard with a key scoped to one agent', () => {
  it("shows that agent's views without errors and nothing of the other agent", async () => {
    await withChromium(async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url + '/');
      await page.fill('#token', ALPHA_KEY);
      await page.press('#token', 'Enter');
      const views: Array<[string, string]> = [
        ['signals', 'agent-alpha-refund'],
        ['signal/agent-alpha-refund', 'Alerts are the operator'],
        ['agents', 'agent-alpha'],
        ['sessions', 'alpha-session'],
        ['traces', 'alpha-trace-1'],
        ['session/alpha-session?agent=agent-alpha', 'alpha would like a refund'],
        ['review', 'agent-alpha-refund'],
      ];
      for (const [hash, expected] of views) {
        await page.goto(`${server.url}/#/${hash}`);
        await page.waitForSelector(`#view-error, :text("${expected}")`, { timeout: 30_000 });
        const text = await page.innerText('body');
        await page.screenshot({ path: `${OUT}/dashboard-agent-key-${hash.split(/[/?]/)[0]}.png`, fullPage: true });
        expect(await page.$('#view-error'), `#/${hash}: ${text.slice(0, 400)}`).toBeNull();
        expect(text, `#/${hash}`).toContain(expected);
        for (const marker of ['agent-beta', BETA_SECRET, 'beta-session', 'beta-trace']) expect(text, `#/${hash} shows ${marker}`).not.toContain(marker);
      }
      expect(errors).toEqual([]);
    });
  });
});
