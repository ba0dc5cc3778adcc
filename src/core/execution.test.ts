import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { contextSnippet } from './snippet.js';
import { call, rows, signalsOf, typesAt } from '../../test/helpers/rows.js';

describe('failure and exhaustion', () => {
  it('one observation can be both a failure and an exhaustion signal', () => {
    const report = analyze(rows(call('f', {}), ['observation', 'Invalid JSON in request']));
    expect(typesAt(report)).toEqual(['execution.failure.invalid_args@1', 'environment.exhaustion.malformed_response@1']);
  });

  it('follows the priority order, not the listing order', () => {
    expect(typesAt(analyze(rows(['observation', 'unknown tool, invalid argument'])))).toEqual(['execution.failure.invalid_args@0']);
    expect(typesAt(analyze(rows(['observation', 'gateway timeout'])))).toEqual(['environment.exhaustion.timeout@0']);
    expect(typesAt(analyze(rows(['observation', '504 Gateway Timeout'])))).toEqual(['environment.exhaustion.api_error@0']);
    expect(typesAt(analyze(rows(['observation', 'we exceeded the maximum context limit'])))).toEqual(['environment.exhaustion.rate_limit@0']);
  });

  it("bad_query's confidence depends on error words anywhere", () => {
    const [withError] = signalsOf(analyze(rows(['observation', 'unknown id (error)'])));
    const [plain] = signalsOf(analyze(rows(['observation', 'unknown id'])));
    expect([withError.confidence, plain.confidence]).toEqual([Math.fround(0.8), Math.fround(0.6)]);
  });

  it('all observations after one call refer to it, and tool calls with non-JSON values are "unknown"', () => {
    const report = analyze(rows(['function_call', 'lookup(abc)'], ['observation', 'permission denied'], ['observation', 'token expired']));
    expect(signalsOf(report).map((s) => [s.message_index, s.metadata.tool_name, s.metadata.call_index])).toEqual([
      [1, 'unknown', 0],
      [2, 'unknown', 0],
    ]);
  });

  it('an empty observation matches nothing', () => {
    expect(typesAt(analyze(rows(call('f', {}), ['observation', ''])))).toEqual([]);
  });
});

describe('contextSnippet (spec §11.3)', () => {
  it('cuts 50 bytes around the match with ellipses', () => {
    const value = `${'x'.repeat(100)}rate limit${'y'.repeat(100)}`;
    expect(contextSnippet(value, value, 100, 110, 50)).toBe(`...${'x'.repeat(50)}rate limit${'y'.repeat(50)}...`);
  });

  it('counts bytes, moving the start back and the end forward to char boundaries', () => {
    const value = `${'é'.repeat(30)}timeout${'é'.repeat(30)}`;
    // 50 bytes before the match end inside a 2-byte char: 25 chars each side.
    expect(contextSnippet(value, value, 30, 37, 50)).toBe(`...${'é'.repeat(25)}timeout${'é'.repeat(25)}...`);
    const odd = `a${'é'.repeat(30)}timeout`;
    expect(contextSnippet(odd, odd, 31, 38, 50)).toBe(`...${'é'.repeat(25)}timeout`);
  });

  it('applies offsets from the lowercased text to the original (the İ quirk)', () => {
    const value = `${'İ'.repeat(30)} timeout`;
    const lower = value.toLowerCase();
    const start = lower.indexOf('timeout');
    // İ is 2 bytes but lowercases to 3 ("i̇"): the match starts at byte 91 of the lowercased text, so the
    // window starts at byte 41 of the 68-byte original, inside the 21st İ, and moves back to byte 40.
    expect(contextSnippet(value, lower, start, start + 7, 50)).toBe(`...${'İ'.repeat(10)} timeout`);
  });
});
