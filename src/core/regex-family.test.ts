import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RegexFamily, foldCase, translatePattern } from './regex-family.js';

function nativeFind(patterns: readonly string[], text: string) {
  const re = new RegExp(patterns.map((p) => `(${translatePattern(p)})`).join('|'), 'u');
  const m = re.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : undefined;
}

describe('pattern translation (spec §11.2)', () => {
  it('\\w is Unicode-aware', () => {
    const family = new RegexFamily(['must\\s+be\\s+(a|an)\\s+\\w+']);
    const text = 'value must be a número';
    const m = family.find(text);
    expect(m && text.slice(m.start, m.end)).toBe('must be a número');
  });

  it('\\b uses the Unicode word class', () => {
    const family = new RegexFamily(['\\bforbidden\\b']);
    expect(family.find('éforbidden')).toBeUndefined();
    expect(family.find('403: forbidden.')).toEqual({ start: 5, end: 14 });
  });

  it('. excludes only \\n, and \\s is White_Space (U+0085 yes, U+FEFF no)', () => {
    expect(new RegExp(translatePattern('rate.limited'), 'u').test('rate\rlimited')).toBe(true);
    expect(new RegExp(translatePattern('rate.limited'), 'u').test('rate\nlimited')).toBe(false);
    expect(new RegExp(translatePattern('rate\\s+limit'), 'u').test('rate\u0085limit')).toBe(true);
    expect(new RegExp(translatePattern('rate\\s+limit'), 'u').test('rate\uFEFFlimit')).toBe(false);
  });

  it('case folding lets the long s match s, like the reference (?i)', () => {
    const family = new RegexFamily(['syntax\\s+error.*json']);
    const lower = 'ſyntax error in jſon';
    expect(family.find(foldCase(lower))).toEqual({ start: 0, end: lower.length });
  });

  it('leftmost match wins across patterns; at one position the earlier pattern wins', () => {
    const family = new RegexFamily(['timeout', 'timed?\\s*out']);
    expect(family.find('the request timed out after timeout')).toEqual({ start: 12, end: 21 });
    expect(family.find('timeout')).toEqual({ start: 0, end: 7 });
  });
});

// The linear-time scanners for `A.*B` patterns must give exactly what a backtracking engine gives.
describe('dot-star scanners agree with the backtracking regex', () => {
  const cases: [string, string[]][] = [
    ['exceeded\\s+.*\\s+limit', ['exceeded', 'limit', ' ', '  ', '\n', ' \n ', 'x', 'y limit', '\t']],
    ['syntax\\s+error.*json', ['syntax', 'error', 'json', ' ', '\n', 'x', 'syntax error']],
    ['missing\\s+field.*response', ['missing', 'field', 'response', ' ', '\n', 'r']],
  ];
  for (const [pattern, pieces] of cases) {
    it(pattern, () => {
      const family = new RegexFamily([pattern]);
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
          const text = parts.join('');
          expect(family.find(text)).toEqual(nativeFind([pattern], text));
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('the rewritten \\s*:?\\s* patterns agree with the original', () => {
    const original = /(?:status|error|http|code)\s*:?\s*401/u;
    const family = new RegexFamily(['(status|error|http|code)\\s*:?\\s*401']);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('status', 'error', ' ', ':', '401', '40', 'x', '\n'), { maxLength: 10 }), (parts) => {
        const text = parts.join('');
        const m = original.exec(text);
        expect(family.find(text)).toEqual(m ? { start: m.index, end: m.index + m[0].length } : undefined);
      }),
      { numRuns: 3000 },
    );
  });
});
