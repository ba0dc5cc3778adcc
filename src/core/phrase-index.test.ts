import { describe, expect, it } from 'vitest';
import { normalizeMessage } from './normalize.js';
import { LIST_INDEX, matchPhrases, type PhraseListName } from './phrase-index.js';

const thresholds = { jaccard: Math.fround(0.65), cosine: Math.fround(0.6) };
const first = (text: string, list: PhraseListName) => matchPhrases(normalizeMessage(text, 2000, true), thresholds)[LIST_INDEX[list]];

// The matcher's layers and quirks as the spec states them (§3.3).
describe('fuzzy phrase matching', () => {
  it('Layer 0 respects word boundaries', () => {
    expect(first('i quite like it', 'quit')).toBeUndefined();
    expect(first('this is really not helpful at all', 'complaint')).toBe('not helpful');
  });

  it('Layer 2 is bag-of-words and negation-blind', () => {
    expect(first('THIS IS NOT WORKING', 'success')).toBe('this is working');
  });

  it('short messages reach the cosine threshold with one shared word', () => {
    expect(first('forget', 'quit')).toBe('forget it');
    expect(first('why', 'quit')).toBe('why bother');
    expect(first('bullshit', 'profanity')).toBe('what bullshit');
    expect(first('help', 'gratitude')).toBeUndefined();
  });

  it('rounds the cosine to f32 before comparing: 3/(√5·√5) matches 0.6', () => {
    // 5 message tokens sharing 3 of the 5 words of "connect me with a human" (entry 4; entry 3 shares only 2).
    expect(first('connect me with your boss', 'escalation')).toBe('connect me with a human');
    // Without f32 rounding 3/5 in double is 0.6 too, so check the spec's own case: 0.5999999999999999 in double.
    expect(3 / (Math.sqrt(5) * Math.sqrt(5))).toBeLessThan(0.6);
  });

  it('the first phrase in list order wins, whatever the layer (E8)', () => {
    expect(first('what the f**k is wrong with you', 'profanity')).toBe('what the hell is wrong with you');
  });

  it('punctuation inside a word blocks the exact layer but not the fuzzy ones', () => {
    expect(first('dont understand', 'clarification')).toBe("i don't understand");
    expect(first('honestly I really dont understand any of the things you wrote above', 'clarification')).toBeUndefined();
  });

  it('long messages only match exactly', () => {
    const filler = 'word '.repeat(300);
    expect(first(`${filler} let me speak to a human please ${filler}`, 'escalation')).toBe('speak to a human');
  });
});
