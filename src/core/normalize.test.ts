import { describe, expect, it } from 'vitest';
import { normalizeMessage, tokenize, truncateMessage } from './normalize.js';
import { trigramSet } from './trigrams.js';

const tokensOf = (text: string) => normalizeMessage(text, 2000, true).tokens;

describe('tokenize (spec §3.1 examples)', () => {
  it.each([
    ['Hello, World!', ['hello', 'world']],
    ['don’t!!', ["don't"]],
    ['(e.g.)', ['e.g']],
    ['--', []],
    ['f**k', ['f**k']],
    ['...why???', ['why']],
    ['wtf?!', ['wtf']],
    ['¿hola?', ['¿hola']],
    ['«oui»', ['«oui»']],
    ['snake_case_', ['snake_case']],
  ])('%s → %j', (text, tokens) => {
    expect(tokensOf(text)).toEqual(tokens);
  });

  it('splits on Unicode White_Space only: U+0085 and U+3000 split, U+FEFF and U+200B do not', () => {
    expect(tokenize('a\u0085b\u3000c')).toEqual(['a', 'b', 'c']);
    expect(tokenize('a\uFEFFb\u200Bc')).toEqual(['a\uFEFFb\u200Bc']);
  });

  it('folds only curly quotes and en/em dashes, then lowercases with full Unicode mapping', () => {
    expect(tokensOf('“Quoted” ‘x’ a–b c—d ´e′')).toEqual(['quoted', 'x', 'a-b', 'c-d', '´e′']);
    expect(tokensOf('İSTANBUL ΣΟΦΟΣ')).toEqual(['i̇stanbul', 'σοφος']);
  });
});

describe('truncateMessage (spec §2.4)', () => {
  it('keeps messages up to the limit unchanged, counting code points', () => {
    const emoji = '😀'.repeat(2000);
    expect(truncateMessage(emoji, 2000)).toBe(emoji);
  });

  it('keeps the first 400 and last 1599 code points with a space between', () => {
    const text = `${'a'.repeat(400)}${'b'.repeat(1000)}${'😀'.repeat(1599)}`;
    const cut = truncateMessage(text, 2000);
    expect(Array.from(cut)).toHaveLength(2000);
    expect(cut).toBe(`${'a'.repeat(400)} ${'😀'.repeat(1599)}`);
  });
});

describe('trigramSet', () => {
  it('spans word boundaries of the joined tokens and counts code points', () => {
    expect(trigramSet('no i').size).toBe(2);
    expect(trigramSet('ab').size).toBe(0);
    expect(trigramSet('😀😀😀😀').size).toBe(1);
    expect(trigramSet('aaaa').size).toBe(1);
  });
});
