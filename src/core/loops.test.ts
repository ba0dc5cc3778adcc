import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { argsEqual, LoopScanner, scanOscillations } from './loops.js';
import { parseToolCall, type ToolCall } from './tool-call.js';
import { call, rows, signalsOf, typesAt } from '../../test/helpers/rows.js';

describe('parseToolCall (spec §8.3, §9.1)', () => {
  it('reads name, then function, else unknown; non-string names are unknown', () => {
    expect(parseToolCall('{"name":"a","function":"b"}', 0).name).toBe('a');
    expect(parseToolCall('{"function":"b"}', 0).name).toBe('b');
    expect(parseToolCall('{"name":null,"function":"b"}', 0).name).toBe('unknown');
    expect(parseToolCall('{"function":{"name":"nested"}}', 0).name).toBe('unknown');
  });

  it('sorts top-level argument keys and keeps string arguments verbatim', () => {
    expect(parseToolCall('{"name":"f","arguments":{"b":1,"a":{"y":1,"x":2}}}', 0).args).toBe('{"a":{"y":1,"x":2},"b":1}');
    expect(parseToolCall('{"name":"f","arguments":"{\\"a\\": 1}"}', 0).args).toBe('{"a": 1}');
    expect(parseToolCall('{"name":"f","arguments":null,"args":{"x":1}}', 0).args).toBe('null');
    expect(parseToolCall('{"name":"f","args":[1,2]}', 0).args).toBe('[1,2]');
    expect(parseToolCall('{"name":"f"}', 0).args).toBe('');
  });

  it('falls back to call syntax for values that are not JSON objects', () => {
    expect(parseToolCall(' search ({"q": "x", "a": 1}) ', 0)).toMatchObject({ name: 'search', jsonName: 'unknown' });
    expect(parseToolCall('search({"q": "x", "a": 1})', 0).args).toBe('{"a":1,"q":"x"}');
    expect(parseToolCall('search(not json)', 0).args).toBe('not json');
    expect(parseToolCall('search(', 0).args).toBe('(');
    expect(parseToolCall('(x)', 0)).toMatchObject({ name: '(x)', args: '' });
    expect(parseToolCall('[1,2]', 0)).toMatchObject({ name: '[1,2]', args: '' });
  });
});

describe('detectLoops', () => {
  it('A(x) A(x) A(x) A(y): a retry, and the overlapping drift is suppressed (spec §15.20)', () => {
    const report = analyze(rows(call('A', { v: 'x' }), call('A', { v: 'x' }), call('A', { v: 'x' }), call('A', { v: 'y' })));
    expect(typesAt(report)).toEqual(['execution.loops.retry@0']);
    expect(signalsOf(report)[0].metadata).toMatchObject({ start_index: 0, end_index: 2, call_count: 3 });
  });

  it('compares argument objects structurally but argument strings exactly', () => {
    const objects = analyze(rows(...['{"a":1,"b":2}', '{"b":2,"a":1}', '{"a":1,"b":2}'].map((a) => ['function_call', `{"name":"f","arguments":${a}}`] as [string, string])));
    expect(typesAt(objects)).toEqual(['execution.loops.retry@0']);
    const strings = analyze(rows(...['{"a":1}', '{"a": 1}', '{"a":1}'].map((a) => call('f', a))));
    expect(typesAt(strings)).toEqual(['execution.loops.parameter_drift@0']);
  });

  it('integer and float literals differ in retries (1 vs 1.0)', () => {
    const report = analyze(rows(...['1', '1.0', '1'].map((v) => ['function_call', `{"name":"f","arguments":{"n":${v}}}`] as [string, string])));
    expect(typesAt(report)).toEqual(['execution.loops.parameter_drift@0']);
    expect(signalsOf(report)[0].metadata.variation_count).toBe(2);
  });

  it('needs three calls; a longer alternation is one oscillation', () => {
    expect(typesAt(analyze(rows(call('A', {}), call('A', {}))))).toEqual([]);
    const names = ['A', 'B', 'C', 'A', 'B', 'C', 'A', 'B', 'C', 'A'];
    const report = analyze(rows(...names.map((n) => call(n, {}))));
    expect(typesAt(report)).toEqual(['execution.loops.oscillation@0']);
    expect(signalsOf(report)[0].metadata).toEqual({ pattern: ['A', 'B', 'C'], start_index: 0, end_index: 8, cycle_count: 3, loop_type: 'oscillation' });
  });

  it('uses slice-relative indices past 100 rows', () => {
    const filler = Array.from({ length: 50 }, () => ({ from: 'system', value: '' }));
    const report = analyze([...filler, ...rows(call('A', {}), call('A', {}), call('A', {})), ...filler]);
    expect(typesAt(report)).toEqual(['execution.loops.retry@47']);
  });
});

/**
 * The reference's three scans written plainly over all the calls (spec §9), as an oracle for the step-wise
 * scanner: the kinds of each signal with its first and last row.
 */
function plainLoops(calls: ToolCall[]): string[] {
  if (calls.length < 3) return [];
  const runsOf = (same: (a: ToolCall, b: ToolCall) => boolean, keep: (run: ToolCall[]) => boolean, skipRejected: boolean) => {
    const runs: ToolCall[][] = [];
    for (let i = 0; i < calls.length; ) {
      let j = i + 1;
      while (j < calls.length && same(calls[i], calls[j])) j++;
      const run = calls.slice(i, j);
      if (keep(run)) runs.push(run);
      i = keep(run) || skipRejected ? j : i + 1;
    }
    return runs;
  };
  const retries = runsOf((a, b) => a.name === b.name && argsEqual(b, a), (run) => run.length >= 3, false);
  const drifts = runsOf((a, b) => a.name === b.name, (run) => run.length >= 3 && new Set(run.map((c) => c.args)).size >= 2, true).filter(
    (run) => !retries.some((r) => run[0].index <= r[r.length - 1].index && r[0].index <= run[run.length - 1].index),
  );
  let lastEnd = -1;
  const oscillations = scanOscillations(calls, 0).filter((o) => o.start > lastEnd && ((lastEnd = o.end), true));
  return [
    ...retries.map((r) => `retry ${r[0].index}-${r[r.length - 1].index}`),
    ...drifts.map((r) => `parameter_drift ${r[0].index}-${r[r.length - 1].index}`),
    ...oscillations.map((o) => `oscillation ${o.start}-${o.end} x${o.cycles}`),
  ];
}

describe('LoopScanner (property)', () => {
  const callArb = fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('{"x":1}', '{"x":1.0}', '{"x":2}', '"x"'));
  // Repeated patterns of 1-5 calls make long retries, drifts and oscillations likely.
  const patterns = fc.array(fc.tuple(fc.array(callArb, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 6 })), { maxLength: 10 });

  it('after every call, reports what the plain scans of all calls so far find', () => {
    fc.assert(
      fc.property(patterns, (parts) => {
        const calls = parts.flatMap(([p, k]) => Array.from({ length: k }, () => p).flat()).map(([name, args], i) => parseToolCall(`{"name":"${name}","arguments":${args}}`, i));
        const scanner = new LoopScanner();
        calls.forEach((c, i) => {
          scanner.push(c);
          const found = scanner.signals().map((s) => {
            const m = s.metadata as { loop_type: string; start_index: number; end_index: number; cycle_count?: number };
            return `${m.loop_type} ${m.start_index}-${m.end_index}${m.cycle_count ? ` x${m.cycle_count}` : ''}`;
          });
          expect(found, `after call ${i}`).toEqual(plainLoops(calls.slice(0, i + 1)));
        });
      }),
      { numRuns: 300 },
    );
  });
});
