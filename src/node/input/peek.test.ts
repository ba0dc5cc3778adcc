import { describe, expect, it } from 'vitest';
import { peek } from './peek.js';

async function* chunks(...texts: string[]) {
  for (const text of texts) yield Buffer.from(text);
}

async function text(source: AsyncIterable<Buffer>) {
  let all = '';
  for await (const chunk of source) all += chunk.toString();
  return all;
}

describe('peek', () => {
  it('returns the first chunk and replays the whole stream', async () => {
    const peeked = await peek(chunks('ab', 'cd', 'ef'));
    expect(peeked.first?.toString()).toBe('ab');
    expect(await text(peeked.chunks)).toBe('abcdef');
  });

  it('handles an empty stream', async () => {
    const peeked = await peek(chunks());
    expect(peeked.first).toBeUndefined();
    expect(await text(peeked.chunks)).toBe('');
  });
});
