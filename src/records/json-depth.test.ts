import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tooDeepAt } from './json-depth.js';

describe('tooDeepAt', () => {
  it('finds the bracket that opens one level too many, ignoring brackets inside strings', () => {
    expect(tooDeepAt('[[1]]', 2)).toBe(-1);
    expect(tooDeepAt('[[[1]]]', 2)).toBe(2);
    expect(tooDeepAt('{"a":[{"b":"[[[[\\"[["}]}', 3)).toBe(-1);
    expect(tooDeepAt('[{},{},[[]]]', 2)).toBe(8);
  });

  it('finds what a char-by-char scan finds, on any text of JSON characters', () => {
    // The scan this one replaced: inside a string, a backslash skips the next character.
    const charByChar = (text: string, maxDepth: number) => {
      let depth = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') {
          for (i++; i < text.length; i++) {
            if (text[i] === '\\') i++;
            else if (text[i] === '"') break;
          }
        } else if (c === '[' || c === '{') {
          if (++depth > maxDepth) return i;
        } else if (c === ']' || c === '}') depth--;
      }
      return -1;
    };
    const text = fc.string({ unit: fc.constantFrom('"', '\\', '[', ']', '{', '}', 'a', ',') , maxLength: 60 });
    fc.assert(fc.property(text, fc.integer({ min: 0, max: 4 }), (t, max) => {
      expect(tooDeepAt(t, max)).toBe(charByChar(t, max));
    }), { numRuns: 5000 });
  });
});
