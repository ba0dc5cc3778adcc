import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern } from './safe-regex.js';

// The lazy DFA decides whether a search finds anything; its states are kept across texts and dropped when the cache
// is full. On random patterns of the safe subset and many texts searched with one compiled pattern (states built by
// earlier texts reused by later ones), with the default cache and with one of 2 states (starting over every few code
// points), every search gives what the Pike VM alone gives (itself checked against RegExp in safe-regex.diff.test.ts),
// and texts of up to 8 code units match exactly when RegExp matches (longer ones would make RegExp backtrack for minutes).
const atom = fc.constantFrom('a', 'b', 'A', 'é', '1', ' ', '.', '[ab]', '[^a]', '[a-c1]', '\\d', '\\w', '\\s', '\\W', '\\p{Lu}', '\\.', '^', '$', '\\b', '\\B', '😀');
const quantifier = fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,2}', '*?');
const pattern: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(atom, quantifier).map(([a, q]) => (/^[$^]|^\\[bB]$/.test(a) ? a : a === '😀' ? `(?:${a})${q}` : a + q)),
    fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((items) => items.join('')),
    fc.tuple(fc.array(tie('node'), { minLength: 2, maxLength: 3 }), quantifier).map(([options, q]) => `(?:${options.join('|')})${q}`),
  ),
})).node;
const piece = fc.array(fc.constantFrom('a', 'b', 'A', 'é', 'É', '1', ' ', '\n', 'c', '.', '😀', '\u4e00', '\u4e01', '\ud800'), { maxLength: 12 }).map((cs) => cs.join(''));
// Short texts, and longer ones made of a piece repeated (the states of a repeated piece are met again).
const text = fc.oneof(piece, fc.tuple(piece, fc.integer({ min: 2, max: 40 }), piece).map(([p, n, tail]) => p.repeat(n) + tail));

describe('lazy DFA in front of the Pike VM', () => {
  it('gives what the Pike VM alone gives, on texts searched one after the other, with a full cache or a tiny one', () => {
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 12 }), fc.boolean(), (source, texts, caseSensitive) => {
        const alone = compilePattern(source, { caseSensitive, dfaStates: 0 });
        const kept = compilePattern(source, { caseSensitive });
        const tiny = compilePattern(source, { caseSensitive, dfaStates: 2 });
        const native = new RegExp(source, caseSensitive ? 'u' : 'iu');
        for (let input of texts) {
          // By design `\b` counts Unicode letters as word characters, RegExp only [A-Za-z0-9_]: ASCII texts for those.
          if (/\\[bB]/.test(source)) input = input.replace(/[^\x00-\x7f]/gu, 'c');
          const expected = alone.search(input);
          if (input.length <= 8) expect(expected !== null, `/${source}/ on ${JSON.stringify(input)}`).toBe(native.test(input));
          expect(kept.search(input), `/${source}/ on ${JSON.stringify(input)}`).toEqual(expected);
          expect(tiny.search(input), `/${source}/ on ${JSON.stringify(input)}, tiny cache`).toEqual(expected);
          expect(tiny.dfaStates).toBeLessThanOrEqual(2);
        }
      }),
      // A fixed seed (FUZZ_SEED to draw others): RegExp backtracks exponentially on some drawn patterns even on 8
      // code units (one took over 20 minutes), and a regex cannot be interrupted, so a random draw could hang the run.
      { numRuns: 800, seed: Number(process.env.FUZZ_SEED ?? 20261207) },
    );
  }, 300_000);

  it('keeps at most its bound of states on a pattern whose DFA is exponential, and still answers right', () => {
    // The 12th code point from the end is an "a": 2^12 states for a DFA, one new state per code point of random text.
    const source = '[ab]*a[ab]{11}$';
    const bounded = compilePattern(source, { caseSensitive: true, dfaStates: 64 });
    const native = new RegExp(source, 'u');
    expect(native.test('b'.repeat(12))).toBe(false);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 1 ? 'a' : 'b');
    for (let k = 0; k < 200; k++) {
      const input = Array.from({ length: 12 + (k % 50) }, random).join('') + (k % 3 === 0 ? 'c' : '');
      expect(bounded.search(input) !== null, input).toBe(native.test(input));
      expect(bounded.dfaStates).toBeLessThanOrEqual(64);
    }
    // Non-ASCII transitions are bounded too (25 per state): many distinct code points, one state.
    const words = compilePattern('\\bxyz\\b', { dfaStates: 4 });
    const cjk = Array.from({ length: 5_000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    expect(words.search(`${cjk} xyz`)).toEqual({ index: cjk.length + 1, text: 'xyz' });
    expect(words.search(cjk)).toBeNull();
    expect(words.dfaStates).toBeLessThanOrEqual(4);
  });
});
