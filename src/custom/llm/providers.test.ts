import { describe, expect, it } from 'vitest';
import { operatorProviders, providerFor, providerInfos, ProviderConfigError } from './providers.js';

const env = {
  SIGNALS_LLM_BASE_URL: 'https://llm.example.com/v1/',
  SIGNALS_LLM_MODEL: 'gpt-4o-mini',
  SIGNALS_LLM_API_KEY: 'sk-default-secret',
  SIGNALS_LLM_PRICE_INPUT_PER_1K: '0.00015',
  OPENAI_API_KEY: 'sk-openai-secret',
  SIGNALS_OUTBOUND_ALLOW: '127.0.0.1',
};

describe('operator providers', () => {
  it('reads the default provider from SIGNALS_LLM_* and named ones from the config, keys hidden from serialization', () => {
    const providers = operatorProviders(env, { local: { base_url: 'http://127.0.0.1:11434/v1', model: 'llama3' }, openai: { base_url: 'https://api.openai.com/v1', model: 'gpt-4o', api_key_env: 'OPENAI_API_KEY' } });
    expect(providerInfos(providers)).toEqual([
      { name: 'default', base_url: 'https://llm.example.com/v1', model: 'gpt-4o-mini', priced: true },
      { name: 'local', base_url: 'http://127.0.0.1:11434/v1', model: 'llama3', priced: false },
      { name: 'openai', base_url: 'https://api.openai.com/v1', model: 'gpt-4o', priced: false },
    ]);
    expect(providers.get('openai')!.apiKey).toBe('sk-openai-secret');
    const everything = JSON.stringify([...providers.values()]) + JSON.stringify(providerInfos(providers));
    expect(everything).not.toMatch(/sk-default-secret|sk-openai-secret/);
  });

  it('refuses at start a URL the outbound policy refuses, ? or # in a base URL, and a missing model or key variable', () => {
    const bad = (e: Record<string, string>, c = {}) => () => operatorProviders(e, c);
    expect(bad({ SIGNALS_LLM_BASE_URL: 'http://10.0.0.5/v1', SIGNALS_LLM_MODEL: 'm' })).toThrow(/SIGNALS_LLM_BASE_URL: destination is a private address/);
    expect(bad({ SIGNALS_LLM_BASE_URL: 'https://llm.example.com/v1?x=#', SIGNALS_LLM_MODEL: 'm' })).toThrow(/may not carry "\?" or "#"/);
    expect(bad({ SIGNALS_LLM_BASE_URL: 'https://llm.example.com/v1' })).toThrow(/SIGNALS_LLM_MODEL is not/);
    expect(bad({}, { x: { base_url: 'file:///etc/passwd', model: 'm' } })).toThrow(/providers\.x\.base_url: scheme "file:" is not allowed/);
    expect(bad({}, { x: { base_url: 'https://a.example/v1', model: 'm', api_key_env: 'NOPE' } })).toThrow(/providers\.x\.api_key_env: environment variable NOPE is not set/);
    expect(bad({ SIGNALS_LLM_MODEL: 'm' }, { default: { base_url: 'https://a.example/v1', model: 'm' } })).toThrow(/give this one another name/);
  });

  it('resolves a signal to its provider, the default one when it names none', () => {
    const providers = operatorProviders(env);
    expect((providerFor(undefined, providers) as { name: string }).name).toBe('default');
    expect((providerFor({ model: 'x' }, providers) as { name: string }).name).toBe('default');
    expect(providerFor({ provider: 'other' }, providers)).toBeInstanceOf(ProviderConfigError);
  });
});
