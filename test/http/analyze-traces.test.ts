import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createApp, configFromEnv } from '../../src/http/app.js';

const app = createApp(configFromEnv({}));
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/traces/${name}`, import.meta.url), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
const json = async (response: Response): Promise<any> => response.json();
const post = (path: string, body: string, type = 'application/json') => app.request(path, { method: 'POST', headers: { 'content-type': type }, body });

describe('/v1/analyze on trace records', () => {
  it('assembles a session, says there was no unreadable span, and takes ?group=', async () => {
    const session = await post('/v1/analyze', fixture('openinference.json'));
    expect(session.status).toBe(200);
    expect(session.headers.get('signals-unreadable-genai-spans')).toBe('0');
    const body = await json(session);
    expect(body.id).toBe('conv-weather-1');
    expect(body.report.environment_signals.exhaustion.count).toBe(1);
    // The OpenInference AGENT span names the agent (not the service.name of the resource).
    expect(body.meta).toMatchObject({ agent: 'Weather Agent', session_id: 'conv-weather-1', llm_calls: 3, tool_calls: 1 });

    const perTrace = await post('/v1/analyze?group=trace', fixture('openinference.json'));
    expect(perTrace.status).toBe(400);
    expect((await json(perTrace)).error.message).toMatch(/^Expected one conversation, the body holds 2/);

    const bad = await post('/v1/analyze?group=turn', fixture('openinference.json'));
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toBe('Unknown group "turn"; expected one of span, trace, session');
  });

  it('counts GenAI spans without readable messages in headers and in the error', async () => {
    const span = (spanId: string, name: string, attributes: object[]) => ({ traceId: 't', spanId, name, attributes });
    const chat = { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } };
    const input = { key: 'gen_ai.input.messages', value: { stringValue: '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]' } };
    const spans = [span('1', 'chat gpt-4o', [chat]), span('2', 'chat ok', [chat, input])];
    const partly = await post('/v1/analyze', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }));
    expect(partly.status).toBe(200);
    expect(partly.headers.get('signals-unreadable-genai-spans')).toBe('1');
    expect(partly.headers.get('signals-unreadable-genai-span-names')).toBe('chat%20gpt-4o');
    const none = await post('/v1/analyze', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [spans[0]] }] }] }));
    expect(none.status).toBe(400);
    expect((await json(none)).error.message).toBe('Expected one conversation, the body holds 0; use /v1/analyze/batch for several (1 GenAI span(s) without readable messages: chat gpt-4o)');
  });

  it('reads every trace convention in /v1/analyze/batch, one line per session, ?group=span per LLM call', async () => {
    const lines = async (path: string, body: string) => (await (await post(path, body, 'application/x-ndjson')).text()).trim().split('\n').map((line) => JSON.parse(line));
    const records = ['semconv.json', 'langfuse-export.json', 'openai-agents.json'].map((name) => JSON.stringify(JSON.parse(fixture(name))));
    const out = await lines('/v1/analyze/batch', records.join('\n'));
    expect(out.map((line) => line.id)).toEqual(['conv-weather-1', 'conv-weather-1', 'thread-weather-1']);
    expect(out.map((line) => line.report.interaction_signals.disengagement.count)).toEqual([1, 1, 1]);
    const perSpan = await lines('/v1/analyze/batch?group=span', records[0]);
    expect(perSpan.map((line) => line.id)).toEqual(['00f067aa0ba902b2', '00f067aa0ba902b4', '00f067aa0ba902b6']);
  });
});
