import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiteralScanner } from './literal-scanner.js';

describe('LiteralScanner', () => {
  it('finds overlapping and nested words', () => {
    const words = ['he', 'she', 'his', 'hers', 'rate', 'rate limit', 'limit'];
    const present = new LiteralScanner(words).scan('ushers hit the rate limit');
    expect(words.filter((_, i) => present[i])).toEqual(['he', 'she', 'hers', 'rate', 'rate limit', 'limit']);
  });

  it('agrees with includes on random texts, non-ASCII chars included', () => {
    const words = ['ab', 'abc', 'bca', 'c', 'aab', 'ba b'];
    const scanner = new LiteralScanner(words);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'é', '😀'), maxLength: 30 }), (text) => {
        const present = scanner.scan(text);
        words.forEach((word, i) => expect(present[i] === 1).toBe(text.includes(word)));
      }),
      { numRuns: 2000 },
    );
  });
});
