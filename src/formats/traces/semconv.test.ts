import { describe, expect, it } from 'vitest';
import { readSemconv } from './semconv.js';
import { view } from './test-span.js';

const user = { role: 'user', parts: [{ type: 'text', content: 'hi' }] };

describe('readSemconv', () => {
  it('reads JSON-string messages and system instructions', () => {
    const read = readSemconv(
      view({
        'gen_ai.system_instructions': '[{"type":"text","content":"be brief"}]',
        'gen_ai.input.messages': JSON.stringify([user]),
        'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"hello"}],"finish_reason":"stop"}]',
      }),
    );
    expect(read).toEqual({
      kind: 'llm',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'hello' }], tool_calls: [] },
      ],
    });
  });

  it('reads structured values (decoded AnyValue arrays) and tool responses under result', () => {
    const tool = { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', result: { status: 503 } }] };
    expect(readSemconv(view({ 'gen_ai.input.messages': [user, tool] }))?.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'tool', tool_call_id: 'c1', content: '{"status":503}' },
    ]);
  });

  it('reads the inference operation details event', () => {
    const event = { name: 'gen_ai.client.inference.operation.details', attributes: { 'gen_ai.input.messages': [user] } };
    expect(readSemconv(view({ 'gen_ai.operation.name': 'chat' }, [event]))?.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  });

  it('reads an execute_tool span as a tool run', () => {
    const read = readSemconv(view({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'f', 'gen_ai.tool.call.id': 'c1', 'gen_ai.tool.call.arguments': '{"a":1}', 'gen_ai.tool.call.result': 'ok' }));
    expect(read).toEqual({
      kind: 'tool',
      messages: [
        { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      ],
    });
  });

  it('rejects messages that are not JSON and ignores spans of other conventions', () => {
    expect(() => readSemconv(view({ 'gen_ai.input.messages': '[{' }))).toThrow('attribute gen_ai.input.messages is not valid JSON');
    expect(readSemconv(view({ 'gen_ai.operation.name': 'chat' }))).toBeUndefined();
  });
});
