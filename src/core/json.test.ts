import { describe, expect, it } from 'vitest';
import { compareCodePoints, formatFloat, jsonEqual, parseJson, stringifyJson } from './json.js';

const roundTrip = (text: string) => {
  const node = parseJson(text);
  return node && stringifyJson(node);
};

describe('parseJson (strict, like the reference)', () => {
  it('keeps integer and float kinds and prints floats with .0 (spec §13.4)', () => {
    expect(roundTrip('[1, 1.0, 1.50, 1e2, 2.0, -0, 12345678901234567890, 123456789012345678901]')).toBe(
      '[1,1.0,1.5,100.0,2.0,-0.0,12345678901234567890,1.2345678901234568e20]',
    );
    expect(roundTrip('[1e-7, 0.0001, 1e16, 1.5e300]')).toBe('[1e-7,0.0001,1e16,1.5e300]');
  });

  it('keeps key order and, for duplicate keys, the last value at the first position', () => {
    expect(roundTrip('{"b":1,"2":2,"a":{"z":1,"1":2},"b":3}')).toBe('{"b":3,"2":2,"a":{"z":1,"1":2}}');
  });

  it('rejects what RFC 8259 rejects, unpaired surrogate escapes and deep nesting', () => {
    for (const bad of ['', '{', '{"a":1,}', '[1 2]', 'NaN', "{'a':1}", '"\\ud800"', '"\\udc00x"', '"a\u0001"', '01', '1e400', '{"a":1} x', '[' .repeat(200) + ']'.repeat(200)]) {
      expect(parseJson(bad)).toBeUndefined();
    }
    expect(roundTrip('"\\ud83d\\ude00"')).toBe('"😀"');
    expect(roundTrip(' \n{"a" : [ true , false , null ] }\t')).toBe('{"a":[true,false,null]}');
  });
});

describe('jsonEqual', () => {
  const eq = (a: string, b: string) => jsonEqual(parseJson(a)!, parseJson(b)!);
  it('compares objects as unordered maps at every level and numbers by kind', () => {
    expect(eq('{"a":{"x":1,"y":2}}', '{"a":{"y":2,"x":1}}')).toBe(true);
    expect(eq('{"a":1}', '{"a":1.0}')).toBe(false);
    expect(eq('{"a":1.0}', '{"a":1.00}')).toBe(true);
    expect(eq('[1,2]', '[2,1]')).toBe(false);
  });
});

describe('formatFloat and compareCodePoints', () => {
  it('formats like the reference', () => {
    expect([0.5, 100, 1e21, 1.25e-5, -2.5].map(formatFloat)).toEqual(['0.5', '100.0', '1e21', '0.0000125', '-2.5']);
  });
  it('orders astral chars after U+FFFF, unlike UTF-16 order', () => {
    expect(compareCodePoints('\u{1F600}', '\uFFFF')).toBeGreaterThan(0);
    expect(['b', 'a', '\u{1F600}', '\uE000'].sort(compareCodePoints)).toEqual(['a', 'b', '\uE000', '\u{1F600}']);
  });
});
