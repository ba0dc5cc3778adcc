import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError } from './format-error.js';
import { toConversations } from './to-conversations.js';

describe('toConversations', () => {
  it('keeps id and meta of a corpus line', () => {
    const line = { id: 'x:1', messages: [{ from: 'human', value: 'hi' }], meta: { reward: 1 } };
    expect(toConversations(line)).toEqual([{ id: 'x:1', messages: [{ from: 'human', value: 'hi' }], meta: { reward: 1 } }]);
  });

  it('gives a bare message array and a record without id the id null', () => {
    expect(toConversations([{ role: 'user', content: 'a' }])).toEqual([{ id: null, messages: [{ from: 'human', value: 'a' }] }]);
    expect(toConversations({ messages: [{ role: 'user', content: 'a' }] })[0].id).toBeNull();
  });

  it('follows a forced format even where detection would differ', () => {
    const record = { id: 2, messages: [{ role: 'user', content: 'a', from: 'ignored' }] };
    expect(toConversations(record, 'openai')[0].messages).toEqual([{ from: 'human', value: 'a' }]);
    // Forced ShareGPT on OpenAI messages reads only empty rows: an error for the record, not an empty report.
    expect(() => toConversations({ id: 3, messages: [{ role: 'user', content: 'a' }] }, 'sharegpt')).toThrow('no readable message as sharegpt');
  });

  it('appends a Responses output to its input', () => {
    const record = { id: 'r', input: [{ role: 'user', content: 'q' }], output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a' }] }] };
    expect(toConversations(record)[0].messages).toEqual([
      { from: 'human', value: 'q' },
      { from: 'gpt', value: 'a' },
    ]);
  });

  it('reads an Anthropic request body', () => {
    const record = { id: 'a', system: 'rules', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };
    expect(toConversations(record)).toEqual([{ id: 'a', messages: [{ from: 'human', value: 'hi' }] }]);
  });

  it('turns a tau result array into one conversation per task', () => {
    const conversations = toConversations([
      { task_id: 1, trial: 0, reward: 1, traj: [{ role: 'user', content: 'a' }] },
      { task_id: 2, trial: 0, reward: 0, traj: [] },
    ]);
    expect(conversations.map((c) => c.id)).toEqual(['task1:trial0', 'task2:trial0']);
  });

  it('reads a whole tau2 results file through its simulations', () => {
    const file = {
      info: { num_trials: 1 },
      tasks: [],
      simulations: [
        { id: 'sim-a', task_id: '1', trial: 0, reward_info: { reward: 1 }, messages: [{ role: 'user', content: 'hi' }] },
        { id: 'sim-b', task_id: '2', trial: 0, reward_info: { reward: 0 }, messages: [] },
      ],
    };
    expect(toConversations(file).map((c) => [c.id, c.meta?.reward])).toEqual([
      ['sim-a', 1],
      ['sim-b', 0],
    ]);
  });

  it('reads an OTLP export', () => {
    const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/formats/otlp-agent.json', import.meta.url), 'utf8'));
    expect(toConversations(fixture).map((c) => c.id)).toEqual(['conv-1', 'bbbb']);
  });

  it('throws FormatError with a clear message on bad shapes', () => {
    expect(() => toConversations({ id: 1 })).toThrow(FormatError);
    expect(() => toConversations({ id: 1 })).toThrow(/^unrecognized record: expected "messages"/);
    expect(() => toConversations({ id: 1 }, 'openai')).toThrow('record has no "messages" array');
    expect(() => toConversations({ id: 1, messages: 'hi' }, 'sharegpt')).toThrow('messages must be an array, got string');
    expect(() => toConversations(42, 'openai')).toThrow('record must be an object or an array, got number');
  });
});
