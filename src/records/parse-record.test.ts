import { describe, expect, it } from 'vitest';
import { parseRecord } from './parse-record.js';

describe('parseRecord', () => {
  it('parses like JSON.parse, surrogate pairs included', () => {
    expect(parseRecord('{"id":1,"v":"\\ud83d\\ude00 ok"}')).toEqual({ id: 1, v: '😀 ok' });
    expect(parseRecord('["\\\\ud800 is text"]')).toEqual(['\\ud800 is text']);
  });

  it('rejects unpaired surrogate escapes in values and keys, as the reference does', () => {
    expect(() => parseRecord('{"v":"\\ud800"}')).toThrow('unpaired surrogate in a \\u escape');
    expect(() => parseRecord('{"v":["x\\uDC00y"]}')).toThrow(SyntaxError);
    expect(() => parseRecord('{"\\ud83d":1}')).toThrow(SyntaxError);
  });

  it('rejects invalid JSON', () => {
    expect(() => parseRecord('{"v":')).toThrow(SyntaxError);
  });
});
