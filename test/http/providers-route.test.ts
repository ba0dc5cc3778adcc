import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { configFromEnv, type HttpEnv } from '../../src/http/config.js';

describe('GET /v1/providers', () => {
  it("lists the operator's providers without a key or key variable", async () => {
    const env = { SIGNALS_LLM_BASE_URL: 'https://llm.example.com/v1', SIGNALS_LLM_MODEL: 'm', SIGNALS_LLM_API_KEY: 'sk-very-secret' } as HttpEnv;
    const res = await createApp(configFromEnv(env)).request('/v1/providers');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual([{ name: 'default', base_url: 'https://llm.example.com/v1', model: 'm', priced: false }]);
    expect(text).not.toMatch(/sk-very-secret|SIGNALS_LLM_API_KEY/);
  });

  it('is an empty list when none is configured, and a bad setting stops the start', async () => {
    expect(await (await createApp(configFromEnv({})).request('/v1/providers')).json()).toEqual([]);
    expect(() => configFromEnv({ SIGNALS_LLM_BASE_URL: 'gopher://x', SIGNALS_LLM_MODEL: 'm' } as HttpEnv)).toThrow(/SIGNALS_LLM_BASE_URL: scheme "gopher:"/);
  });
});
