import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { configFromEnv, type HttpEnv } from '../../src/http/config.js';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';

// An LLM-judged signals test over HTTP calls the operator's provider (SIGNALS_LLM_*), never one the request names.
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());

const definition = (llm?: Record<string, unknown>) => ({
  name: 'asks-refund',
  scope: 'session',
  type: 'binary',
  prompt: 'Does the user ask for a refund?',
  judge: 'llm',
  ...(llm ? { llm } : {}),
});
const post = (app: ReturnType<typeof createApp>, body: unknown, headers: Record<string, string> = {}) =>
  app.request('/v1/signals/test', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const conversations = [[{ role: 'user', content: 'I want my money back' }]];
const operator = (): HttpEnv => ({
  SIGNALS_LLM_BASE_URL: fake.baseUrl,
  SIGNALS_LLM_MODEL: 'test-model',
  SIGNALS_LLM_API_KEY: 'sk-test-123',
  SIGNALS_OUTBOUND_ALLOW: '127.0.0.1',
  SIGNALS_MAX_MESSAGES: '50',
});

describe('POST /v1/signals/test with an LLM judge', () => {
  it("reaches the operator's default provider with its key", async () => {
    fake.reply(answer('yes', 'asks for a refund'));
    const res = await post(createApp(configFromEnv(operator())), { definition: definition({ max_usd_per_day: 5 }), conversations });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: { label: string; judge: string }[] };
    expect(body.rows[0]).toMatchObject({ label: 'yes', judge: 'llm' });
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test-123');
    expect(fake.requests.at(-1)?.body.model).toBe('test-model');
  });

  it('refuses a definition that names a URL or a key variable, and calls nothing', async () => {
    const before = fake.requests.length;
    const env = { ...operator(), SIGNALS_API_TOKEN: 'service-token' } as HttpEnv;
    const res = await post(
      createApp(configFromEnv(env)),
      { definition: definition({ base_url: fake.baseUrl, api_key_env: 'SIGNALS_API_TOKEN', model: 'm' }), conversations },
      { authorization: 'Bearer service-token' },
    );
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toMatch(/llm\.base_url: a signal names a provider/);
    expect(text).toMatch(/llm\.api_key_env: a signal names a provider/);
    expect(text).not.toContain('service-token');
    expect(fake.requests.length).toBe(before);
  });

  it('says how to configure a provider when the operator configured none', async () => {
    const res = await post(createApp(configFromEnv({})), { definition: definition(), conversations });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: { status: string; explanation: string }[] };
    expect(body.rows[0]).toMatchObject({ status: 'error', explanation: expect.stringMatching(/^no LLM provider is configured: .*SIGNALS_LLM_BASE_URL/) });
  });
});
