import { describe, expect, it } from 'vitest';
import { tooDeepAt } from './json-depth.js';

describe('tooDeepAt', () => {
  it('finds the bracket that opens one level too many, ignoring brackets inside strings', () => {
    expect(tooDeepAt('[[1]]', 2)).toBe(-1);
    expect(tooDeepAt('[[[1]]]', 2)).toBe(2);
    expect(tooDeepAt('{"a":[{"b":"[[[[\\"[["}]}', 3)).toBe(-1);
    expect(tooDeepAt('[{},{},[[]]]', 2)).toBe(8);
  });
});
