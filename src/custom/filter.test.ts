import { describe, expect, it } from 'vitest';
import { parseDefinition } from './config.js';
import { filterMismatch } from './filter.js';
import { globMatcher } from './rules/features.js';
import type { Target } from './types.js';

const target: Target = {
  kind: 'trace',
  id: 't',
  agent: 'support-bot',
  messages: [
    { from: 'human', value: 'Book it' },
    { from: 'function_call', value: '{"name":"book","arguments":{}}' },
    { from: 'observation', value: 'Error: 500 Internal Server Error' },
  ],
  meta: { spanName: 'chat gpt-4o', model: 'gpt-4o-2024-08-06' },
};
const withFilter = (filter: Record<string, unknown>, agent = '*') =>
  parseDefinition({ name: 'f', scope: 'trace', type: 'binary', prompt: 'p', agent, filter, rules: { when: [{ label: 'yes', if: { expr: 'turns > 0' } }], default: 'no' } });

describe('filterMismatch', () => {
  it('passes a target every given field matches', () => {
    expect(filterMismatch(target, withFilter({ agent: 'support-*', span_name: 'chat *', model: ['claude-*', 'gpt-4o*'], min_messages: 3, max_messages: 3 }))).toBeNull();
    expect(filterMismatch(target, withFilter({ signals: ['environment.exhaustion.*', 'execution.failure.*'] }))).toBeNull();
  });

  it('says which field excludes the target', () => {
    expect(filterMismatch(target, withFilter({}, 'billing'))).toBe('agent "support-bot" is not "billing"');
    expect(filterMismatch(target, withFilter({ span_name: 'embed*' }))).toBe('span name "chat gpt-4o" does not match the filter');
    expect(filterMismatch(target, withFilter({ model: 'claude-*' }))).toBe('model "gpt-4o-2024-08-06" does not match the filter');
    expect(filterMismatch(target, withFilter({ min_messages: 4 }))).toBe('3 messages, fewer than 4');
    expect(filterMismatch(target, withFilter({ signals: ['interaction.satisfaction.*'] }))).toBe('none of the built-in signals interaction.satisfaction.*');
    expect(filterMismatch({ ...target, meta: {} }, withFilter({ model: '*' }))).toBe('model "" does not match the filter');
  });
});

describe('globMatcher', () => {
  it('matches * anywhere and nothing else specially', () => {
    expect(globMatcher('interaction.*')('interaction.disengagement.quit')).toBe(true);
    expect(globMatcher('*.quit')('interaction.disengagement.quit')).toBe(true);
    expect(globMatcher('a*b*c')('aXbYc')).toBe(true);
    expect(globMatcher('a*b*c')('acb')).toBe(false);
    expect(globMatcher('ab*ba')('aba')).toBe(false);
    expect(globMatcher('a.b')('aXb')).toBe(false);
  });
});
