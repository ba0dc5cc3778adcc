// A signal its own day cap holds says so where users look: `signals show` / `signals list` (local store and --url)
// and the dashboard's signal view, in a running Node service whose LLM lane meets the cap against a local fake
// provider; a backfill the cap paused says when it resumes (dashboard, `signals runs`). No key and no provider
// response body appear in any of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { configFromEnv } from '../../src/http/app.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { withChromium } from '../helpers/chromium.js';
import { cli } from '../helpers/cli-run.js';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { llmRefundSignal, turn } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'signals-caps-views-'));
const db = join(dir, 'signals.db');
let llm: FakeOpenAi;
let node: NodeService;
let server: NodeServer;

beforeAll(async () => {
  llm = await startFakeOpenAi();
  llm.fallback = () => answer('yes', 'upstream said: internal detail', { prompt_tokens: 100, completion_tokens: 0 });
  node = await startNodeService(
    { SIGNALS_DB: db, SIGNALS_LLM_BASE_URL: llm.baseUrl, SIGNALS_LLM_MODEL: 'fake-model', SIGNALS_LLM_API_KEY: 'sk-views-secret', SIGNALS_OUTBOUND_ALLOW: '127.0.0.1' },
    { intervalMs: 100, onError: () => undefined },
  );
  server = await startNodeServer({ ...configFromEnv({}), signals: node.service }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  await node?.stop();
  await llm?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('signals show, signals list and the dashboard say a signal is held by its day cap, until when and how much was used', async () => {
  await node.service.api.createSignal({ definition: llmRefundSignal('refund-capped', { max_requests_per_day: 2 }) as never, state: 'active' });
  const now = Date.now();
  await node.service.ingest(Array.from({ length: 4 }, (_, i) => turn({ traceId: `t${i}`, at: now - 5000 + i, user: `refund for order ${i}` })).flat());
  // The LLM lane judges two, then the cap holds the rest (held from the moment the second request is booked).
  await vi.waitFor(async () => expect((await node.service.api.labels('refund-capped')).items).toHaveLength(2), { timeout: 20_000, interval: 100 });
  expect((await node.service.api.getSignal('refund-capped')).heldByDayCap).toBeDefined();
  expect(llm.requests).toHaveLength(2);
  const midnight = new Date(Math.floor(now / 86_400_000) * 86_400_000 + 86_400_000).toISOString();
  const line = `  held       by its day cap until ${midnight}: daily LLM budget reached: 2 requests used of 2 requests`;

  for (const at of [['--db', db], ['--url', server.url]]) {
    const show = await cli(['show', 'refund-capped', ...at]);
    expect(show.code, show.err).toBe(0);
    expect(show.out.split('\n')).toContain(line);
    const list = await cli(['list', ...at]);
    expect(list.out).toMatch(/refund-capped\s+active, held by day cap\s+v1/);
    expect(show.out + list.out).not.toMatch(/sk-views-secret|internal detail/);
  }

  const text = await withChromium(async (context) => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}/#/signal/refund-capped`);
    const held = await (await page.waitForSelector('#signal-held', { timeout: 20_000 })).textContent();
    await page.screenshot({ path: 'test-output/dashboard-signal-held.png' });
    // A backfill started here meets the same cap at its first unlabelled target: the view says it paused and why,
    // and stops following it.
    await page.click('#backfill');
    await page.waitForSelector('#backfill-progress[data-status="paused"]', { timeout: 20_000 });
    const paused = await (await page.waitForSelector('#notice.error', { timeout: 20_000 })).textContent();
    await page.screenshot({ path: 'test-output/dashboard-backfill-paused.png' });
    const progress = await page.textContent('#backfill-progress');
    return { held, paused, progress };
  });
  // The run a day cap paused goes on by itself at midnight UTC: the view, `signals runs` and `runs show` say when.
  expect(text.paused).toMatch(/^Backfill paused at \d+ \/ \d+ targets: daily LLM budget reached: 2 requests used of 2 requests\. The labels it made are kept; it resumes by itself at /);
  expect(text.paused!.endsWith(`it resumes by itself at ${midnight.slice(0, 16).replace('T', ' ')} UTC.`)).toBe(true);
  expect(text.progress).toContain(`resumes by itself at ${midnight.slice(0, 16).replace('T', ' ')} UTC`);
  for (const at of [['--db', db], ['--url', server.url]]) {
    const runs = await cli(['runs', 'refund-capped', ...at]);
    expect(runs.out).toContain(`paused until ${midnight}`);
    const [run] = (await node.service.api.listRuns('refund-capped')).items;
    const show = await cli(['runs', 'show', run!.id, ...at]);
    expect(show.out).toContain(`paused by: daily LLM budget reached: 2 requests used of 2 requests; resumes by itself at ${midnight}`);
  }
  expect(llm.requests).toHaveLength(2);
  expect(text.held).toBe(
    `Held by its day cap until ${midnight.slice(0, 16).replace('T', ' ')} UTC: daily LLM budget reached: 2 requests used of 2 requests. ` +
      'Its LLM jobs wait until then; rules and other signals go on.',
  );
});
