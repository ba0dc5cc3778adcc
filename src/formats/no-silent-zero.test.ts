import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect.js';
import { readRecord } from './to-conversations.js';
import { tau2RunToConversations, tauResultToConversation } from './tau.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../test/fixtures/traces/${name}`, import.meta.url), 'utf8'));
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

// Acceptance 4: nothing gives a silent zero-turn report: each case is an error or a counted warning.
describe('no silent zero-turn reports', () => {
  it('counts GenAI spans whose messages cannot be read, naming them', () => {
    const spans = [
      { traceId: 't', spanId: '1', name: 'chat gpt-4o', attributes: [str('gen_ai.operation.name', 'chat')] },
      { traceId: 't', spanId: '2', name: 'openai.chat', attributes: [str('llm.request.type', 'chat')] },
      { traceId: 't', spanId: '3', name: 'ai.generateText.doGenerate', attributes: [str('ai.model.id', 'm')] },
      { traceId: 't', spanId: '4', name: 'chat', attributes: [str('gen_ai.input.messages', 'not json')] },
    ];
    const { conversations, warnings } = readRecord({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
    expect(conversations).toEqual([]);
    expect(warnings.map((warning) => warning.name)).toEqual(['chat gpt-4o', 'openai.chat', 'ai.generateText.doGenerate', 'chat']);
  });

  it('rejects a forced format that reads no message', () => {
    const openai = fixture('openai-messages.json');
    expect(() => readRecord(openai, { format: 'sharegpt' })).toThrow('no readable message as sharegpt');
    expect(() => readRecord({ id: 1, messages: [{ from: 'human', value: 'hi' }] }, { format: 'openai' })).toThrow('messages[0]: unknown role null');
    expect(() => readRecord(openai, { format: 'otlp' })).toThrow('OTLP export must have a "resourceSpans" array');
    expect(() => readRecord(openai, { format: 'langfuse' })).toThrow('Langfuse export must be a trace');
    expect(() => readRecord(openai, { format: 'openai-agents' })).toThrow('OpenAI Agents export must be');
  });

  it('does not take Alpaca rows, Anthropic API responses or Langfuse exports for the Responses format', () => {
    const alpaca = { instruction: 'Translate', input: 'bonjour', output: 'hello' };
    const anthropic = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4', content: [{ type: 'text', text: 'Hi' }], stop_reason: 'end_turn', usage: {} };
    expect(detectFormat(alpaca)).toBeUndefined();
    expect(() => readRecord(alpaca)).toThrow('an Alpaca-style {"instruction","input","output"} row is not a conversation');
    expect(detectFormat(anthropic)).toBeUndefined();
    expect(() => readRecord(anthropic)).toThrow('an Anthropic API response ("type":"message") holds only the reply');
    expect(detectFormat([anthropic, anthropic])).toBeUndefined();
    expect(() => readRecord([anthropic])).toThrow('Anthropic API responses ("type":"message") hold only replies');
    const langfuseTrace = { id: 't', input: [{ role: 'user', content: 'q' }], output: 'a', observations: [] };
    expect(detectFormat(langfuseTrace)).toBe('langfuse');
  });

  it('says in meta that a tau-bench run crashed instead of giving a neutral empty conversation', () => {
    const crashed = tauResultToConversation({ task_id: 3, trial: 0, reward: 0, traj: [], info: { error: 'RateLimitError: 429' } });
    expect(crashed.messages).toEqual([]);
    expect(crashed.meta).toEqual({ task_id: 3, trial: 0, reward: 0, error: 'RateLimitError: 429', crashed: true });
  });
});

describe('tau2RunToConversations', () => {
  it('reads results.json with the simulations of simulations/*.json, once each', () => {
    const results = fixture('tau2-run/results.json');
    const simulation = fixture('tau2-run/simulations/weather_0-0.json');
    const conversations = tau2RunToConversations(results, [simulation, simulation]);
    expect(conversations.map((c) => [c.id, c.meta])).toEqual([['sim-weather-0', { task_id: 'weather_0', trial: 0, reward: 0 }]]);
    expect(conversations[0].messages.map((row) => row.from)).toEqual(['gpt', 'human', 'function_call', 'observation', 'gpt', 'human', 'gpt']);
    expect(() => tau2RunToConversations([], [])).toThrow('tau2 results.json must be an object');
    expect(() => tau2RunToConversations({}, [{ id: 'x' }])).toThrow('simulation 0: tau result must be an object with "traj" or "messages"');
  });
});
