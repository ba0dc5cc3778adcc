/** All of src/custom inside workerd: sampling (Web Crypto), config (zod, yaml), rules and templates, test runs, the route. */
import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import * as custom from '../../src/custom/index.js';
import { customChecks, expectCustomChecks } from '../helpers/custom-runtime.js';

it('runs the custom-signal checks in workerd', async () => {
  expect(navigator.userAgent).toBe('Cloudflare-Workers');
  expectCustomChecks(await customChecks(custom), expect as never);
});

it('asks an LLM through an injected fetch where the rules are undecided', async () => {
  const definition = custom.parseDefinition({
    name: 'greeting',
    scope: 'span',
    type: 'binary',
    prompt: 'Is it a greeting?',
    judge: 'rules-then-llm',
    rules: { when: [{ label: 'yes', if: { phrases: ['hello'] } }], default: 'undecided' },
  });
  const fetch = (async () =>
    new Response(JSON.stringify({ choices: [{ message: { content: JSON.stringify({ explanation: 'a greeting', label: 'yes' }) } }] }))) as unknown as typeof globalThis.fetch;
  const target = { kind: 'span' as const, id: 'x', agent: 'a', meta: {}, messages: [{ from: 'human', value: 'good morning' }] };
  // The operator's default provider from the environment; a loopback model server has to be listed.
  const env = { SIGNALS_LLM_BASE_URL: 'http://127.0.0.1:9/v1', SIGNALS_LLM_MODEL: 'm', SIGNALS_LLM_API_KEY: 'k', SIGNALS_OUTBOUND_ALLOW: '127.0.0.1' };
  expect(await custom.judge(target, definition, { env, fetch })).toMatchObject({ status: 'labelled', label: 'yes', judge: 'llm' });
});

it('serves POST /v1/signals/test from the Worker entry', async () => {
  const res = await exports.default.fetch(
    new Request('http://agent-signals.test/v1/signals/test', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'refusal', conversations: [[{ role: 'user', content: 'hi?' }, { role: 'assistant', content: 'I cannot help with that.' }]] }),
    }),
  );
  expect(res.status).toBe(200);
  // One target judged by the template's default judge (rules or its learned model, bundled into the Worker).
  const body = (await res.json()) as { distribution: Record<string, number>; rows: { judge: string; status: string }[] };
  expect(body.distribution.yes + body.distribution.no).toBe(1);
  expect(body.rows[0]).toMatchObject({ status: 'labelled', judge: custom.templateDefinition('refusal')!.judge });
});
