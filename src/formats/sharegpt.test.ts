import { describe, expect, it } from 'vitest';
import { shareGPTToMessages } from './sharegpt.js';

describe('shareGPTToMessages', () => {
  it('keeps rows as given and drops extra keys', () => {
    expect(shareGPTToMessages([{ from: 'system', value: 's', weight: 1 }, { from: 'human', value: 'hi' }])).toEqual([
      { from: 'system', value: 's' },
      { from: 'human', value: 'hi' },
    ]);
  });

  it('defaults a missing from or value to ""', () => {
    expect(shareGPTToMessages([{ value: 'x' }, { from: 'gpt' }, {}])).toEqual([
      { from: '', value: 'x' },
      { from: 'gpt', value: '' },
      { from: '', value: '' },
    ]);
  });

  it('rejects null and non-string fields and non-object rows', () => {
    expect(() => shareGPTToMessages([{ from: 'human', value: null }])).toThrow('messages[0]: "value" must be a string, got null');
    expect(() => shareGPTToMessages([{ from: 'human', value: 'a' }, { from: 3, value: 'b' }])).toThrow('messages[1]: "from" must be a string, got number');
    expect(() => shareGPTToMessages([['human', 'hi']])).toThrow('messages[0]: row must be an object, got array');
  });

  it('renames role-named rows (user/assistant/tool) and drops their system rows, only when no human/gpt row is present', () => {
    expect(shareGPTToMessages([{ from: 'system', value: 's' }, { from: 'user', value: 'q' }, { from: 'tool', value: 'r' }, { from: 'assistant', value: 'a' }])).toEqual([
      { from: 'human', value: 'q' },
      { from: 'observation', value: 'r' },
      { from: 'gpt', value: 'a' },
    ]);
    // In the reference's own vocabulary, other speakers are kept as given (indexed, no signal).
    expect(shareGPTToMessages([{ from: 'human', value: 'q' }, { from: 'user', value: 'x' }])).toEqual([
      { from: 'human', value: 'q' },
      { from: 'user', value: 'x' },
    ]);
    expect(shareGPTToMessages([{ from: 'constructor', value: 'x' }])).toEqual([{ from: 'constructor', value: 'x' }]);
  });
});
