import { describe, expect, it } from 'vitest';
import { parseHeaderList } from './header-list.js';

describe('parseHeaderList (OTEL_EXPORTER_OTLP_HEADERS syntax)', () => {
  it('reads comma-separated pairs with URL-encoded values', () => {
    expect(parseHeaderList('X', 'api-key=abc%3D%3D, Authorization=Bearer%20t0k,x-empty=')).toEqual({
      'api-key': 'abc==',
      authorization: 'Bearer t0k',
      'x-empty': '',
    });
    expect(parseHeaderList('X', undefined)).toEqual({});
    expect(parseHeaderList('X', 'a=1,,')).toEqual({ a: '1' });
  });

  it('keeps "=" inside a value', () => {
    expect(parseHeaderList('X', 'sig=a=b')).toEqual({ sig: 'a=b' });
  });

  it.each([
    ['novalue', 'X: expected key=value pairs separated by commas, got "novalue"'],
    ['bad name=1', 'X: expected key=value pairs separated by commas, got "bad name=1"'],
    ['a=%zz', 'X: the value of "a" is not valid URL encoding'],
    ['a=x%0D%0Ay', 'X: the value of "a" contains a line break or NUL'],
  ])('refuses %s', (text, message) => {
    expect(() => parseHeaderList('X', text)).toThrow(message);
  });
});
