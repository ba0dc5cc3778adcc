import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { configFromEnv, type HttpEnv } from '../../src/http/config.js';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';

// An LLM-judged signals test over HTTP reads its API key from the service's environment (HttpConfig.judgeEnv).
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());

const definition = (apiKeyEnv: string) => ({
  name: 'asks-refund',
  scope: 'session',
  type: 'binary',
  prompt: 'Does the user ask for a refund?',
  judge: 'llm',
  llm: { base_url: fake.baseUrl, model: 'test-model', api_key_env: apiKeyEnv, max_usd_per_day: 5 },
});
const post = (app: ReturnType<typeof createApp>, body: unknown) =>
  app.request('/v1/signals/test', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const conversations = [[{ role: 'user', content: 'I want my money back' }]];

describe('POST /v1/signals/test with an LLM judge', () => {
  it('reaches the model with the key from the service environment', async () => {
    const env = { OPENAI_API_KEY: 'sk-test-123', SIGNALS_MAX_MESSAGES: '50' } as HttpEnv;
    fake.reply(answer('yes', 'asks for a refund'));
    const res = await post(createApp(configFromEnv(env)), { definition: definition('OPENAI_API_KEY'), conversations });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: { label: string; judge: string }[] };
    expect(body.rows[0]).toMatchObject({ label: 'yes', judge: 'llm' });
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test-123');
  });

  it("does not hand the service's own SIGNALS_* secrets to a judge", async () => {
    const before = fake.requests.length;
    const env = { SIGNALS_API_TOKEN: 'service-token' } as HttpEnv;
    const res = await post(createApp(configFromEnv(env)), { definition: definition('SIGNALS_API_TOKEN'), conversations });
    // Authorized requests only; the judge fails for a missing key and never calls the model.
    const authorized = await createApp(configFromEnv(env)).request('/v1/signals/test', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer service-token' },
      body: JSON.stringify({ definition: definition('SIGNALS_API_TOKEN'), conversations }),
    });
    expect(res.status).toBe(401);
    expect(authorized.status).toBe(200);
    expect(JSON.stringify(await authorized.json())).toMatch(/SIGNALS_API_TOKEN is not set/);
    expect(fake.requests.length).toBe(before);
  });
});
