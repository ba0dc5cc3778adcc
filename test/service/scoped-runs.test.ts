// A key scoped to one agent lists the backfill runs of its agent's own signals (newest first), never those of another
// agent's signals or of `*` signals, whose runs span every agent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSignalsService } from '../../src/service/service.js';
import { scopedApi } from '../../src/service/scoped-api.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal } from './fixtures.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-scoped-runs-'));
  store = await openStore({ url: join(dir, 'signals.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it("lists the runs of the key's own signals only, newest first", async () => {
  let now = Date.parse('2026-11-30T12:00:00Z');
  const service = createSignalsService(store, { now: () => now });
  const window = { since: '2026-11-29T00:00:00Z', until: '2026-11-30T00:00:00Z' };
  const started: Record<string, string[]> = {};
  for (const [name, agent] of [['alpha-a', 'alpha'], ['beta-a', 'beta'], ['every', '*'], ['alpha-b', 'alpha']] as const) {
    await service.api.createSignal({ definition: { ...refundSignal('trace'), name, agent } as never, state: 'active' });
    for (let k = 0; k < 2; k++) {
      now += 1000;
      (started[agent] ??= []).push((await service.api.startRun(name, window)).id);
    }
  }
  const alpha = scopedApi(service.api, { agent: 'alpha' });
  const listed = (await alpha.listRuns()).items;
  expect(listed.map((r) => r.id)).toEqual([...started.alpha].reverse());
  expect(new Set(listed.map((r) => r.signalId))).toEqual(new Set([(await service.api.getSignal('alpha-a')).id, (await service.api.getSignal('alpha-b')).id]));
  // One signal's runs as before; another agent's signal answers as a missing one.
  expect((await alpha.listRuns('alpha-b')).items.map((r) => r.id)).toEqual([...started.alpha].slice(2).reverse());
  await expect(alpha.listRuns('beta-a')).rejects.toMatchObject({ code: 'not_found' });
});
