/** Malformed OTLP/JSON at POST /v1/traces: a 400 naming the path, or the bad span rejected; never a 500. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { E19_GENAI_MESSAGES, otlpExport, SPEC_13_5_GENAI_MESSAGES, TRACE_ID } from './fixtures.js';

type Export = { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };

const LLM = 'resourceSpans[0].scopeSpans[0].spans[1]';

function deep(depth: number, leaf: string, open: string, close: string): string {
  return open.repeat(depth) + leaf + close.repeat(depth);
}

describe('malformed OTLP/JSON', () => {
  let service: NodeServer;
  beforeAll(async () => {
    service = await startNodeServer(configFromEnv({}), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await service.close();
  });

  const post = (body: string, query = '') =>
    fetch(`${service.url}/v1/traces${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  function withLlmField(field: string, value: unknown): string {
    const request = otlpExport(E19_GENAI_MESSAGES) as unknown as Export;
    request.resourceSpans[0].scopeSpans[0].spans[1][field] = value;
    return JSON.stringify(request);
  }

  it.each<[string, string, unknown, string]>([
    ['events as a number', 'events', 3, 'expected an array, got number'],
    ['events as an object', 'events', { name: 'x' }, 'expected an array, got object'],
    ['events as a string', 'events', 'abc', 'expected an array, got string'],
    ['attributes as an object', 'attributes', { 'gen_ai.input.messages': '[]' }, 'expected an array, got object'],
    ['attributes as a string', 'attributes', 'gen_ai.input.messages=[]', 'expected an array, got string'],
    ['a name that is an object', 'name', { text: 'chat' }, 'expected a string, got object'],
  ])('%s: the span is rejected and reported, the rest is answered', async (_name, field, value, problem) => {
    const res = await post(withLlmField(field, value), '?echo=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-signals-rejected-spans')).toBe('1');
    const echoed = (await res.json()) as Export;
    const spans = echoed.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    // Four spans in, the bad LLM span out; nothing like ["a","b","c"] for "abc".
    expect(spans.map((s) => s.name)).toEqual(['POST /chat', 'execute_tool get_weather', 'GET /invoices']);
    const plain = await post(withLlmField(field, value));
    expect(await plain.json()).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: `1 span(s) rejected; first: ${LLM}.${field}: ${problem}` } });
  });

  it('attributes with null: the span is rejected with the path of the null', async () => {
    const request = otlpExport(E19_GENAI_MESSAGES) as unknown as Export;
    (request.resourceSpans[0].scopeSpans[0].spans[1].attributes as unknown[]).splice(1, 0, null);
    const res = await post(JSON.stringify(request));
    expect(((await res.json()) as { partialSuccess: { errorMessage: string } }).partialSuccess.errorMessage).toBe(
      `1 span(s) rejected; first: ${LLM}.attributes[1]: expected an object, got null`,
    );
  });

  it('an export whose only span is bad is a 400 naming the path', async () => {
    const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE_ID, spanId: '0102030405060708', events: 'abc' }] }] }] });
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'invalid_otlp', message: 'No valid span in the export; first problem at resourceSpans[0].scopeSpans[0].spans[0].events: expected an array, got string' },
    });
  });

  it('a malformed level above the spans is a 400 naming the path', async () => {
    const res = await post('{"resourceSpans":[{"scopeSpans":"x"}]}');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_otlp', message: 'Malformed OTLP export at resourceSpans[0].scopeSpans: expected an array, got string' } });
  });

  it.each<[string, (body: string) => string]>([
    ['in an unknown top-level field', (body) => `{"extra":${deep(20_000, '1', '[', ']')},${body.slice(1)}`],
    ['in an unknown span field', (body) => body.replace('"name":"chat gpt-4o"', `"name":"chat gpt-4o","x":${deep(20_000, '1', '{"a":', '}')}`)],
    ['in an attribute value', (body) => body.replace('{"intValue":"321"}', deep(20_000, '{"stringValue":"x"}', '{"arrayValue":{"values":[', ']}}'))],
  ])('20,000-deep nesting %s is a 400 before parsing, never a 500', async (_name, edit) => {
    const res = await post(edit(JSON.stringify(otlpExport(E19_GENAI_MESSAGES))));
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('malformed_json');
    expect(error.message).toMatch(/nests deeper than \d+ levels at offset \d+/);
  });

  it('attribute values nested past the OTLP limit (but within the JSON limit) reject their span', async () => {
    const body = JSON.stringify(otlpExport(E19_GENAI_MESSAGES)).replace('{"intValue":"321"}', deep(40, '{"stringValue":"x"}', '{"arrayValue":{"values":[', ']}}'));
    const res = await post(body);
    expect(res.status).toBe(200);
    const { partialSuccess } = (await res.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(partialSuccess.rejectedSpans).toBe(1);
    expect(partialSuccess.errorMessage).toMatch(new RegExp(`^1 span\\(s\\) rejected; first: ${LLM.replace(/[[\].]/g, '\\$&')}\\.attributes\\[3\\]\\.value(\\.arrayValue\\.values\\[0\\])+: values nested deeper than 32 levels$`));
  });

  it('20,000-deep nesting inside a gen_ai.input.messages string never gives a 500', async () => {
    const res = await post(withLlmField('attributes', [{ key: 'gen_ai.input.messages', value: { stringValue: deep(20_000, '1', '[', ']') } }]));
    expect(res.status).toBeLessThan(500);
  });

  it('a GenAI span whose messages cannot be read is accepted and reported in headers', async () => {
    const res = await post(withLlmField('attributes', [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }, { key: 'gen_ai.input.messages', value: { stringValue: 'not json' } }]));
    expect(res.status).toBe(200);
    expect(res.headers.get('signals-unreadable-genai-spans')).toBe('1');
    expect(res.headers.get('signals-unreadable-genai-span-names')).toBe('chat%20gpt-4o');
    expect(await res.json()).toEqual({});
  });

  it('spans without ids from two conversations are both rejected, not merged onto one span', async () => {
    const a = otlpExport(E19_GENAI_MESSAGES) as unknown as Export;
    const b = otlpExport(SPEC_13_5_GENAI_MESSAGES) as unknown as Export;
    const llmA = { ...a.resourceSpans[0].scopeSpans[0].spans[1] };
    const llmB = { ...b.resourceSpans[0].scopeSpans[0].spans[1] };
    for (const span of [llmA, llmB]) {
      delete span.traceId;
      delete span.spanId;
      delete span.parentSpanId;
    }
    const res = await post(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [llmA, llmB, a.resourceSpans[0].scopeSpans[0].spans[2]] }] }] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedSpans: 2,
        errorMessage: '2 span(s) rejected; first: resourceSpans[0].scopeSpans[0].spans[0].traceId: missing (every span needs a 32-digit hex traceId)',
      },
    });
  });
});
