// Arrays longer than a function call has room for arguments (~125,000 on Node's default stack): `push(...items)`
// with such an array throws RangeError, which was a 500 (an OTLP exporter drops the batch on a 500). One Vercel AI
// span whose `ai.prompt` lists 131,000 messages fits in the default 5 MB body; the others need the operator's larger
// SIGNALS_MAX_BODY_BYTES. Each is read (and answered 200) or refused with a 4xx, never a 500.
import { describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';

const N = 131_000;
const app = createApp(configFromEnv({ SIGNALS_MAX_BODY_BYTES: String(64 * 1024 * 1024) }));
const now = BigInt(Date.parse('2026-12-01T12:00:00Z')) * 1_000_000n;
const str = (key: string, value: unknown) => ({ key, value: { stringValue: typeof value === 'string' ? value : JSON.stringify(value) } });
const many = <T,>(make: (i: number) => T): T[] => Array.from({ length: N }, (_, i) => make(i));

function exportOf(attributes: unknown[], events: unknown[] = []) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'huge')] },
        scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: '0000000000000001', name: 'chat', kind: 1, startTimeUnixNano: `${now}`, endTimeUnixNano: `${now + 1_000_000n}`, attributes, events }] }],
      },
    ],
  };
}

const SPANS: Array<[string, unknown]> = [
  ['Vercel AI ai.prompt with 131,000 messages', exportOf([str('ai.operationId', 'ai.generateText'), str('ai.prompt', { messages: many(() => ({ role: 'user', content: '' })) })])],
  ['GenAI semconv gen_ai.input.messages with 131,000 messages', exportOf([str('gen_ai.operation.name', 'chat'), str('gen_ai.input.messages', many(() => ({ role: 'user', parts: [{ type: 'text', content: '' }] })))])],
  [
    'GenAI semconv tool message with 131,000 responses',
    exportOf([str('gen_ai.operation.name', 'chat'), str('gen_ai.input.messages', [{ role: 'tool', parts: many((i) => ({ type: 'tool_call_response', id: `c${i}`, response: '' })) }])]),
  ],
  ['a GenAI content event with 131,000 messages', exportOf([str('gen_ai.operation.name', 'chat')], [{ name: 'gen_ai.content.prompt', timeUnixNano: `${now}`, attributes: [str('gen_ai.prompt', many(() => ({ role: 'user', content: '' })))] }])],
];

const CONVERSATIONS: Array<[string, unknown]> = [
  ['an Anthropic user turn of 131,000 tool results', { messages: [{ role: 'user', content: many((i) => ({ type: 'tool_result', tool_use_id: `t${i}`, content: '' })) }] }],
  ['an OpenAI assistant turn with 131,000 tool calls', { messages: [{ role: 'assistant', content: null, tool_calls: many((i) => ({ id: `c${i}`, type: 'function', function: { name: 'f', arguments: '{}' } })) }] }],
];

describe('arrays longer than a call has arguments', () => {
  it.each(SPANS)('POST /v1/traces?echo=1: %s', async (_, body) => {
    const res = await app.request('/v1/traces?echo=1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, (await res.clone().text()).slice(0, 300)).toBeLessThan(500);
  });

  it.each(CONVERSATIONS)('POST /v1/analyze: %s', async (_, body) => {
    const res = await app.request('/v1/analyze', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, (await res.clone().text()).slice(0, 300)).toBeLessThan(500);
  });
});
