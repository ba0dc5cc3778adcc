// A signal stored before providers (its definition carrying llm.base_url and api_key_env) keeps working when an
// operator provider has the same URL and key variable; otherwise the service refuses to start, saying what to move.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startNodeService } from '../../src/service/node-runner.js';
import { createSignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import { findSignal, insertVersion } from '../../src/store/signals.js';
import { refundSignal } from '../service/fixtures.js';

let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-legacy-'));
  const store = await openStore({ url: join(dir, 'signals.db') });
  const service = createSignalsService(store, {});
  await service.api.createSignal({ definition: refundSignal('trace') as never, state: 'active' });
  // Written as an older version of the service stored it: no validation on this path.
  const row = (await findSignal(store, 'refund-trace'))!;
  const legacy = { ...refundSignal('trace'), judge: 'rules-then-llm', rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'undecided' }, llm: { base_url: 'https://llm.example.com/v1', model: 'm', api_key_env: 'OPENAI_API_KEY' } };
  await insertVersion(store, row, row.version + 1, legacy as never, Date.now());
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('refuses to start when no operator provider has the stored URL and key variable, naming the signal and what to move', async () => {
  writeFileSync(join(dir, 'empty.yaml'), 'signals: []\n');
  await expect(startNodeService({ SIGNALS_DB: join(dir, 'signals.db'), SIGNALS_CONFIG: join(dir, 'empty.yaml') }, { intervalMs: 60_000 })).rejects.toThrow(
    /stored signals name LLM settings no operator provider has:\nsignal "refund-trace": llm\.base_url and llm\.api_key_env are the operator's settings now.*key variable OPENAI_API_KEY: move them to the config file's providers:/,
  );
});

it('starts when a provider of the config file has them', async () => {
  const config = join(dir, 'signals.config.yaml');
  writeFileSync(config, 'providers:\n  openai:\n    base_url: https://llm.example.com/v1/\n    model: gpt-4o\n    api_key_env: OPENAI_API_KEY\n');
  const node = await startNodeService({ SIGNALS_DB: join(dir, 'signals.db'), SIGNALS_CONFIG: config, OPENAI_API_KEY: 'sk-x' }, { intervalMs: 60_000 });
  expect((await node.service.api.providers()).map((p) => p.name)).toEqual(['openai']);
  await node.stop();
});
