import { describe, expect, it } from 'vitest';
import { asJsonText, isJsonObject, jsonTypeOf } from './json-value.js';

describe('json-value helpers', () => {
  it('isJsonObject accepts plain objects only', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject([])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
  });

  it('jsonTypeOf names null and arrays', () => {
    expect([null, [], {}, 'a', 1, true].map(jsonTypeOf)).toEqual(['null', 'array', 'object', 'string', 'number', 'boolean']);
  });

  it('asJsonText keeps strings and serializes the rest', () => {
    expect(asJsonText('{"a": 1}')).toBe('{"a": 1}');
    expect(asJsonText({ a: 1 })).toBe('{"a":1}');
    expect(asJsonText(null)).toBe('null');
    expect(asJsonText(undefined)).toBe('');
  });
});
