import { describe, expect, it } from 'vitest';
import { analyze, serializeReport } from '../core/index.js';
import { signalTypesOf, triageInputs } from './inputs.js';

const messages = [
  { from: 'human', value: 'Cancel my order 42.' },
  { from: 'function_call', value: '{"name": "cancel_order", "arguments": {"id": 42}}' },
  { from: 'observation', value: 'Error: order not found' },
  { from: 'function_call', value: '{"name": "cancel_order", "arguments": {"id": 42}}' },
  { from: 'observation', value: 'Error: order not found' },
  { from: 'function_call', value: '{"name": "cancel_order", "arguments": {"id": 42}}' },
  { from: 'observation', value: 'Error: order not found' },
  { from: 'gpt', value: 'Sorry, I could not find it.' },
  { from: 'human', value: 'That is wrong, it still exists.' },
];

describe('triageInputs', () => {
  it('analyzes a raw conversation and keeps its meta', () => {
    const [input] = triageInputs({ id: 'x', messages, meta: { source: 's' } });
    expect(input).toMatchObject({ id: 'x', meta: { source: 's' }, features: { tool_errors: 3, pushback: 1 } });
    expect(signalTypesOf(input.report)).toContain('execution.loops.retry');
  });

  it('uses a {"id","report"} line as is, without row features', () => {
    const report = JSON.parse(serializeReport(analyze(messages)));
    const [input] = triageInputs({ id: 'x', report, meta: { source: 's' } });
    expect(input.report).toEqual(report);
    expect(input.meta).toEqual({ source: 's' });
    expect(input.features).toMatchObject({ tool_errors: 0, pushback: 0, loops: 1 });
  });

  it('throws the formats error on an unrecognized record', () => {
    expect(() => triageInputs({ id: 1, text: 'hi' })).toThrow(/unrecognized record/);
  });
});
