import { describe, expect, it } from 'vitest';
import { readSpans } from './read-spans.js';

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const exportOf = (spans: object[], service = 'svc') => ({ resourceSpans: [{ resource: { attributes: [str('service.name', service)] }, scopeSpans: [{ spans }] }] });

describe('readSpans', () => {
  it('counts LLM spans without readable messages and skips non-GenAI spans', () => {
    const { spans, warnings } = readSpans(
      exportOf([
        { traceId: 't', spanId: 'h', name: 'GET /', attributes: [str('http.method', 'GET')] },
        { traceId: 't', spanId: 'c', name: 'chat gpt-4o', attributes: [str('gen_ai.operation.name', 'chat'), str('gen_ai.request.model', 'gpt-4o')] },
        { traceId: 't', spanId: 'o', name: 'ChatCompletion', attributes: [str('openinference.span.kind', 'LLM')] },
        { traceId: 't', spanId: 'a', name: 'agent', attributes: [str('gen_ai.operation.name', 'invoke_agent')] },
      ]),
    );
    expect(spans.map((span) => [span.spanId, span.unreadable, span.model])).toEqual([
      ['c', true, 'gpt-4o'],
      ['o', true, null],
      ['a', false, null],
    ]);
    expect(warnings).toEqual([
      { name: 'chat gpt-4o', traceId: 't', spanId: 'c', reason: 'no readable message attributes' },
      { name: 'ChatCompletion', traceId: 't', spanId: 'o', reason: 'no readable message attributes' },
    ]);
  });

  it('gives a failed tool span without output its error as result, without the stack trace', () => {
    const tool = (spanId: string, extra: object) => ({ traceId: 't', spanId, name: 'get_weather', attributes: [str('openinference.span.kind', 'TOOL'), str('tool.name', 'get_weather'), str('input.value', 'Paris')], ...extra });
    const { spans } = readSpans(
      exportOf([
        tool('e', { status: { code: 2 }, events: [{ name: 'exception', attributes: [str('exception.type', 'Error'), str('exception.message', '503 Service Unavailable\n\nError: 503 Service Unavailable\n    at getWeather (/app/tool.js:1:1)')] }] }),
        tool('s', { status: { code: 2, message: 'upstream failed\n    at x (/app/a.js:2:2)' } }),
        tool('ok', { status: { code: 1 } }),
      ]),
    );
    expect(spans.map((span) => span.messages[1])).toEqual([
      { role: 'tool', tool_call_id: '', content: 'Error: 503 Service Unavailable' },
      { role: 'tool', tool_call_id: '', content: 'upstream failed' },
      { role: 'tool', tool_call_id: '', content: '' },
    ]);
  });

  it('names the agent after an OpenInference AGENT span or a Langfuse agent observation above the LLM call', () => {
    const chat = (spanId: string, parentSpanId: string) => ({ traceId: 't', spanId, parentSpanId, attributes: [str('gen_ai.operation.name', 'chat')] });
    const { spans } = readSpans(
      exportOf([
        { traceId: 't', spanId: 'oi', name: 'Weather agent', attributes: [str('openinference.span.kind', 'AGENT')] },
        chat('c1', 'oi'),
        { traceId: 't', spanId: 'oi2', name: 'span', attributes: [str('openinference.span.kind', 'AGENT'), str('agent.name', 'Triage')] },
        chat('c2', 'oi2'),
        { traceId: 't', spanId: 'lf', name: 'weather-lf', attributes: [str('langfuse.observation.type', 'agent')] },
        chat('c3', 'lf'),
        { traceId: 't', spanId: 'ch', name: 'chain', attributes: [str('openinference.span.kind', 'CHAIN')] },
        chat('c4', 'ch'),
      ]),
    );
    expect(Object.fromEntries(spans.filter((s) => s.spanId.startsWith('c')).map((s) => [s.spanId, s.agent]))).toEqual({ c1: 'Weather agent', c2: 'Triage', c3: 'weather-lf', c4: 'svc', ch: 'svc' });
  });

  it('takes the agent from the span, else its nearest agent ancestor, else the service name', () => {
    const chat = (spanId: string, parentSpanId: string) => ({ traceId: 't', spanId, parentSpanId, attributes: [str('gen_ai.operation.name', 'chat')] });
    const { spans } = readSpans(
      exportOf([
        { traceId: 't', spanId: 'root', attributes: [str('gen_ai.agent.name', 'Planner'), str('session.id', 's1')] },
        { traceId: 't', spanId: 'mid', parentSpanId: 'root', attributes: [str('http.method', 'POST')] },
        chat('deep', 'mid'),
        { traceId: 't', spanId: 'own', parentSpanId: 'root', attributes: [str('gen_ai.agent.id', 'a-7'), str('gen_ai.agent.name', 'Coder')] },
        chat('orphan', ''),
      ]),
    );
    expect(spans.map((span) => [span.spanId, span.agent, span.sessionId])).toEqual([
      ['root', 'Planner', 's1'],
      ['deep', 'Planner', null],
      ['own', 'a-7', null],
      ['orphan', 'svc', null],
    ]);
    expect(readSpans(exportOf([chat('x', '')]), { agent: 'forced' }).spans[0].agent).toBe('forced');
  });

  it('rejects what is not an OTLP export', () => {
    expect(() => readSpans([])).toThrow('OTLP export must be an object, got array');
    expect(() => readSpans({ resourceSpans: [{ scopeSpans: [{ spans: 1 }] }] })).toThrow('resourceSpans[0].scopeSpans[0]: "spans" must be an array, got number');
  });
});
