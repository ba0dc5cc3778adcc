import { describe, expect, it } from 'vitest';
import { readLangfuseExport } from './langfuse-export.js';

describe('readLangfuseExport', () => {
  it('reads one trace with its generations and tools, and counts generations without content', () => {
    const { spans, warnings } = readLangfuseExport({
      id: 't1',
      name: 'support',
      sessionId: null,
      observations: [
        { id: 'o1', type: 'GENERATION', name: 'gen', startTime: '2025-01-01T10:00:00.000Z', input: [{ role: 'user', content: 'q' }], output: 'a' },
        { id: 'o2', type: 'TOOL', name: 'lookup', startTime: '2025-01-01T10:00:01.000Z', input: { id: 1 }, output: { error: 503 } },
        { id: 'o3', type: 'GENERATION', name: 'empty', startTime: '2025-01-01T10:00:02.000Z', input: null, output: null },
        { id: 'o4', type: 'SPAN', name: 'retrieve', startTime: '2025-01-01T10:00:03.000Z', input: 'x', output: 'y' },
      ],
    });
    expect(spans.map((span) => [span.spanId, span.kind, span.messages.length])).toEqual([
      ['o1', 'llm', 2],
      ['o2', 'tool', 2],
      ['o3', 'other', 0],
      ['o4', 'other', 0],
    ]);
    expect(spans[1].messages[1]).toEqual({ role: 'tool', tool_call_id: '', content: '{"error":503}' });
    expect(warnings.map((warning) => warning.name)).toEqual(['empty']);
  });

  it('explains observations given as ids (the list endpoint)', () => {
    expect(() => readLangfuseExport({ id: 't', observations: ['o1'] })).toThrow('trace.observations[0]: observation must be an object, got string (the trace list endpoint gives ids only');
  });
});
