import { describe, expect, it } from 'vitest';
import { parseDefinition } from './config.js';
import { judge } from './judge.js';
import { operatorProviders } from './llm/providers.js';
import type { Target } from './types.js';

const target = (text: string): Target => ({ kind: 'span', id: text, agent: 'a', messages: [{ from: 'human', value: text }], meta: {} });

/** A stand-in for an OpenAI-compatible endpoint: answers every request with `label`, counts the calls. */
function fakeLlm(label: string) {
  const calls: { url: string; body: Record<string, unknown> }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init.body)) });
    const content = JSON.stringify({ explanation: `the model says ${label}`, label });
    return new Response(JSON.stringify({ choices: [{ message: { content } }], usage: { prompt_tokens: 100, completion_tokens: 10 } }), {
      headers: { 'content-type': 'application/json' },
    });
  }) as unknown as typeof globalThis.fetch;
  return { calls, fetch };
}

const definition = (judgeKind: 'rules' | 'llm' | 'rules-then-llm') =>
  parseDefinition({
    name: 'greeting',
    scope: 'span',
    type: 'binary',
    prompt: 'Is it a greeting?',
    judge: judgeKind,
    rules: judgeKind === 'llm' ? undefined : { when: [{ label: 'yes', if: { phrases: ['hello'] } }, { label: 'no', if: { phrases: ['invoice'] } }], default: 'undecided' },
    llm: judgeKind === 'rules' ? undefined : { provider: 'local' },
  });

// The operator's provider: a model server on loopback, listed in SIGNALS_OUTBOUND_ALLOW.
const env = { KEY: 'k', SIGNALS_OUTBOUND_ALLOW: '127.0.0.1' };
const providers = operatorProviders(env, {
  local: { base_url: 'http://127.0.0.1:9/v1', model: 'm', api_key_env: 'KEY', price_per_1k_input: 1, price_per_1k_output: 2 },
});

describe('judge', () => {
  it('rules: never calls a model', async () => {
    const v = await judge(target('hello there'), definition('rules'));
    expect(v).toMatchObject({ status: 'labelled', label: 'yes', judge: 'rules' });
    expect((await judge(target('what'), definition('rules'))).status).toBe('undecided');
  });

  it('rules-then-llm: asks the model only where the rules are undecided', async () => {
    const llm = fakeLlm('yes');
    const context = { env, providers, fetch: llm.fetch };
    const d = definition('rules-then-llm');
    expect(await judge(target('hello'), d, context)).toMatchObject({ label: 'yes', judge: 'rules' });
    expect(await judge(target('your invoice'), d, context)).toMatchObject({ label: 'no', judge: 'rules' });
    expect(llm.calls).toHaveLength(0);
    const asked = await judge(target('good morning'), d, context);
    expect(llm.calls).toHaveLength(1);
    expect(llm.calls[0].url).toBe('http://127.0.0.1:9/v1/chat/completions');
    expect(asked).toMatchObject({ status: 'labelled', label: 'yes', judge: 'llm' });
    expect(asked.explanation).toMatch(/^rules undecided \(no rule matched\); /);
    expect(asked.cost.requests).toBe(1);
  });

  it('llm: always asks the model', async () => {
    const llm = fakeLlm('no');
    const v = await judge(target('hello'), definition('llm'), { env, providers, fetch: llm.fetch });
    expect(v).toMatchObject({ label: 'no', judge: 'llm' });
    expect(llm.calls).toHaveLength(1);
  });
});
