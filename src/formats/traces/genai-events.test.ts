import { describe, expect, it } from 'vitest';
import { readGenAIEvents } from './genai-events.js';
import { view } from './test-span.js';

describe('readGenAIEvents', () => {
  it('reads per-message events with the body in gen_ai.event.content or in the attributes', () => {
    const read = readGenAIEvents(
      view({}, [
        { name: 'gen_ai.user.message', attributes: { 'gen_ai.event.content': '{"content":"hi"}' } },
        { name: 'gen_ai.assistant.message', attributes: { tool_calls: '[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]' } },
        { name: 'gen_ai.tool.message', attributes: { content: 'down', id: 'c1' } },
        { name: 'gen_ai.choice', attributes: { 'gen_ai.event.content': '{"index":0,"finish_reason":"stop","message":{"content":"sorry"}}' } },
        { name: 'exception', attributes: {} },
      ]),
    );
    expect(read?.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'down' },
      { role: 'assistant', content: 'sorry' },
    ]);
  });

  it('reads gen_ai.content.prompt / completion events as JSON lists or plain text', () => {
    const read = readGenAIEvents(
      view({}, [
        { name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': 'plain question' } },
        { name: 'gen_ai.content.completion', attributes: { 'gen_ai.completion': '[{"content":"answer"}]' } },
      ]),
    );
    expect(read?.messages).toEqual([
      { role: 'user', content: 'plain question' },
      { role: 'assistant', content: 'answer' },
    ]);
  });

  it('ignores spans without GenAI events', () => {
    expect(readGenAIEvents(view({}, [{ name: 'exception', attributes: {} }]))).toBeUndefined();
  });
});
