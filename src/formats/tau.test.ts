import { describe, expect, it } from 'vitest';
import { isTauResult, tauResultToConversation } from './tau.js';

describe('tauResultToConversation', () => {
  it('reads a tau-bench result (traj of OpenAI messages) with reward and task id as meta', () => {
    const conversation = tauResultToConversation({
      task_id: 7,
      trial: 2,
      reward: 1.0,
      info: {},
      traj: [
        { role: 'system', content: 'policy' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'look', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'a', content: 'ok' },
      ],
    });
    expect(conversation).toEqual({
      id: 'task7:trial2',
      messages: [
        { from: 'human', value: 'hi' },
        { from: 'function_call', value: '{"name":"look","arguments":"{}"}' },
        { from: 'observation', value: 'ok' },
      ],
      meta: { task_id: 7, trial: 2, reward: 1.0 },
    });
  });

  it('reads a tau2 simulation (flat tool calls with object arguments, reward_info.reward)', () => {
    const conversation = tauResultToConversation({
      id: 'sim-1',
      task_id: '12',
      trial: 0,
      reward_info: { reward: 0.0 },
      messages: [
        { role: 'assistant', content: 'Hi!', turn_idx: 0 },
        { role: 'user', content: null, tool_calls: [{ id: 'u1', name: 'toggle_airplane_mode', arguments: {}, requestor: 'user' }] },
        { role: 'tool', id: 'u1', content: 'Airplane mode on', requestor: 'user' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', name: 'get_user', arguments: { user_id: 'x' }, requestor: 'assistant' }] },
      ],
    });
    expect(conversation.id).toBe('sim-1');
    expect(conversation.meta).toEqual({ task_id: '12', trial: 0, reward: 0.0 });
    expect(conversation.messages).toEqual([
      { from: 'gpt', value: 'Hi!' },
      { from: 'human', value: '' },
      { from: 'observation', value: 'Airplane mode on' },
      { from: 'function_call', value: '{"name":"get_user","arguments":"{\\"user_id\\":\\"x\\"}"}' },
    ]);
  });

  it('gives a null reward when there is none', () => {
    expect(tauResultToConversation({ task_id: 1, traj: [] }).meta).toEqual({ task_id: 1, trial: null, reward: null });
    expect(tauResultToConversation({ task_id: 1, traj: [] }).id).toBe('task1');
  });

  it('rejects a record that is not a task result', () => {
    expect(() => tauResultToConversation({ messages: [] })).toThrow('tau result must be an object with "traj" or "messages"');
  });
});

describe('isTauResult', () => {
  it('needs traj, or messages with reward_info or task_id', () => {
    expect(isTauResult({ traj: [] })).toBe(true);
    expect(isTauResult({ messages: [], task_id: 1 })).toBe(true);
    expect(isTauResult({ id: 1, messages: [], meta: {} })).toBe(false);
  });
});
