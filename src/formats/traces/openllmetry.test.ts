import { describe, expect, it } from 'vitest';
import { readOpenLLMetry } from './openllmetry.js';
import { view } from './test-span.js';

describe('readOpenLLMetry', () => {
  it('reads indexed prompts and completions in index order, multimodal content and tool calls', () => {
    const read = readOpenLLMetry(
      view({
        'gen_ai.prompt.10.role': 'user',
        'gen_ai.prompt.10.content': 'later',
        'gen_ai.prompt.2.role': 'user',
        'gen_ai.prompt.2.content': '[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"x"}}]',
        'gen_ai.completion.0.role': 'assistant',
        'gen_ai.completion.0.tool_calls.0.id': 'c1',
        'gen_ai.completion.0.tool_calls.0.name': 'f',
        'gen_ai.completion.0.tool_calls.0.arguments': '{"a":1}',
        'llm.request.functions.0.name': 'f',
      }),
    );
    expect(read?.messages).toEqual([
      { role: 'user', content: 'look' },
      { role: 'user', content: 'later' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
    ]);
  });

  it('reads a Traceloop tool span: kwargs as arguments, the JSON output as result', () => {
    const read = readOpenLLMetry(view({ 'traceloop.span.kind': 'tool', 'traceloop.entity.name': 'f', 'traceloop.entity.input': '{"args": [], "kwargs": {"a": 1}}', 'traceloop.entity.output': '"503"' }));
    expect(read?.messages).toEqual([
      { role: 'assistant', content: '', tool_calls: [{ id: '', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
      { role: 'tool', tool_call_id: '', content: '503' },
    ]);
  });

  it('ignores spans without indexed messages', () => {
    expect(readOpenLLMetry(view({ 'traceloop.span.kind': 'workflow' }))).toBeUndefined();
  });
});
