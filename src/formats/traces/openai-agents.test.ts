import { describe, expect, it } from 'vitest';
import { readOpenAIAgentsExport } from './openai-agents.js';

const trace = { object: 'trace', id: 'trace_1', workflow_name: 'Support', group_id: 'thread-9', metadata: null };
const span = (id: string, parent: string | null, span_data: object, error: object | null = null) => ({
  object: 'trace.span',
  id,
  trace_id: 'trace_1',
  parent_id: parent,
  started_at: '2025-01-01T10:00:00.123456+00:00',
  ended_at: '2025-01-01T10:00:01.000000+00:00',
  span_data,
  error,
});

describe('readOpenAIAgentsExport', () => {
  it('takes the agent from the nearest agent span, the session from group_id, microsecond times', () => {
    const { spans } = readOpenAIAgentsExport({
      data: [trace, span('a', null, { type: 'agent', name: 'Triage' }), span('g', 'a', { type: 'generation', input: [{ role: 'user', content: 'q' }], output: [{ role: 'assistant', content: 'a' }], model: 'gpt-4o' })],
    });
    expect(spans[1]).toMatchObject({ agent: 'Triage', sessionId: 'thread-9', kind: 'llm', model: 'gpt-4o', startTimeUnixNano: '1735725600123456000' });
  });

  it('gives a failed function call its error as result', () => {
    const { spans } = readOpenAIAgentsExport({ data: [trace, span('f', null, { type: 'function', name: 'lookup', input: '{}', output: null }, { message: 'Error running tool', data: { error: 'timeout' } })] });
    expect(spans[0].messages[1]).toEqual({ role: 'tool', tool_call_id: '', content: 'Error running tool: {"error":"timeout"}' });
  });

  it('reports response spans, which export no messages, as unreadable', () => {
    const { spans, warnings } = readOpenAIAgentsExport({ data: [trace, span('r', null, { type: 'response', response_id: 'resp_1' })] });
    expect(spans[0].unreadable).toBe(true);
    expect(warnings).toEqual([{ name: 'response', traceId: 'trace_1', spanId: 'r', reason: 'response span without input/output messages' }]);
  });
});
