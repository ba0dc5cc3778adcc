import { describe, expect, it } from 'vitest';
import { readOpenInference } from './openinference.js';
import { view } from './test-span.js';

describe('readOpenInference', () => {
  it('reads content, contents parts, tool calls and tool results', () => {
    const read = readOpenInference(
      view({
        'openinference.span.kind': 'LLM',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.contents.0.message_content.type': 'text',
        'llm.input_messages.0.message.contents.0.message_content.text': 'a',
        'llm.input_messages.0.message.contents.1.message_content.type': 'image',
        'llm.input_messages.0.message.contents.1.message_content.image.image.url': 'x',
        'llm.input_messages.1.message.role': 'tool',
        'llm.input_messages.1.message.content': 'r',
        'llm.input_messages.1.message.tool_call_id': 'c0',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'c1',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'f',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{}',
      }),
    );
    expect(read?.messages).toEqual([
      { role: 'user', content: 'a' },
      { role: 'tool', tool_call_id: 'c0', content: 'r' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
    ]);
  });

  it('falls back to the raw request and response JSON of an LLM span', () => {
    const read = readOpenInference(
      view({
        'openinference.span.kind': 'LLM',
        'input.value': '{"model":"m","messages":[{"role":"user","content":"q"}]}',
        'output.value': '{"choices":[{"message":{"role":"assistant","content":"a"}}]}',
      }),
    );
    expect(read?.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a' },
    ]);
  });

  it('reads a TOOL span as a tool run and ignores chain spans', () => {
    expect(readOpenInference(view({ 'openinference.span.kind': 'TOOL', 'tool.name': 'f', 'input.value': '{"a":1}', 'output.value': 'ok' }))?.kind).toBe('tool');
    expect(readOpenInference(view({ 'openinference.span.kind': 'CHAIN', 'input.value': 'q' }))).toBeUndefined();
    expect(readOpenInference(view({ 'openinference.span.kind': 'LLM', 'input.value': 'not json' }))).toBeUndefined();
  });
});
