// `signals providers`: the operator's providers from the environment and the config file, locally and over --url,
// never a key or a key variable.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/app.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { nodeProviders } from '../../src/service/node-providers.js';
import { cli } from '../helpers/cli-run.js';

const KEYS = { SIGNALS_LLM_API_KEY: 'sk-cli-secret-default', GATEWAY_KEY: 'sk-cli-secret-gateway' };
let dir = '';
let server: NodeServer;
const saved = { ...process.env };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-providers-cli-'));
  const config = join(dir, 'signals.config.yaml');
  writeFileSync(config, 'providers:\n  gateway:\n    base_url: https://gateway.example.com/openai/v1\n    model: gpt-4o\n    api_key_env: GATEWAY_KEY\n    price_per_1k_input: 0.0025\n');
  Object.assign(process.env, KEYS, {
    SIGNALS_LLM_BASE_URL: 'https://api.openai.com/v1',
    SIGNALS_LLM_MODEL: 'gpt-4o-mini',
    SIGNALS_CONFIG: config,
    SIGNALS_DB: join(dir, 'signals.db'),
  });
  server = await startNodeServer({ ...configFromEnv(process.env), providers: nodeProviders(process.env) }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server.close();
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

it.each([[[]], [['--url', 'http://placeholder']]])('lists them without keys (%j)', async (extra) => {
  const args = extra.length ? ['--url', server.url] : [];
  const table = await cli(['providers', ...args]);
  expect(table.code, table.err).toBe(0);
  expect(table.out).toMatch(/^NAME\s+MODEL\s+PRICED\s+STATE\s+BASE URL\n/);
  expect(table.out).toMatch(/default\s+gpt-4o-mini\s+no\s+ready\s+https:\/\/api\.openai\.com\/v1/);
  expect(table.out).toMatch(/gateway\s+gpt-4o\s+yes\s+ready\s+https:\/\/gateway\.example\.com\/openai\/v1/);
  const json = await cli(['providers', ...args, '--json']);
  expect(JSON.parse(json.out).map((p: { name: string }) => p.name)).toEqual(['default', 'gateway']);
  for (const out of [table.out, json.out, table.err, json.err]) {
    expect(out).not.toMatch(/sk-cli-secret|GATEWAY_KEY|SIGNALS_LLM_API_KEY/);
  }
});
