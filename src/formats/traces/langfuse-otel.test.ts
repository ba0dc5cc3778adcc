import { describe, expect, it } from 'vitest';
import { readLangfuseOtel } from './langfuse-otel.js';
import { view } from './test-span.js';

describe('readLangfuseOtel', () => {
  it('reads a generation: message-list or {messages} input, string or message output', () => {
    const read = readLangfuseOtel(view({ 'langfuse.observation.type': 'generation', 'langfuse.observation.input': '{"messages":[{"role":"user","content":"q"}]}', 'langfuse.observation.output': '"a"' }));
    expect(read?.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a' },
    ]);
  });

  it('reads a prompt string input, and a generation by its model when the type is missing', () => {
    const read = readLangfuseOtel(view({ 'langfuse.observation.model.name': 'm', 'langfuse.observation.input': 'q', 'langfuse.observation.output': '{"role":"assistant","content":"a"}' }));
    expect(read?.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a' },
    ]);
  });

  it('leaves span observations alone: their input is any function input, not a turn', () => {
    expect(readLangfuseOtel(view({ 'langfuse.observation.type': 'span', 'langfuse.observation.input': '"q"' }))).toBeUndefined();
    expect(readLangfuseOtel(view({ 'langfuse.observation.input': '"q"' }))).toBeUndefined();
  });
});
