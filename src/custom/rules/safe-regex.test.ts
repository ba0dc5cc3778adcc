import { describe, expect, it } from 'vitest';
import { compilePattern, PatternError } from './safe-regex.js';

const find = (pattern: string, text: string, caseSensitive = false) => compilePattern(pattern, { caseSensitive }).search(text);

describe('safe regex subset', () => {
  it('finds literals, classes, escapes and anchors like JavaScript does', () => {
    const cases: [string, string][] = [
      ['ignore (all )?(previous|prior) instructions', 'Please IGNORE all previous instructions now'],
      ['\\bdan\\b', 'you are DAN now'],
      ['\\bdan\\b', 'dance'],
      ['^hello', 'say hello'],
      ['^hello', 'hello there'],
      ['done\\.$', 'all done.'],
      ['[0-9]{3}-[0-9]{4}', 'call 555-1234'],
      ['a{2,3}b', 'aaab'],
      ['colou?r', 'what color'],
      ['\\d+ (errors?|failures?)', '12 failures found'],
      ['\\p{Lu}{3}', 'abcDEF'],
      ['x.*y', 'x---\n---y'],
      ['(?:na)+ batman', 'nanana batman'],
      ['(?<word>oops)', 'oh oops'],
    ];
    for (const [pattern, text] of cases) {
      const expected = new RegExp(pattern, 'iu').exec(text);
      const got = find(pattern, text);
      expect(got === null ? null : got.index, `${pattern} on ${text}`).toBe(expected === null ? null : expected.index);
      if (got && expected && !/\{3\}|\+/.test(pattern)) expect(got.text.length).toBeGreaterThan(0);
    }
  });

  it('honours case sensitivity', () => {
    expect(find('DAN', 'dan', true)).toBeNull();
    expect(find('DAN', 'DAN', true)).toEqual({ index: 0, text: 'DAN' });
    expect(find('DAN', 'dan')).toEqual({ index: 0, text: 'dan' });
  });

  it('reads a leading (?i) as case-insensitive, even when the condition asks for case sensitivity', () => {
    expect(find('(?i)give up', 'I GIVE UP', true)).toEqual({ index: 2, text: 'GIVE UP' });
    expect(find('(?i)\\bforget it\\b', 'No. Forget it.')).toEqual({ index: 4, text: 'Forget it' });
    // Only at the start: elsewhere it is still an unsupported group, with its position.
    expect(() => compilePattern('a(?i)b')).toThrow(/at 1: unsupported group syntax/);
    expect(() => compilePattern('(?i)(?=x)')).toThrow(/at 4: lookaround/);
  });

  it('starts threads only where a match can begin, except for patterns that match the empty string', () => {
    expect(find('a*', 'bbb')).toEqual({ index: 0, text: '' });
    expect(find('\\bq[a-z]+', 'the quick fox')).toEqual({ index: 4, text: 'qu' });
    expect(find('[0-9]x|yz', 'aaa yz 9x')).toEqual({ index: 4, text: 'yz' });
    expect(find('^$', '')).toEqual({ index: 0, text: '' });
  });

  it('reports the first match with its text', () => {
    expect(find('fail(ed|ure)', 'it failed with a failure')).toEqual({ index: 3, text: 'failed' });
  });

  it('rejects backreferences and lookaround with a clear reason', () => {
    expect(() => compilePattern('(a)\\1')).toThrow(/backreference \\1 cannot run in linear time/);
    expect(() => compilePattern('(?<x>a)\\k<x>')).toThrow(/backreference/);
    expect(() => compilePattern('foo(?=bar)')).toThrow(/lookaround \(\?=\.\.\.\) cannot run in linear time/);
    expect(() => compilePattern('(?<!no )way')).toThrow(/lookaround/);
    expect(() => compilePattern('(ab')).toThrow(PatternError);
    expect(() => compilePattern('*a')).toThrow(/nothing to repeat/);
    expect(() => compilePattern('a{3,2}')).toThrow(/wrong order/);
    expect(() => compilePattern('(a{1000}){1000}')).toThrow(/too large/);
    expect(() => compilePattern('ab)')).toThrow(/unmatched/);
  });

  it('runs patterns that backtrack exponentially in linear time', () => {
    // (a+)+$ on 30 "a"s and a "!" takes JavaScript's backtracking engine minutes; the automaton does 31 steps.
    const text = 'a'.repeat(30_000) + '!';
    expect(find('(a+)+$', text)).toBeNull();
    expect(find('(a|a)*b', 'a'.repeat(30_000))).toBeNull();
    expect(find('(x*)*y', 'x'.repeat(10_000) + 'y')).toEqual({ index: 0, text: 'x'.repeat(10_000) + 'y' });
  });
});
