import { describe, expect, it } from 'vitest';
import { readVercelAI } from './vercel-ai.js';
import { view } from './test-span.js';

describe('readVercelAI', () => {
  it('reads AI SDK 5 prompt messages (tool-call input, tool-result output) and tool calls', () => {
    const prompt = [
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'f', input: { a: 1 } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'f', output: { type: 'json', value: { status: 503 } } }] },
    ];
    const read = readVercelAI(view({ 'ai.prompt.messages': JSON.stringify(prompt), 'ai.response.toolCalls': '[{"toolCallId":"c2","toolName":"g","input":"{}"}]' }));
    expect(read?.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: '{"status":503}' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c2', type: 'function', function: { name: 'g', arguments: '{}' } }] },
    ]);
  });

  it('reads ai.prompt with a plain prompt string, and AI SDK 5 tool call spans', () => {
    expect(readVercelAI(view({ 'ai.prompt': '{"prompt":"hello"}', 'ai.response.text': 'hi' }))?.messages).toEqual([
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: 'hi' },
    ]);
    const tool = readVercelAI(view({ 'ai.toolCall.name': 'f', 'ai.toolCall.id': 'c1', 'ai.toolCall.input': '{"a":1}', 'ai.toolCall.output': '{"ok":false}' }));
    expect(tool?.messages[1]).toEqual({ role: 'tool', tool_call_id: 'c1', content: '{"ok":false}' });
  });

  it('rejects a prompt that is not a message list', () => {
    expect(() => readVercelAI(view({ 'ai.prompt.messages': '{"a":1}' }))).toThrow('attribute ai.prompt.messages is not a JSON message list');
  });
});
